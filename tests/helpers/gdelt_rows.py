"""GDELT 2.0 rows for tests, written out column by column."""

from __future__ import annotations

from pathlib import Path

__all__ = ["CLASH", "MENTION", "TRANSLATED_MENTION", "UN_APPEAL", "VISIT", "tsv_line",
           "write_rows"]

# Written out column by column, in file order, so a wrong GDELT_EVENT_COLUMNS order
# cannot go unnoticed: a US visit to Russia and a Sudanese army clash with the RSF.
VISIT = [
    "1268453012", "20251101", "202511", "2025", "2025.8247",
    "USA", "UNITED STATES", "USA", "", "", "", "", "", "", "",
    "RUS", "RUSSIA", "RUS", "", "", "", "", "", "", "",
    "1", "042", "042", "04", "1", "1.9", "10", "2", "10", "-2.34567901234568",
    "1", "United States", "US", "US", "", "39.828175", "-98.5795", "US",
    "1", "Russia", "RS", "RS", "", "60", "100", "RS",
    "4", "Moscow, Moskva, Russia", "RS", "RS48", "", "55.7522", "37.6156", "-2960561",
    "20251101001500", "https://example.com/news/us-envoy-moscow",
]
CLASH = [
    "1268453013", "20251031", "202510", "2025", "2025.8247",
    "SDNMIL", "SUDAN", "SDN", "", "", "", "", "MIL", "", "",
    "SDNREB", "SUDAN", "SDN", "", "", "", "", "REB", "", "",
    "0", "193", "193", "19", "4", "-10.0", "4", "1", "4", "-7.5",
    "", "", "", "", "", "", "", "",
    "", "", "", "", "", "", "", "",
    "", "", "", "", "", "", "", "",
    "20251101001500", "https://example.com/sudan-el-fasher",
]
UN_APPEAL = [
    "1268453014", "20251101", "202511", "2025", "2025.8247",
    "IGOUNO", "UNITED NATIONS", "", "UNO", "", "", "", "IGO", "", "",
    "", "", "", "", "", "", "", "", "", "",
    "1", "0232", "023", "02", "1", "3.4", "2", "1", "2", "0",
    *[""] * 24,
    "20251101001500", "https://example.com/un",
]
MENTION = [
    "1268453012", "20251101001500", "20251101001500", "1", "example.com",
    "https://example.com/news/us-envoy-moscow", "2", "-1", "57", "41", "1", "100",
    "2816", "-2.34567901234568", "", "",
]
TRANSLATED_MENTION = [
    "1268453012", "20251101001500", "20251101013000", "1", "elpais.com",
    "https://elpais.com/internacional/enviado", "", "12", "-1", "30", "0", "20",
    "1500", "1.5", "srclc:spa;eng:GT-SPA 1.0", "",
]


def tsv_line(fields: list[str]) -> str:
    return "\t".join(fields) + "\n"


def write_rows(path: Path, *rows: list[str] | str) -> Path:
    path.write_text("".join(r if isinstance(r, str) else tsv_line(r) for r in rows),
                    encoding="utf-8")
    return path
