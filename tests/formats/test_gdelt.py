from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from allegiance.errors import InputError
from allegiance.formats.gdelt import (
    GDELT_EVENT_COLUMNS,
    GDELT_MENTION_COLUMNS,
    gdelt_row,
    is_gdelt_file,
    read_gdelt,
)
from allegiance.records import GdeltEvent, GdeltMention, gdelt_event_id
from helpers.gdelt_rows import (
    CLASH,
    MENTION,
    TRANSLATED_MENTION,
    UN_APPEAL,
    VISIT,
    tsv_line,
    write_rows,
)


def _read(path: Path) -> list[GdeltEvent | GdeltMention | InputError]:
    return list(read_gdelt(path))


def test_column_lists_have_gdelt_counts_and_order() -> None:
    assert len(GDELT_EVENT_COLUMNS) == 61 == len(set(GDELT_EVENT_COLUMNS))
    assert len(GDELT_MENTION_COLUMNS) == 16
    assert GDELT_EVENT_COLUMNS[:2] == ("GLOBALEVENTID", "SQLDATE")
    assert GDELT_EVENT_COLUMNS[25:30] == (
        "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass")
    assert GDELT_EVENT_COLUMNS[52] == "ActionGeo_FullName"
    assert GDELT_EVENT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    assert GDELT_MENTION_COLUMNS[5] == "MentionIdentifier"
    assert len(VISIT) == len(CLASH) == len(UN_APPEAL) == 61 and len(MENTION) == 16


def test_reads_an_event_row(tmp_path: Path) -> None:
    [event] = _read(write_rows(tmp_path / "20251101001500.export.CSV", VISIT))
    assert isinstance(event, GdeltEvent)
    assert (event.global_id, event.date, event.date_added) == (
        "1268453012", "2025-11-01", "2025-11-01T00:15:00Z")
    assert event.source is not None and event.target is not None
    assert (event.source.code, event.source.country, event.source.name) == (
        "USA", "USA", "UNITED STATES")
    assert event.target.code == "RUS" and event.target.start is None
    assert (event.cameo, event.root, event.plover, event.quad) == ("042", "04", "CONSULT", 1)
    assert (event.goldstein, event.num_mentions, event.num_sources, event.num_articles) == (
        1.9, 10, 2, 10)
    assert event.is_root and event.avg_tone == pytest.approx(-2.3457, abs=1e-4)
    assert (event.location, event.lat, event.long) == ("Moscow, Moskva, Russia", 55.7522,
                                                       37.6156)
    assert event.url == "https://example.com/news/us-envoy-moscow"


def test_actor_type_and_group_codes(tmp_path: Path) -> None:
    clash, appeal = _read(write_rows(tmp_path / "x.export.CSV", CLASH, UN_APPEAL))
    assert isinstance(clash, GdeltEvent) and isinstance(appeal, GdeltEvent)
    assert clash.source is not None and clash.source.agent == "MIL"
    assert clash.location is None and clash.lat is None and not clash.is_root
    assert appeal.source is not None
    # The contract's country for an IGO is "IGO"; GDELT leaves CountryCode empty.
    assert (appeal.source.code, appeal.source.country) == ("IGOUNO", "IGO")
    assert appeal.target is None and appeal.cameo == "0232"


def test_reads_mention_rows(tmp_path: Path) -> None:
    first, translated = _read(
        write_rows(tmp_path / "20251101001500.mentions.CSV", MENTION, TRANSLATED_MENTION))
    assert isinstance(first, GdeltMention) and isinstance(translated, GdeltMention)
    assert (first.global_id, first.mention_type, first.source_name) == (
        "1268453012", 1, "example.com")
    assert first.url == "https://example.com/news/us-envoy-moscow"
    assert (first.sentence_id, first.actor1_offset, first.actor2_offset,
            first.action_offset) == (2, None, 57, 41)
    assert first.in_raw_text and first.confidence == 100 and first.doc_len == 2816
    assert first.translation is None
    assert translated.mention_time == "2025-11-01T01:30:00Z"
    assert translated.sentence_id is None and translated.actor2_offset is None
    assert translated.translation == "srclc:spa;eng:GT-SPA 1.0"


def test_reads_the_zip_gdelt_publishes(tmp_path: Path) -> None:
    path = tmp_path / "20251101001500.export.CSV.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("20251101001500.export.CSV", tsv_line(VISIT) + tsv_line(CLASH))
    events = _read(path)
    assert [e.global_id for e in events if isinstance(e, GdeltEvent)] == [
        "1268453012", "1268453013"]


