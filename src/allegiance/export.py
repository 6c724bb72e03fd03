"""Writing stored events out, so existing GDELT and POLECAT tooling reads our data.

Formats (``allegiance export --format ...``):

- ``gdelt``: the GDELT 2.0 event table, 61 tab-separated columns, no header
  (:func:`gdelt_row`; the column mapping is in ``docs/gdelt.md``).
- ``plover``: PLOVER JSON, one record per action with ``actor`` and ``recipient``
  lists (:func:`plover_records`), written as JSON Lines.
- ``csv``, ``parquet``: one flat row per event, the columns of :data:`FLAT_COLUMNS`.
- ``jsonl``: :meth:`StoredEvent.to_dict`, one object per line.

Every writer takes an iterable and streams it, so an export of the whole store
holds one event (a PLOVER action, a Parquet row group) in memory at a time.
Writers return how many records they wrote.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date as Date
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from allegiance.codebook import CameoCode, codebook
from allegiance.errors import ConfigError
from allegiance.gdelt import GDELT_EVENT_COLUMNS
from allegiance.store.records import StoredActor, StoredEvent

if TYPE_CHECKING:
    import pandas

__all__ = [
    "EXPORT_FORMATS",
    "FLAT_COLUMNS",
    "events_to_frame",
    "export_events",
    "flat_row",
    "gdelt_row",
    "plover_records",
    "write_csv",
    "write_gdelt",
    "write_jsonl",
    "write_parquet",
    "write_plover",
]

EXPORT_FORMATS = ("gdelt", "plover", "csv", "jsonl", "parquet")

FLAT_COLUMNS: tuple[str, ...] = (
    "event_id", "coder", "doc_id", "date", "location",
    "source_code", "source_country", "source_agent", "source_text",
    "target_code", "target_country", "target_agent", "target_text",
    "cameo", "root", "plover", "quad", "goldstein", "negated", "mode", "confidence",
    "num_mentions", "num_sources", "num_articles",
    "sentence", "url", "title", "publisher", "published",
)

# Rows per Parquet row group: big enough for good compression, small enough that an
# export of millions of events never holds more than this many rows in memory.
PARQUET_ROW_GROUP = 50_000

_GROUP_PREFIXES = ("IGO", "NGO")


# --- GDELT 2.0 event table ---


def _clean(value: object) -> str:
    """A field as GDELT writes it: empty for None, no tabs or line breaks inside."""
    if value is None:
        return ""
    return " ".join(str(value).replace("\t", " ").splitlines())


def _number(value: float) -> str:
    return f"{value:g}"


def _digits(value: str | None, width: int) -> str:
    """The first ``width`` digits of an ISO date or time, padded with zeros; "" for None."""
    if not value:
        return ""
    digits = "".join(ch for ch in value[:19] if ch.isdigit())
    return digits.ljust(width, "0")[:width] if len(digits) >= 8 else ""


def _date_columns(event: StoredEvent) -> list[str]:
    """SQLDATE, MonthYear, Year, FractionDate (empty when the event has no date)."""
    sqldate = _digits(event.date or event.published, 8)
    if not sqldate:
        return ["", "", "", ""]
    year, month, day = int(sqldate[:4]), int(sqldate[4:6]), int(sqldate[6:8])
    # GDELT's own formula (30-day months over a 365-day year), so values match its files.
    fraction = year + ((month - 1) * 30 + day) / 365
    return [sqldate, sqldate[:6], sqldate[:4], f"{fraction:.4f}"]


def _actor_columns(actor: StoredActor | None) -> list[str]:
    """Code, Name, CountryCode, KnownGroupCode, Ethnic, Religion1/2, Type1/2/3Code."""
    if actor is None:
        return [""] * 10
    group = actor.code[3:6] if actor.code[:3] in _GROUP_PREFIXES else ""
    # GDELT leaves CountryCode empty for IGOs and NGOs and names the group instead.
    country = "" if group else _clean(actor.country)
    name = actor.name or actor.text
    return [_clean(actor.code), _clean(name), country, group, "", "", "",
            _clean(actor.agent), "", ""]


def gdelt_row(event: StoredEvent, *, numeric_id: int) -> list[str]:
    """The event as one GDELT 2.0 event row: 61 strings, in GDELT_EVENT_COLUMNS order.

    GLOBALEVENTID is ``numeric_id`` (GDELT's is a number; ours is not). IsRootEvent
    is 1 when the event's first report is the article's first sentence
    (``sentence_start == 0``), GDELT's own test being "in the lead paragraph".
    AvgTone and all geo columns but ActionGeo_FullName are empty: we have no values.
    """
    geo = [""] * 8
    action_geo = ["", _clean(event.location), "", "", "", "", "", ""]
    row = [
        str(numeric_id), *_date_columns(event),
        *_actor_columns(event.source), *_actor_columns(event.target),
        "1" if event.sentence_start == 0 else "0",
        event.cameo, event.cameo[:3], event.root.zfill(2), str(event.quad),
        _number(event.goldstein), str(event.num_mentions), str(event.num_sources),
        str(event.num_articles), "",
        *geo, *geo, *action_geo,
        _digits(event.published or event.date, 14), _clean(event.url),
    ]
    assert len(row) == len(GDELT_EVENT_COLUMNS)  # a wrong count would shift every column
    return row


def write_gdelt(events: Iterable[StoredEvent], fh: TextIO) -> int:
    """GDELT 2.0 event rows, tab-separated, no header; GLOBALEVENTID counts from 1."""
    count = 0
    for count, event in enumerate(events, start=1):
        fh.write("\t".join(gdelt_row(event, numeric_id=count)) + "\n")
    return count


# --- PLOVER JSON ---


def _plover_actor(actor: StoredActor) -> dict[str, Any]:
    return {"name": actor.name or actor.text, "code": actor.code, "country": actor.country,
            "agent": actor.agent, "text": actor.text}


def _unique(actors: Iterable[StoredActor | None]) -> list[StoredActor]:
    # A compound source and target give every source once per target: list each once.
    return list(dict.fromkeys(a for a in actors if a is not None))


def _action_key(event: StoredEvent) -> tuple[Any, ...]:
    """Events with the same key are one reported action (the dyads of a compound actor)."""
    if event.sentence is None:
        return ("event", event.id)
    return ("action", event.sentence_start, event.sentence, event.cameo,
            event.trigger_start, event.trigger_text, event.negated, event.mode)


def _action_groups(events: Iterable[StoredEvent]) -> Iterator[list[StoredEvent]]:
    """Group the dyads of one action; groups are closed when the document changes.

    The store yields an article's events together, so this holds one document's
    events at a time, not the whole export. Dyads of one action that arrive apart
    (another document's events in between) become separate records.
    """
    groups: dict[tuple[Any, ...], list[StoredEvent]] = {}
    document: tuple[str, str | None] | None = None
    for event in events:
        if (event.coder, event.doc_id) != document:
            yield from groups.values()
            groups, document = {}, (event.coder, event.doc_id)
        key = _action_key(event)
        if key[0] == "event":
            yield [event]
        else:
            groups.setdefault(key, []).append(event)
    yield from groups.values()


def _cameo_entry(code: str) -> CameoCode | None:
    try:
        return codebook()[code]
    except KeyError:  # a foreign coder's code our codebook lacks: no PLOVER mode/context
        return None


def _plover_record(group: list[StoredEvent]) -> dict[str, Any]:
    first = group[0]
    entry = _cameo_entry(first.cameo)
    context = entry.plover_context if entry else None
    confidences = [e.confidence for e in group if e.confidence is not None]
    return {
        "id": first.id, "event_ids": [e.id for e in group],
        "coder": first.coder, "coder_version": first.coder_version,
        "date": first.date, "event_type": first.plover,
        "mode": entry.plover_mode if entry else None,
        "context": [context] if context else [],
        "actor": [_plover_actor(a) for a in _unique(e.source for e in group)],
        "recipient": [_plover_actor(a) for a in _unique(e.target for e in group)],
        "cameo": first.cameo, "root": first.root, "quad": first.quad,
        "goldstein": first.goldstein, "negated": first.negated, "modality": first.mode,
        "confidence": round(max(confidences), 4) if confidences else None,
        "location": first.location, "text": first.sentence, "trigger": first.trigger_text,
        "num_mentions": max(e.num_mentions for e in group),
        "num_sources": max(e.num_sources for e in group),
        "num_articles": max(e.num_articles for e in group),
        "doc_id": first.doc_id, "url": first.url, "title": first.title,
        "publisher": first.publisher, "published": first.published,
    }


def plover_records(events: Iterable[StoredEvent]) -> Iterator[dict[str, Any]]:
    """One PLOVER record per action: the dyads of a compound actor become one record."""
    for group in _action_groups(events):
        yield _plover_record(group)


def write_plover(events: Iterable[StoredEvent], fh: TextIO) -> int:
    """PLOVER JSON, one record per line; returns the number of records (actions)."""
    return _write_json_lines(plover_records(events), fh)


# --- flat rows: CSV, Parquet, pandas ---


def _actor_fields(prefix: str, actor: StoredActor | None) -> dict[str, str | None]:
    if actor is None:
        return {f"{prefix}_{f}": None for f in ("code", "country", "agent", "text")}
    return {f"{prefix}_code": actor.code, f"{prefix}_country": actor.country,
            f"{prefix}_agent": actor.agent, f"{prefix}_text": actor.text or actor.name}


def flat_row(event: StoredEvent) -> dict[str, Any]:
    """The event as one flat row, keyed by FLAT_COLUMNS."""
    row: dict[str, Any] = {
        "event_id": event.id, "coder": event.coder, "doc_id": event.doc_id,
        "date": event.date, "location": event.location,
        **_actor_fields("source", event.source), **_actor_fields("target", event.target),
        "cameo": event.cameo, "root": event.root, "plover": event.plover,
        "quad": event.quad, "goldstein": event.goldstein, "negated": event.negated,
        "mode": event.mode, "confidence": event.confidence,
        "num_mentions": event.num_mentions, "num_sources": event.num_sources,
        "num_articles": event.num_articles, "sentence": event.sentence, "url": event.url,
        "title": event.title, "publisher": event.publisher, "published": event.published,
    }
    return {column: row[column] for column in FLAT_COLUMNS}


def write_csv(events: Iterable[StoredEvent], fh: TextIO) -> int:
    """A header, then one row per event; None is an empty cell."""
    writer = csv.DictWriter(fh, fieldnames=FLAT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow(flat_row(event))
        count += 1
    return count


def write_jsonl(events: Iterable[StoredEvent], fh: TextIO) -> int:
    """StoredEvent.to_dict, one object per line."""
    return _write_json_lines((e.to_dict() for e in events), fh)


def _write_json_lines(records: Iterable[dict[str, Any]], fh: TextIO) -> int:
    count = 0
    for record in records:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
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


# --- dispatch ---

_TEXT_WRITERS: dict[str, Callable[[Iterable[StoredEvent], TextIO], int]] = {
    "gdelt": write_gdelt, "plover": write_plover, "csv": write_csv, "jsonl": write_jsonl,
}


def export_events(events: Iterable[StoredEvent], fmt: str, out: Path | TextIO) -> int:
    """Write ``events`` in format ``fmt`` to a file path or an open text stream.

    Returns the number of records written (PLOVER: actions, others: events).
    Raises ConfigError for an unknown format, or for Parquet to a stream.
    """
    if fmt == "parquet":
        if not isinstance(out, Path):
            raise ConfigError("parquet export needs a file path (-o FILE), not a stream")
        return write_parquet(events, out)
    writer = _TEXT_WRITERS.get(fmt)
    if writer is None:
        raise ConfigError(
            f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}"
        )
    if isinstance(out, Path):
        # newline="": the csv module writes its own line endings.
        with out.open("w", encoding="utf-8", newline="") as fh:
            return writer(events, fh)
    return writer(events, out)
