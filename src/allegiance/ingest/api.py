"""``ingest``: the library call behind ``allegiance ingest``.

    from allegiance import Store, ingest
    summary = ingest(["news/", "https://example.org/feed.xml"], Store())

Sources are routed by what they are: URLs to the fetcher (pages and feeds),
GDELT 2.0 export files to the foreign-coder import, everything else to the file
readers. Each yields articles or errors; one bad source never stops the others.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from allegiance.batch import CoderConfig, Engine
from allegiance.errors import ConfigError, InputError
from allegiance.formats.files import (
    FileOptions,
    is_url,
    iter_files,
    iter_jsonl_stream,
    iter_paths,
)
from allegiance.ingest.fetch import FetchConfig, Fetcher, HttpFetcher
from allegiance.ingest.run import DEFAULT_BATCH, IngestSummary, Sink, ingest_items
from allegiance.ingest.web import iter_url
from allegiance.records import RawArticle, SourceItem
from allegiance.store.store import Store

__all__ = ["IngestOptions", "estimate_articles", "ingest", "ingest_gdelt"]

GDELT_BATCH = 5000


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How to read sources. ``processes=None``: one coding process per core (max 8)."""

    files: FileOptions = field(default_factory=FileOptions)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    processes: int | None = None
    batch: int = DEFAULT_BATCH
    default_date: str | None = None  # publication date for articles that carry none


def _is_gdelt(source: str) -> bool:
    from allegiance.formats.gdelt import is_gdelt_file

    return not is_url(source) and Path(source).is_file() and is_gdelt_file(Path(source))


def _items(sources: Iterable[str], store: Store, options: IngestOptions,
           fetcher: Fetcher | None) -> Iterator[SourceItem]:
    def known(url: str) -> bool:
        return store.known(url=url)

    for source in sources:
        if source == "-":
            yield from iter_jsonl_stream(sys.stdin.buffer, name="stdin")
        elif is_url(source):
            if fetcher is None:
                yield InputError("no fetcher for URLs", where=source)
            elif known(source):
                continue  # a page already stored; a feed URL itself is never stored
            else:
                yield from iter_url(source, fetcher, is_known=known)
        else:
            yield from iter_files([source], options.files)


def _dated(items: Iterator[SourceItem], date: str | None) -> Iterator[SourceItem]:
    for item in items:
        if date and isinstance(item, RawArticle) and item.date is None:
            item = dataclasses.replace(item, date=date)
        yield item


def ingest(
    sources: Iterable[str], store: Store, *, config: CoderConfig | None = None,
    options: IngestOptions | None = None, fetcher: Fetcher | None = None,
    on_article: Callable[[], None] = lambda: None, engine: Engine | None = None,
    sink: Sink | None = None,
) -> IngestSummary:
    """Read, dedup, code and store every source; GDELT files are imported as is.

    ``fetcher``: for URLs; None builds an :class:`HttpFetcher` from ``options.fetch``.
    ``engine``: where to code (``batch.engine``: a ``DaskEngine``, opened by the caller);
    None: this process or ``options.processes`` local processes. ``sink``: where the
    coded articles go (a ``store.parquet.ParquetSink``) instead of ``store``, which still
    decides what is a duplicate.
    """
    options = options or IngestOptions()
    sources = list(sources)
    gdelt = [s for s in sources if _is_gdelt(s)]
    if gdelt and sink is not None:
        raise ConfigError(f"{gdelt[0]} is a GDELT file: GDELT events are imported into a "
                          "store as they are, not coded; ingest it without --parquet")
    others = [s for s in sources if s not in gdelt]
    with contextlib.ExitStack() as stack:
        if fetcher is None and any(is_url(s) for s in others):
            fetcher = stack.enter_context(HttpFetcher(options.fetch))
        items = _dated(_items(others, store, options, fetcher), options.default_date)
        summary = ingest_items(items, store, config=config,
                               processes=options.processes, batch=options.batch,
                               on_article=on_article, engine=engine, sink=sink)
    for path in gdelt:
        ingest_gdelt(Path(path), store, summary)
    return summary


def ingest_gdelt(path: Path, store: Store, summary: IngestSummary) -> None:
    """Import one GDELT 2.0 events or mentions file into the store (coder "gdelt")."""
    from allegiance.formats.gdelt import read_gdelt

    batch: list[object] = []
    for item in read_gdelt(path):
        if isinstance(item, InputError):
            summary.fail(item.where or str(path), str(item))
            continue
        batch.append(item)
        if len(batch) >= GDELT_BATCH:
            _write_gdelt(store, batch, summary)
            batch = []
    _write_gdelt(store, batch, summary)


def _write_gdelt(store: Store, batch: list[object], summary: IngestSummary) -> None:
    if batch:
        counts = store.write_foreign(batch)  # type: ignore[arg-type]
        summary.foreign_events += counts.events
        summary.foreign_mentions += counts.mentions


def estimate_articles(sources: Iterable[str], options: FileOptions | None = None) -> int | None:
    """How many articles the local sources hold (for the progress bar), None if unknown."""
    total = 0
    for source in sources:
        if is_url(source) or source == "-":
            return None
        for path in iter_paths([source], options):
            if isinstance(path, InputError):
                total += 1
                continue
            total += _articles_in(path)
    return total


def _articles_in(path: Path) -> int:
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".csv"):
        return 1
    try:
        with path.open("rb") as fh:
            lines = sum(1 for line in fh if line.strip())
    except OSError:
        return 1
    return max(1, lines - (suffix == ".csv"))