def test_zip_with_several_members_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.export.CSV", tsv_line(VISIT))
        archive.writestr("b.export.CSV", tsv_line(VISIT))
    [error] = _read(path)
    assert isinstance(error, InputError) and "found 2" in str(error)


def test_bad_rows_are_errors_and_reading_goes_on(tmp_path: Path) -> None:
    bad_number = list(CLASH)
    bad_number[30] = "very bad"
    bad_date = list(VISIT)
    bad_date[1] = "20251345"
    path = write_rows(tmp_path / "f.export.CSV", VISIT, bad_number, "\t".join(VISIT[:40]) + "\n",
                  "\n", bad_date, UN_APPEAL)
    items = _read(path)
    errors = [i for i in items if isinstance(i, InputError)]
    assert [i.global_id for i in items if isinstance(i, GdeltEvent)] == [
        "1268453012", "1268453014"]
    assert [e.where for e in errors] == [f"{path} line {n}" for n in (2, 3, 5)]
    assert "GoldsteinScale" in str(errors[0])
    assert "found 40" in str(errors[1])
    assert "SQLDATE" in str(errors[2])


def test_bad_mention_confidence(tmp_path: Path) -> None:
    bad = list(MENTION)
    bad[11] = "250"
    [error] = _read(write_rows(tmp_path / "m.mentions.CSV", bad))
    assert isinstance(error, InputError) and "Confidence" in str(error)


def test_wrong_column_count_is_one_error_for_the_file(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "other.tsv", ["a", "b", "c", "d", "e"], ["f"] * 5)
    [error] = _read(path)
    assert isinstance(error, InputError) and error.where == str(path)
    assert "found 5 columns" in str(error)


def test_unreadable_files(tmp_path: Path) -> None:
    [missing] = _read(tmp_path / "none.export.CSV")
    not_zip = tmp_path / "broken.export.CSV.zip"
    not_zip.write_bytes(b"not a zip")
    [broken] = _read(not_zip)
    assert isinstance(missing, InputError) and isinstance(broken, InputError)
    assert _read(write_rows(tmp_path / "empty.export.CSV")) == []


def test_invalid_utf8_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "latin.export.CSV"
    row = list(VISIT)
    row[6] = "CÔTE"
    path.write_bytes(tsv_line(row).encode("latin-1"))
    [event] = _read(path)
    assert isinstance(event, GdeltEvent) and event.source is not None
    assert event.source.name == "C\ufffdTE"


@pytest.mark.parametrize(("name", "expected"), [
    ("20251101000000.export.CSV.zip", True),
    ("20251101000000.mentions.CSV.zip", True),
    ("20251101000000.translation.export.CSV.zip", True),
    ("20251101000000.export.CSV", True),
    ("20251101000000.gkg.csv.zip", False),
    ("articles.csv", False),
    ("export.jsonl", False),
])
def test_is_gdelt_file(name: str, expected: bool) -> None:
    assert is_gdelt_file(Path("/data") / name) is expected


def test_stored_event_carries_gdelt_fields(tmp_path: Path) -> None:
    event = _event(tmp_path, VISIT)
    stored = event.to_stored()
    assert stored.id == gdelt_event_id("1268453012") == "gdelt:1268453012"
    assert (stored.coder, stored.mode, stored.negated, stored.confidence) == (
        "gdelt", "asserted", False, None)
    assert (stored.plover, stored.goldstein, stored.num_mentions) == ("CONSULT", 1.9, 10)
    assert stored.published == "2025-11-01T00:15:00Z" and stored.sentence is None


@pytest.mark.parametrize("row", [VISIT, CLASH, UN_APPEAL], ids=["visit", "clash", "igo"])
def test_round_trip_keeps_the_key_columns(tmp_path: Path, row: list[str]) -> None:
    out = gdelt_row(_event(tmp_path, row).to_stored(), numeric_id=7)
    assert len(out) == 61
    kept = ("SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code", "Actor1Name",
            "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1Type1Code", "Actor2Code",
            "Actor2CountryCode", "Actor2Type1Code", "EventCode", "EventBaseCode",
            "EventRootCode", "QuadClass", "NumMentions", "NumSources", "NumArticles",
            "ActionGeo_FullName", "DATEADDED", "SOURCEURL")
    for column in kept:
        i = GDELT_EVENT_COLUMNS.index(column)
        assert out[i] == row[i], column
    goldstein = GDELT_EVENT_COLUMNS.index("GoldsteinScale")
    assert float(out[goldstein]) == float(row[goldstein])
    assert out[0] == "7"


def _event(tmp_path: Path, row: list[str]) -> GdeltEvent:
    [event] = _read(write_rows(tmp_path / "one.export.CSV", row))
    assert isinstance(event, GdeltEvent)
    return event
