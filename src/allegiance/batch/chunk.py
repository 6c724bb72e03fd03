"""The one batch function: a chunk of input records -> one result per record.

Every runner (the local process pool in ``local.py``, Dask next) calls
:func:`code_chunk` and nothing else, so the same records give the same events on
any engine. A record that fails, for whatever reason, becomes an error result;
the rest of the chunk goes on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from allegiance.errors import AllegianceError, InputError
from allegiance.pipeline.coder import Coder
from allegiance.pipeline.document import Article, CodedDoc
from allegiance.records import Event

__all__ = ["BatchResult", "Item", "code_chunk"]

log = logging.getLogger(__name__)

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
