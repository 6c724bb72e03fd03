"""Stored events as flat rows: CSV, Parquet and pandas share the columns of FLAT_COLUMNS."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date as Date
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from allegiance.records import StoredEvent

if TYPE_CHECKING:
    import pandas

__all__ = ["FLAT_COLUMNS", "events_to_frame", "flat_row", "write_csv", "write_parquet"]

FLAT_COLUMNS: tuple[str, ...] = (
    "event_id", "coder", "doc_id", "date", "location",
    "source_code", "source_country", "source_agent", "source_text",
    "target_code", "target_country", "target_agent", "target_text",
    "cameo", "root", "plover", "quad", "goldstein", "negated", "mode", "confidence",
    "num_mentions", "num_sources", "num_articles",
    "trigger", "sentence", "url", "title", "publisher", "published",
)

# Rows per Parquet row group: big enough for good compression, small enough that an
# export of millions of events never holds more than this many rows in memory.
PARQUET_ROW_GROUP = 50_000


# Flat-file names of the event's own columns, where they differ from the store's.
_RENAMED = {"event_id": "id", "doc_id": "article_id", "trigger": "trigger_text"}


def flat_row(event: StoredEvent) -> dict[str, Any]:
    """The event as one flat row, keyed by FLAT_COLUMNS (a selection of the event row)."""
    row = {**event.to_row(), "url": event.url, "title": event.title,
           "publisher": event.publisher, "published": event.published}
    # A foreign coder's actors have a name but no text span: show the name.
    for side, actor in (("source", event.source), ("target", event.target)):
        if actor is not None and actor.text is None:
            row[f"{side}_text"] = actor.name
    return {column: row[_RENAMED.get(column, column)] for column in FLAT_COLUMNS}


def write_csv(events: Iterable[StoredEvent], fh: TextIO) -> int:
    """A header, then one row per event; None is an empty cell."""
    writer = csv.DictWriter(fh, fieldnames=FLAT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow(flat_row(event))
        count += 1
    return count


def _parquet_schema() -> Any:
    import pyarrow as pa  # imported lazily: only Parquet exports need it

    types = {"date": pa.date32(), "quad": pa.int8(), "goldstein": pa.float64(),
             "negated": pa.bool_(), "confidence": pa.float64(),
             "num_mentions": pa.int64(), "num_sources": pa.int64(),
             "num_articles": pa.int64()}
    return pa.schema([(c, types.get(c, pa.string())) for c in FLAT_COLUMNS])


def _iso_date(value: str | None) -> Date | None:
    """An ISO date for the date32 column; None where the event's date is not one."""
    try:
        return Date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _typed_rows(events: Iterable[StoredEvent]) -> Iterator[dict[str, Any]]:
    for event in events:
        row = flat_row(event)
        row["date"] = _iso_date(row["date"])
        yield row


def write_parquet(events: Iterable[StoredEvent], path: Path) -> int:
    """A Parquet file of flat rows, written one row group at a time; returns the row count."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    rows = _typed_rows(events)
    count = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        while batch := list(islice(rows, PARQUET_ROW_GROUP)):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def events_to_frame(events: Iterable[StoredEvent]) -> pandas.DataFrame:
    """A pandas DataFrame of flat rows (all of them in memory: for analysis, not export)."""
    import pandas as pd  # imported lazily: the coder does not need pandas

    return pd.DataFrame([flat_row(e) for e in events], columns=list(FLAT_COLUMNS))
