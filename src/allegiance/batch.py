"""The batch driver: records in, results out, on one or many processes.

Kept apart from the per-document logic (``Coder``) so every scale-out backend (a
process pool here, Dask later) calls the same function, :func:`code_chunk`.
A record that fails, for whatever reason, becomes an error result; the rest of the
batch goes on.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from allegiance.coder import Coder, CoderConfig
from allegiance.errors import AllegianceError, InputError
from allegiance.pipeline.document import Article, CodedDoc
from allegiance.records import Event

__all__ = ["BatchResult", "code_chunk", "code_records", "default_processes"]

log = logging.getLogger(__name__)

CHUNK_RECORDS = 48  # large enough to fill the parser's and the classifier's batches
SMALL_BATCH = 200  # fewer records than this are coded in-process
Item = tuple[str, "dict[str, Any] | InputError"]


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What became of one input record: its events, or the error that stopped it."""

    where: str
    doc_id: str | None
    events: tuple[Event, ...] = ()
    error: str | None = None
    sentences: int = 0
    # (start, end) of each sentence in the record's text: the store keeps them.
    spans: tuple[tuple[int, int], ...] = ()


def default_processes() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _articles(chunk: list[Item]) -> tuple[list[tuple[str, Article]], list[BatchResult]]:
    good: list[tuple[str, Article]] = []
    bad: list[BatchResult] = []
    for where, record in chunk:
        if isinstance(record, InputError):
            bad.append(BatchResult(where, None, error=str(record)))
            continue
        try:
            good.append((where, Article.from_record(record, where=where)))
        except InputError as err:
            bad.append(BatchResult(where, _id_of(record), error=str(err)))
    return good, bad


def _id_of(record: dict[str, Any]) -> str | None:
    value = record.get("id")
    return value if isinstance(value, str) else None


def code_chunk(coder: Coder, chunk: list[Item]) -> list[BatchResult]:
    """Code one chunk of records; results come back in input order."""
    good, bad = _articles(chunk)
    results = {r.where: r for r in bad}
    try:
        docs = list(coder.pipe(a for _, a in good))
        for (where, article), doc in zip(good, docs, strict=True):
            results[where] = _result(where, article, doc)
    except AllegianceError:
        raise
    except Exception:  # one bad document must not sink its neighbours: retry one by one
        for where, article in good:
            results[where] = _code_one(coder, where, article)
    return [results[where] for where, _ in chunk]


def _code_one(coder: Coder, where: str, article: Article) -> BatchResult:
    try:
        doc = coder.code(article)
    except AllegianceError:
        raise
    except Exception as exc:
        log.exception("coding %s failed", where)
        return BatchResult(where, article.id, error=f"{where}: internal error while coding "
                           f"({type(exc).__name__}: {exc}); please report it")
    return _result(where, article, doc)


def _result(where: str, article: Article, doc: CodedDoc) -> BatchResult:
    return BatchResult(where, article.id, doc.events, sentences=len(doc.sentences),
                       spans=tuple((s.start, s.end) for s in doc.sentences))


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_WORKER: Coder | None = None


def _init_worker(config: CoderConfig) -> None:
    global _WORKER  # one Coder per worker process, built once
    _WORKER = Coder(config)
    _WORKER.warm_up()


def _work(chunk: list[Item]) -> list[BatchResult]:
    assert _WORKER is not None, "worker used before _init_worker ran"
    return code_chunk(_WORKER, chunk)


def code_records(
    items: Iterable[Item], *, config: CoderConfig | None = None, processes: int = 1,
    chunk_size: int = CHUNK_RECORDS,
) -> Iterator[BatchResult]:
    """Code ``(where, record_or_error)`` items; yields one result per item, in order."""
    config = config or CoderConfig()
    items = iter(items)
    # Workers each load the models (seconds): not worth it for a handful of records.
    head = list(itertools.islice(items, SMALL_BATCH))
    if processes <= 1 or len(head) < SMALL_BATCH:
        coder = Coder(config)
        for chunk in _chunks(itertools.chain(head, items), chunk_size):
            yield from code_chunk(coder, chunk)
        return
    ctx = mp.get_context("spawn" if os.name == "nt" else "forkserver")
    with ctx.Pool(processes, initializer=_init_worker, initargs=(config,)) as pool:
        for results in pool.imap(_work, _chunks(itertools.chain(head, items), chunk_size)):
            yield from results
