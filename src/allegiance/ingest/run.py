"""The ingest driver: sources -> dedup -> coding (one batch function) -> store.

Articles are written in input order, in transactions of ``batch`` articles. A
killed ingest loses at most the open transaction; running it again skips what
was stored (same URL or text) and redoes the rest with the same decisions, so
it ends with the same database as an uninterrupted run.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from allegiance.batch import (
    BatchResult,
    CoderConfig,
    Engine,
    code_records,
    default_processes,
)
from allegiance.ingest.dedup import Copy, Deduper, Duplicate, Either, New
from allegiance.records import RawArticle, SourceItem
from allegiance.store.seen import SeenArticles
from allegiance.store.store import Store
from allegiance.store.writer import ArticleRecord, WriteCounts

__all__ = ["IngestSummary", "Sink", "ingest_items"]

log = logging.getLogger(__name__)
DEFAULT_BATCH = 64
DEDUP_CHUNK = 32  # articles checked against the store with one query


@dataclass(slots=True)
class IngestSummary:
    """What an ingest did: the end-of-run report."""

    read: int = 0
    added: int = 0
    duplicates: int = 0
    copies: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    events_added: int = 0
    events_merged: int = 0
    mentions: int = 0
    seconds: float = 0.0
    store_seconds: float = 0.0
    foreign_events: int = 0  # imported from GDELT files
    foreign_mentions: int = 0
    # Written to a Parquet dataset: each coded report counts, merged into events only
    # when the dataset is loaded into a store.
    reports_only: bool = False

    def count(self, written: WriteCounts) -> None:
        self.added += written.articles
        self.copies += written.copies
        self.duplicates += written.already
        self.events_added += written.events_added
        self.events_merged += written.events_merged
        self.mentions += written.mentions

    def fail(self, where: str, reason: str) -> None:
        self.failed.append((where, reason))

    def lines(self) -> list[str]:
        rate = self.read / self.seconds if self.seconds else 0.0
        share = 100 * self.store_seconds / self.seconds if self.seconds else 0.0
        return [
            f"articles read       {self.read:>8,}  ({rate:.1f}/s)",
            f"  added and coded   {self.added:>8,}",
            f"  duplicates        {self.duplicates:>8,}  (same URL or text: skipped)",
            f"  syndicated copies {self.copies:>8,}  (near-duplicates: linked, not coded)",
            f"  failed            {len(self.failed):>8,}",
            *([f"event reports       {self.events_added:>8,}  (merged into events when "
                "loaded: `allegiance db load`)"] if self.reports_only else [
                f"events added        {self.events_added:>8,}",
                f"events merged       {self.events_merged:>8,}  (further reports of a "
                "stored event)",
                f"mentions            {self.mentions:>8,}"]),
            f"time                {self.seconds:>8.1f} s  (storing {share:.0f}%)",
        ] + ([f"GDELT events        {self.foreign_events:>8,}  "
               f"({self.foreign_mentions:,} mentions)"]
             if self.foreign_events or self.foreign_mentions else [])


@dataclass(frozen=True, slots=True)
class _Pending:
    seq: int
    record: ArticleRecord | None = None  # a copy to write, or None for nothing to write


class Sink(Protocol):
    """Where coded articles go, a batch at a time: a :class:`Store`, or a Parquet
    dataset (``store.parquet.ParquetSink``)."""

    def write(self, records: list[ArticleRecord]) -> WriteCounts: ...


class _Run:
    """One ingest's state: the ordered hand-over from dedup to coding to the store."""

    def __init__(self, store: Store, summary: IngestSummary, batch: int,
                 on_article: Callable[[], None], sink: Sink | None = None,
                 seen: SeenArticles | None = None) -> None:
        self.store = store
        self.sink: Sink = sink or store
        self.seen = seen  # what the sink got, for the deduper (a sink that is no store)
        self.summary = summary
        self.batch = batch
        self.on_article = on_article
        self.deduper = Deduper(store if seen is None else Either(store, seen))
        self.pending: deque[_Pending] = deque()  # not coded; waits for its turn in order
        self.coding: dict[str, tuple[int, RawArticle, New]] = {}
        self.failed: set[str] = set()  # article ids that failed coding
        self.buffer: list[ArticleRecord] = []
        self.skipped = 0  # counted by the feeder thread, added to the summary at the end

    def feed(self, items: Iterable[SourceItem]) -> Iterator[tuple[str, dict[str, Any]]]:
        """The records to code; everything else is queued in ``pending`` in order.

        Runs in the process pool's feeder thread: ``pending`` is a deque, whose
        append and popleft are atomic, and nothing else here is shared.
        """
        chunk: list[tuple[int, RawArticle]] = []
        for seq, item in enumerate(items):
            if isinstance(item, RawArticle):
                chunk.append((seq, item))
                if len(chunk) >= DEDUP_CHUNK:
                    yield from self._decide(chunk)
                    chunk = []
                continue
            yield from self._decide(chunk)  # everything before it first: order is kept
            chunk = []
            self.summary.fail(item.where or "?", str(item))
            self.pending.append(_Pending(seq))
        yield from self._decide(chunk)

    def _decide(self, chunk: list[tuple[int, RawArticle]]
                ) -> Iterator[tuple[str, dict[str, Any]]]:
        decisions = self.deduper.decide_many([raw for _, raw in chunk]) if chunk else []
        for (seq, item), decision in zip(chunk, decisions, strict=True):
            if isinstance(decision, Duplicate):
                self.skipped += 1
                log.info("%s: skipped, %s", item.where, decision.reason)
                self.pending.append(_Pending(seq))
            elif isinstance(decision, Copy):
                record = ArticleRecord(item, decision.fingerprint, decision.url,
                                       duplicate_of=decision.original)
                self.pending.append(_Pending(seq, record))
            else:
                key = f"#{seq}"
                self.coding[key] = (seq, item, decision)
                yield key, item.to_record()

    def take(self, result: BatchResult) -> None:
        seq, raw, new = self.coding.pop(result.where)
        self._release(before=seq)
        self.on_article()
        if result.error is not None:
            self.failed.add(ArticleRecord(raw, new.fingerprint, new.url).id)
            self.summary.fail(raw.where, result.error.removeprefix(f"{result.where}: "))
            return
        self._add(ArticleRecord(raw, new.fingerprint, new.url, result.events, result.spans))

    def finish(self) -> None:
        self._release(before=None)
        self.flush()
        self.summary.duplicates += self.skipped

    def _release(self, *, before: int | None) -> None:
        while self.pending and (before is None or self.pending[0].seq < before):
            item = self.pending.popleft()
            self.on_article()
            record = item.record
            if record is None:
                continue
            if record.duplicate_of in self.failed:
                self.summary.fail(record.raw.where, "near-copy of an article that failed: "
                                  "not coded either")
                continue
            self._add(record)

    def _add(self, record: ArticleRecord) -> None:
        self.buffer.append(record)
        if len(self.buffer) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        start = time.perf_counter()
        self.summary.count(self.sink.write(self.buffer))
        if self.seen is not None:
            self.seen.add(self.buffer)
        self.summary.store_seconds += time.perf_counter() - start
        self.buffer = []


