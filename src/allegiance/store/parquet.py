"""Coded articles as a Parquet dataset: the output for runs too big for one database
writer, read directly by DuckDB, pandas and Spark, and loaded into a store later.

``allegiance ingest ... --parquet DIR`` writes what it would have stored, one *part* per
write batch (the same records :meth:`Store.write` takes):

    DIR/events/date=2026-11-24/part-<key>.parquet    one row per coded event, by its date
    DIR/events_undated/part-<key>.parquet            events with no date (nor their article)
    DIR/articles/part-<key>.parquet                  the part's articles, text included

The events are Hive-partitioned by date, so ``read_parquet('DIR/events/**/*.parquet',
hive_partitioning = true)`` in DuckDB, ``pandas.read_parquet('DIR/events')`` or Spark's
``spark.read.parquet('DIR/events')`` read them with ``date`` as a column and skip the days
a query does not ask for (undated events sit apart: a null partition is a dictionary pyarrow
cannot yet read into pandas). ``allegiance db load DIR`` (:func:`read_parts`, then
:meth:`Store.write`) stores the parts in the order they were coded, so the store ends as a
direct ingest would have left it.

Exactly once: a part's key is a hash of its articles' ids, and each file is written under
a temporary name and renamed, the articles file last. Running an interrupted ingest again
writes the same parts under the same names (the decisions depend only on the input order
and the store), so nothing is doubled; a part without its articles file is unfinished and
``db load`` skips it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allegiance.errors import InputError
from allegiance.records import ActorCode, ActorMention, Event, RawArticle, Span, coder_version
from allegiance.store.dedupe import fingerprint
from allegiance.store.writer import ArticleRecord, WriteCounts

__all__ = ["UNDATED", "LoadedPart", "ParquetSink", "describe", "load_dataset", "read_parts"]

UNDATED = "events_undated"
DAYS_KEY = "allegiance.event_days"  # the articles file's metadata: the days of its events
log = logging.getLogger(__name__)
_ACTOR_FIELDS = ("text", "start", "end", "code", "country", "agent", "name")


@dataclass(frozen=True, slots=True)
class LoadedPart:
    """One part read back: its records in coding order, and the coder version that made
    them (``Store.write(records, version=...)``)."""

    name: str
    version: str
    records: tuple[ArticleRecord, ...]


class ParquetSink:
    """Writes batches of :class:`ArticleRecord` as parts of the dataset at ``root``: the
    same ``write(records) -> WriteCounts`` as a store, for the ingest's one write path.
    ``run`` (an ISO time) orders this run's parts after earlier runs' for ``db load``."""

    def __init__(self, root: Path, *, run: str) -> None:
        self.root = root
        self.run = run
        self.seq = 0
        self.version = coder_version()
        _sweep_unfinished(root)

    def write(self, records: Sequence[ArticleRecord]) -> WriteCounts:
        if not records:
            return WriteCounts()
        import pyarrow as pa
        import pyarrow.parquet as pq

        key = hashlib.sha1("\n".join(r.id for r in records).encode()).hexdigest()[:20]
        name = f"part-{key}.parquet"
        by_date: dict[str, list[dict[str, Any]]] = defaultdict(list)
        articles = []
        for record in records:
            articles.append(self._article_row(record))
            for n, event in enumerate(record.events):
                by_date[event.date or ""].append(_event_row(record.id, n, event))
            self.seq += 1
        # The same part written again (a rerun) may have its events on other days: what
        # the earlier one wrote goes first, so no day keeps a stale copy.
        for stale in _event_files(self.root, self.root / "articles" / name):
            stale.unlink(missing_ok=True)
        for day, rows in sorted(by_date.items()):
            _write_atomically(pq, pa.Table.from_pylist(rows, schema=_event_schema(pa)),
                              _event_file(self.root, day, name))
        # Last, naming the days written: a part is complete once its articles file exists.
        table = pa.Table.from_pylist(articles, schema=_article_schema(pa)).replace_schema_metadata(
            {DAYS_KEY: json.dumps(sorted(by_date))})
        _write_atomically(pq, table, self.root / "articles" / name)
        copies = sum(r.duplicate_of is not None for r in records)
        events = sum(len(r.events) for r in records)
        return WriteCounts(articles=len(records) - copies, copies=copies,
                           events_added=events, mentions=events)

    def _article_row(self, record: ArticleRecord) -> dict[str, Any]:
        raw = record.raw
        return {
            "run": self.run, "seq": self.seq, "article_id": record.id, "where": raw.where,
            "source_id": raw.id, "text": raw.text, "title": raw.title, "url": raw.url,
            "publisher": raw.publisher, "date": raw.date, "language": raw.language,
            "feed": raw.feed, "canonical_url": record.url,
            "duplicate_of": record.duplicate_of,
            "span_starts": [s for s, _ in record.spans], "span_ends": [e for _, e in record.spans],
            "events": len(record.events), "coder_version": self.version,
        }


def _event_row(article: str, n: int, event: Event) -> dict[str, Any]:
    row: dict[str, Any] = {
        "article_id": article, "n": n, "doc_id": event.doc_id, "event_id": event.event_id,
        "sentence": event.sentence, "sentence_start": event.sentence_start,
        "cameo": event.cameo, "root": event.root, "plover": event.plover, "quad": event.quad,
        "goldstein": event.goldstein, "negated": event.negated, "mode": event.mode,
        "location": event.location, "confidence": event.confidence,
        "trigger_text": event.trigger.text if event.trigger else None,
        "trigger_start": event.trigger.start if event.trigger else None,
        "trigger_end": event.trigger.end if event.trigger else None,
    }
    for side, mention in (("source", event.source), ("target", event.target)):
        values = (None,) * len(_ACTOR_FIELDS) if mention is None else (
            mention.text, mention.start, mention.end, mention.actor.code,
            mention.actor.country, mention.actor.agent, mention.actor.name)
        row.update({f"{side}_{f}": v for f, v in zip(_ACTOR_FIELDS, values, strict=True)})
    return row


def _event_schema(pa: Any) -> Any:
    fields = [("article_id", pa.string()), ("n", pa.int32()), ("doc_id", pa.string()),
              ("event_id", pa.string()), ("sentence", pa.string()),
              ("sentence_start", pa.int32())]
    for side in ("source", "target"):
        fields += [(f"{side}_text", pa.string()), (f"{side}_start", pa.int32()),
                   (f"{side}_end", pa.int32()), (f"{side}_code", pa.string()),
                   (f"{side}_country", pa.string()), (f"{side}_agent", pa.string()),
                   (f"{side}_name", pa.string())]
    fields += [("cameo", pa.string()), ("root", pa.string()), ("plover", pa.string()),
               ("quad", pa.int8()), ("goldstein", pa.float64()), ("negated", pa.bool_()),
               ("mode", pa.string()), ("location", pa.string()),
               ("confidence", pa.float64()), ("trigger_text", pa.string()),
               ("trigger_start", pa.int32()), ("trigger_end", pa.int32())]
    return pa.schema(fields)


def _article_schema(pa: Any) -> Any:
    text = ("article_id", "where", "source_id", "text", "title", "url", "publisher", "date",
            "language", "feed", "canonical_url", "duplicate_of")
    return pa.schema([("run", pa.string()), ("seq", pa.int64()),
                      *((name, pa.string()) for name in text),
                      ("span_starts", pa.list_(pa.int32())),
                      ("span_ends", pa.list_(pa.int32())),
                      ("events", pa.int32()), ("coder_version", pa.string())])


def _event_file(root: Path, day: str, name: str) -> Path:
    return root / "events" / f"date={day}" / name if day else root / UNDATED / name


def _event_files(root: Path, articles_file: Path) -> list[Path]:
    """The event files of a complete part, from the days its articles file names."""
    import pyarrow.parquet as pq

    if not articles_file.exists():
        return []
    metadata = pq.read_schema(articles_file).metadata or {}
    days = json.loads(metadata.get(DAYS_KEY.encode(), b"[]"))
    return [_event_file(root, day, articles_file.name) for day in days]


def _sweep_unfinished(root: Path) -> None:
    """Remove the event files of parts whose articles file was never written (a run killed
    mid-part): ``db load`` never reads them, but DuckDB and pandas would."""
    if not (root / "events").is_dir() and not (root / UNDATED).is_dir():
        return
    done = {p.name for p in (root / "articles").glob("part-*.parquet")}
    for file in [*(root / "events").glob("date=*/part-*.parquet"),
                 *(root / UNDATED).glob("part-*.parquet")]:
        if file.name not in done:
            file.unlink(missing_ok=True)
            log.info("removed %s: its part was never finished", file)


def _write_atomically(pq: Any, table: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    pq.write_table(table, partial, compression="zstd")
    os.replace(partial, path)  # readers see a whole file or none


# -- reading back -------------------------------------------------------------------------

def read_parts(root: Path) -> Iterator[LoadedPart]:
    """Every complete part under ``root``, in coding order (run, then sequence)."""
    import pyarrow.parquet as pq

    folder = root / "articles"
    if not folder.is_dir():
        raise InputError("not a dataset written by `allegiance ingest --parquet` (no "
                         "articles/ folder)", where=str(root))
    heads = []
    for path in folder.glob("part-*.parquet"):
        first = pq.read_table(path, columns=["run", "seq"]).slice(0, 1).to_pylist()
        if first:
            heads.append((first[0]["run"], first[0]["seq"], path))
    for _, _, path in sorted(heads):
        yield _read_part(root, path)


def _read_part(root: Path, path: Path) -> LoadedPart:
    import pyarrow.parquet as pq

    numbered: dict[str, list[tuple[int, Event]]] = defaultdict(list)
    for file in _event_files(root, path):
        if not file.exists():
            raise InputError(f"part {path.name}: its events file {file.parent.name}/"
                             f"{file.name} is missing; the part is damaged: run the ingest "
                             "that wrote it again", where=str(root))
        day = file.parent.name.removeprefix("date=") if file.parent.name != UNDATED else None
        for row in pq.read_table(file).to_pylist():
            numbered[row["article_id"]].append((row["n"], _event(row, day)))
    rows = pq.read_table(path).to_pylist()
    records = []
    for row in rows:
        # An article's events in the order they were coded (``n``), whatever their days.
        found = [e for _, e in sorted(numbered.get(row["article_id"], []),
                                      key=lambda pair: pair[0])]
        if len(found) != row["events"]:
            raise InputError(f"part {path.name}: article {row['article_id']} has "
                             f"{len(found)} of its {row['events']} events; the part is "
                             "damaged: run the ingest that wrote it again", where=str(root))
        raw = RawArticle(where=row["where"], id=row["source_id"], text=row["text"],
                         title=row["title"], url=row["url"], publisher=row["publisher"],
                         date=row["date"], language=row["language"], feed=row["feed"])
        records.append(ArticleRecord(
            raw, fingerprint(raw.text), row["canonical_url"], tuple(found),
            tuple(zip(row["span_starts"], row["span_ends"], strict=True)),
            duplicate_of=row["duplicate_of"]))
    version = rows[0]["coder_version"] if rows else coder_version()
    return LoadedPart(path.name, version, tuple(records))


def _event(row: dict[str, Any], day: str | None) -> Event:
    def actor(side: str) -> ActorMention | None:
        if row[f"{side}_code"] is None:
            return None
        return ActorMention(row[f"{side}_text"], row[f"{side}_start"], row[f"{side}_end"],
                            ActorCode(row[f"{side}_code"], row[f"{side}_country"],
                                      row[f"{side}_agent"], row[f"{side}_name"]))

    trigger = None if row["trigger_text"] is None else Span(
        row["trigger_text"], row["trigger_start"], row["trigger_end"])
    return Event(doc_id=row["doc_id"], event_id=row["event_id"], sentence=row["sentence"],
                 sentence_start=row["sentence_start"], source=actor("source"),
                 target=actor("target"), cameo=row["cameo"], root=row["root"],
                 plover=row["plover"], quad=row["quad"], goldstein=row["goldstein"],
                 negated=row["negated"], mode=row["mode"], date=day,
                 location=row["location"], confidence=row["confidence"], trigger=trigger)


def load_dataset(root: Path, store: Any, *, batch: int = 64,
                 on_article: Any = lambda: None) -> WriteCounts:
    """Store every complete part of the dataset at ``root`` through ``store.write`` (the
    one write path), in coding order, ``batch`` articles a transaction. Loading twice
    stores nothing twice: articles already stored are skipped."""
    total = WriteCounts()
    for part in read_parts(root):
        for start in range(0, len(part.records), batch):
            chunk = part.records[start:start + batch]
            total.add(store.write(chunk, version=part.version))
            for _ in chunk:
                on_article()
    return total


def describe(root: Path) -> dict[str, Any]:
    """What a dataset's complete parts hold, for messages: parts, articles, event reports
    and days with events (reads footers and one small column)."""
    import pyarrow.parquet as pq

    parts = list((root / "articles").glob("part-*.parquet"))
    days: set[str] = set()
    for part in parts:
        days.update(f.parent.name for f in _event_files(root, part) if f.parent.name != UNDATED)
    return {"parts": len(parts),
            "articles": sum(pq.ParquetFile(p).metadata.num_rows for p in parts),
            "events": sum(sum(pq.read_table(p, columns=["events"])["events"].to_pylist())
                          for p in parts),
            "days": len(days)}
