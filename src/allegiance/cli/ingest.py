"""``allegiance ingest``: sources in, a summary out (thin wrapper over ``ingest``)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from allegiance.cli.app import main
from allegiance.cli.options import (
    coder_config,
    coder_options,
    date_option,
    db_option,
    engine_options,
    file_config,
    file_options,
    historical_option,
    min_confidence_option,
    open_engine,
    processes_option,
    progress_bar,
    progress_option,
)

__all__ = ["MERGE_DAYS", "ingest_command"]

MERGE_DAYS = 3


def _options(kw: dict[str, Any]) -> Any:
    from allegiance.ingest.api import IngestOptions
    from allegiance.ingest.fetch import FetchConfig

    files = file_config(kw)
    fetch = FetchConfig(timeout=kw.pop("timeout"), per_host_delay=kw.pop("host_delay"))
    date = kw.pop("default_date")
    return IngestOptions(files=files, fetch=fetch, processes=kw.pop("processes"),
                         batch=kw.pop("batch"), default_date=date)


def _report(summary: Any, show: int) -> None:
    for line in summary.lines():
        click.echo(line)
    for where, reason in summary.failed[:show]:
        click.echo(f"failed: {reason}" if reason.startswith(where) else
                   f"failed: {where}: {reason}", err=True)
    if len(summary.failed) > show:
        click.echo(f"... and {len(summary.failed) - show:,} more failures "
                   "(--show-failures N to list them)", err=True)


def _run(sources: list[str], db: str | None, merge_days: int, progress: bool | None,
         show: int, config: Any, options: Any, engine: Any = None,
         parquet: Path | None = None) -> Any:
    from allegiance.ingest.api import estimate_articles, ingest
    from allegiance.store.store import Store

    with Store(db, merge_days=merge_days) as store:
        sink = _parquet_sink(parquet, store)
        if sink is None:
            click.echo(f"store: {store.display_url}", err=True)
        total = estimate_articles(sources, options.files) if progress is not False else None
        with progress_bar(progress, unit="articles", total=total, desc="ingest") as bar:
            summary = ingest(sources, store, config=config, options=options,
                             on_article=lambda: bar.update(1), engine=engine, sink=sink)
    _report(summary, show)
    if parquet is not None:
        target = f" --db {db}" if db else ""
        click.echo(f"written to {parquet} (Parquet): store it with "
                   f"`allegiance db load {parquet}{target}`", err=True)
    return summary


def _parquet_sink(folder: Path | None, store: Any) -> Any:
    if folder is None:
        return None
    import datetime as dt

    from allegiance.store.parquet import ParquetSink

    click.echo(f"coded articles go to {folder} (Parquet); {store.display_url} only tells "
               "what is already stored", err=True)
    run = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    return ParquetSink(folder, run=run)


_OPTIONS = [
    db_option,
    file_options,
    date_option,
    click.option("--merge-days", type=click.IntRange(0, 365), default=MERGE_DAYS,
                 show_default=True,
                 help="Reports of one dyad and CAMEO root this many days apart are one event."),
    click.option("--watch", "feeds_file", type=click.Path(exists=True, dir_okay=False),
                 help="Poll the feed URLs in this file (one per line) for new articles."),
    click.option("--every", default="15m", show_default=True, help="Watch: how often."),
    click.option("--rounds", type=click.IntRange(1), default=None,
                 help="Watch: stop after this many polls (default: until Ctrl-C)."),
    click.option("--timeout", type=click.FloatRange(0.1), default=20.0, show_default=True,
                 help="Seconds before an HTTP request is given up."),
    click.option("--host-delay", type=click.FloatRange(0), default=1.0, show_default=True,
                 help="Seconds between two requests to one web site."),
    processes_option,
    engine_options,
    click.option("--batch", type=click.IntRange(1), default=64, show_default=True,
                 help="Articles per database transaction (per Parquet part)."),
    click.option("--parquet", type=click.Path(file_okay=False, path_type=Path),
                 metavar="FOLDER",
                 help="Write the coded articles to a Parquet dataset (events partitioned "
                 "by date) instead of the store; `allegiance db load FOLDER` stores it."),
    historical_option,
    min_confidence_option,
    progress_option,
    click.option("--show-failures", type=click.IntRange(0), default=20, show_default=True,
                 help="List at most this many failed sources."),
    click.option("--alerts", "alerts_file", type=click.Path(exists=True, dir_okay=False),
                 envvar="ALLEGIANCE_ALERTS", show_envvar=True,
                 help="After each ingest (each poll with --watch), match this alerts file "
                 "and print the new alerts (see `allegiance alerts`)."),
    click.option("--alerts-format", type=click.Choice(["text", "jsonl"]), default="text",
                 show_default=True, help="How new alerts are printed."),
]


def _ingest_options(f: Any) -> Any:
    for option in reversed(_OPTIONS):
        f = option(f)
    return f


@main.command("ingest")
@click.argument("sources", nargs=-1)
@_ingest_options
@coder_options
def ingest_command(sources: tuple[str, ...], db: str | None, merge_days: int,
           feeds_file: str | None, every: str, rounds: int | None, progress: bool | None,
           show_failures: int, alerts_file: str | None, alerts_format: str,
           **kw: Any) -> None:
    """Read, code and store articles from files, folders, URLs, feeds and GDELT files.

    SOURCES are .txt .md .html .jsonl .csv files, folders, glob patterns, web
    pages or RSS/Atom feed URLs, GDELT 2.0 export/mentions files, and '-' for
    JSON Lines records on stdin. Articles
    already stored (same URL or text) are skipped; syndicated copies are linked
    to their original. Exit status 1 if some sources failed.
    """
    engine_spec = (kw.pop("engine"), kw.pop("scheduler"), kw.pop("workers"))
    parquet = kw.pop("parquet")
    if parquet is not None:
        _parquet_allows(feeds_file, merge_days, alerts_file)
    options = _options(kw)
    config = coder_config(kw)
    alerts = _alerts_after(alerts_file, alerts_format, db)
    if not sources and not feeds_file:
        raise click.UsageError("give at least one SOURCE (file, folder, URL), or --watch")
    with open_engine(*engine_spec, processes=options.processes) as engine:
        if feeds_file:
            _watch(feeds_file, every, rounds, list(sources), db, merge_days, show_failures,
                   config, options, alerts, engine)
            return
        summary = _run(list(sources), db, merge_days, progress, show_failures,
                       config, options, engine, parquet)
    alerts()
    if summary.failed:
        sys.exit(1)


def _parquet_allows(feeds_file: str | None, merge_days: int, alerts_file: str | None) -> None:
    """--parquet writes no store: refuse what only a store can do, before any work."""
    if feeds_file:
        raise click.UsageError("--parquet writes one run's output; --watch polls for ever: "
                               "use them apart")
    if merge_days != MERGE_DAYS:
        raise click.UsageError("reports are merged into events when the dataset is stored: "
                               "give --merge-days to `allegiance db load`, not with --parquet")
    if alerts_file:
        raise click.UsageError("--alerts matches stored events, and --parquet stores none: "
                               "match them after `allegiance db load`")


def _alerts_after(rules_file: str | None, fmt: str, db: str | None) -> Callable[[], None]:
    """What to run after an ingest: match the alerts file's rules (read now, so a broken
    file stops the command before any work), or nothing."""
    if not rules_file:
        return lambda: None
    from allegiance.analysis.alerts import read_rules
    from allegiance.cli.analysis import raise_alerts

    read_rules(rules_file)

    def run() -> None:
        n = raise_alerts(db, rules_file, fmt)
        click.echo(f"{n} new alert{'s' if n != 1 else ''} from {rules_file}", err=True)

    return run


def _watch(feeds_file: str, every: str, rounds: int | None, extra: list[str], db: str | None,
           merge_days: int, show: int, config: Any, options: Any,
           alerts: Callable[[], None], engine: Any = None) -> None:
    from allegiance.ingest.watch import parse_every, read_feed_list, watch

    seconds = parse_every(every)
    feeds = read_feed_list(feeds_file) + extra
    click.echo(f"watching {len(feeds)} feeds every {every} (Ctrl-C to stop)", err=True)

    def once(urls: list[str]) -> None:
        click.echo(f"-- {time.strftime('%Y-%m-%d %H:%M:%S')}: polling {len(urls)} feeds",
                   err=True)
        _run(urls, db, merge_days, False, show, config, options, engine)
        alerts()

    watch(feeds, seconds, once, rounds=rounds)
