"""One event row shape: StoredEvent defines the events columns; migrations build them."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from sqlalchemy import inspect

from allegiance.records import EVENT_COLUMNS, StoredActor, StoredEvent
from allegiance.store import schema
from allegiance.store.engine import make_engine
from allegiance.store.store import Store

FROZEN = Path(__file__).resolve().parents[2] / "src/allegiance/store/m0001_initial.py"
# The released first migration: a changed file here means a changed 0001, which old
# stores never ran. Add a migration instead.
FROZEN_SHA256 = "eb7f15a25b9d8e1305c81cfed813f85f25fc4a64fb9dec990e3dc374e0e912de"

EVENT = StoredEvent(
    id="e1", coder="allegiance", coder_version="1", cameo="0232", root="02",
    source=StoredActor("VEN", "VEN", None, "Venezuela", 0, 9),
    target=StoredActor("RUSGOV", "RUS", "GOV", "Moscow", 20, 26),
    plover="REQUEST", quad=1, goldstein=3.4, negated=False, mode="asserted",
    date="2026-11-24", location=None, confidence=0.8, doc_id="a1",
    sentence="Venezuela asked Moscow for aid.", sentence_start=0, trigger_text="asked",
    trigger_start=10, trigger_end=15, num_mentions=2, num_sources=1, num_articles=2,
)


def test_a_row_round_trips() -> None:
    row = EVENT.to_row()
    assert [c for c, _, _ in EVENT_COLUMNS] == list(row)
    assert row["article_id"] == "a1" and row["target_agent"] == "GOV"
    assert StoredEvent.from_row(row) == EVENT
    one_sided = dataclasses.replace(EVENT, target=None)
    assert StoredEvent.from_row(one_sided.to_row()).target is None


def test_the_live_table_is_the_record_plus_the_store_columns() -> None:
    live = [c.name for c in schema.events.columns]
    assert live == [c for c, _, _ in EVENT_COLUMNS] + ["merge_key", "last_date",
                                                        "source_key", "target_key"]


def test_a_migrated_store_has_every_live_column(store_url: str) -> None:
    # A field added to StoredEvent without its migration fails here, on both backends.
    Store(store_url).close()
    engine = make_engine(store_url)
    try:
        found = inspect(engine)
        for table in schema.metadata.sorted_tables:
            columns = {c["name"] for c in found.get_columns(table.name)}
            assert {c.name for c in table.columns} <= columns, table.name
    finally:
        engine.dispose()


def test_the_first_migration_is_frozen() -> None:
    assert hashlib.sha256(FROZEN.read_bytes()).hexdigest() == FROZEN_SHA256