def ingest_items(
    items: Iterable[SourceItem], store: Store, *, config: CoderConfig | None = None,
    processes: int | None = None, batch: int = DEFAULT_BATCH,
    on_article: Callable[[], None] = lambda: None, engine: Engine | None = None,
    sink: Sink | None = None,
) -> IngestSummary:
    """Dedup, code and store source items, in order; returns the summary.

    Bad items (and articles the coder refuses) are counted as failed with their
    reason; the rest goes on. ``on_article`` is called once per item (progress).
    ``sink``: where the coded articles go instead of ``store`` (which the decisions
    on duplicates still read).
    """
    summary = IngestSummary(reports_only=sink is not None)
    started = time.perf_counter()
    counted = _counting(items, summary)
    with contextlib.ExitStack() as stack:
        seen = None if sink is None else stack.enter_context(SeenArticles())
        run = _Run(store, summary, batch, on_article, sink, seen)
        results = code_records(run.feed(counted), config=config, engine=engine,
                               processes=default_processes() if processes is None
                               else processes)
        for result in results:
            run.take(result)
        run.finish()
    summary.seconds = time.perf_counter() - started
    return summary


def _counting(items: Iterable[SourceItem], summary: IngestSummary) -> Iterator[SourceItem]:
    for item in items:
        summary.read += 1
        yield item
