"""The batch function on one process and on a pool give the same results, in order."""

from __future__ import annotations

from typing import Any

from allegiance.batch import SMALL_BATCH, code_records
from allegiance.errors import InputError
from allegiance.pipeline.coder import CoderConfig

SENTENCES = [
    "Russia, China and Iran condemned the United States on Monday.",
    "Israeli jets bombed Hamas positions in Gaza.",
    "Brazil signed a trade agreement with Argentina.",
    "The weather was mild.",
]


def items() -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for n in range(SMALL_BATCH + 20):
        where = f"line {n + 1}"
        if n % 50 == 7:
            out.append((where, InputError("malformed JSON", where=where)))
        elif n % 50 == 8:
            out.append((where, {"id": f"d{n}", "text": ""}))
        else:
            out.append((where, {"id": f"d{n}", "text": SENTENCES[n % len(SENTENCES)],
                                "date": "2026-11-24"}))
    return out


def test_pool_matches_single_process() -> None:
    config = CoderConfig()
    single = list(code_records(items(), config=config, processes=1))
    pooled = list(code_records(items(), config=config, processes=2))
    assert [r.where for r in pooled] == [w for w, _ in items()]
    assert pooled == single
    errors = [r for r in pooled if r.error]
    assert len(errors) == 10
    assert all("line" in (r.error or "") for r in errors)
    assert sum(len(r.events) for r in pooled) > SMALL_BATCH
