"""The store commands: ``events``, ``export`` and ``db``.

Thin wrappers: each builds options and calls the library (
``Store.events``, ``export_events``). The ingest summary goes to stdout; progress
and per-source failures go to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from allegiance.cli.app import main
from allegiance.cli.options import db_option, progress_bar, progress_option
from allegiance.formats.table import write_table

__all__ = ["db_group", "events_command", "export_command", "filter_options"]


def filter_options(f: Any) -> Any:
    """The event filters shared by ``events`` and ``export``."""
    options = [
        click.option("--actor", help="Actor code on either side, by prefix (VEN, VENMIL)."),
        click.option("--source", help="Source actor code, by prefix."),
        click.option("--target", help="Target actor code, by prefix."),
        click.option("--country", help="Country (ISO alpha-3) on either side."),
        click.option("--dyad", metavar="SRC-TGT", help="Source-target codes, e.g. VEN-RUS."),
        click.option("--cameo", help="CAMEO code or prefix (023 matches 0231-0234)."),
        click.option("--root", help="CAMEO root code (two digits)."),
        click.option("--plover", help="PLOVER category, e.g. REQUEST."),
        click.option("--quad", type=click.IntRange(1, 4), help="QuadClass 1-4."),
        click.option("--since", metavar="YYYY-MM-DD"),
        click.option("--until", metavar="YYYY-MM-DD"),
        click.option("--mode", "modes", multiple=True, help="asserted, future, hypothetical, "
                     "reported or historical; repeatable."),
        click.option("--min-confidence", type=click.FloatRange(0, 1),
                     help="Only events at least this certain (the stored confidence)."),
        click.option("--min-mentions", type=click.IntRange(1)),
        click.option("--search", "text", help="Words in the evidence sentence."),
        click.option("--coder", help="allegiance or gdelt (default: both)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _filter(kw: dict[str, Any]) -> Any:
    from allegiance.store.query import EventFilter

    names = ("actor", "source", "target", "country", "dyad", "cameo", "root", "plover",
             "quad", "since", "until", "min_confidence", "min_mentions", "text", "coder")
    return EventFilter(modes=tuple(kw.pop("modes", ()) or ()),
                       **{n: kw.pop(n, None) for n in names})


def _open_store(db: str | None, **kw: Any) -> Any:
    from allegiance.store.store import Store

    return Store(db, **kw)


@main.command("events")
@db_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl", "parquet"]),
              default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to a file (needed for parquet).")
@click.option("--order", type=click.Choice(["date", "mentions", "confidence"]), default="date",
              show_default=True, help="Newest first, most reported first, or most certain.")
@click.option("-n", "--limit", type=click.IntRange(1), default=None,
              help="At most this many events (table default: 50).")
def events_command(db: str | None, fmt: str, output: Path | None, order: str,
                   limit: int | None, **kw: Any) -> None:
    """Events in the store, filtered (newest first)."""
    from allegiance.formats.export import export_events

    where = _filter(kw)
    with _open_store(db, create=False) as store:
        if fmt == "table":
            limit = limit or 50
            events = list(store.events(where, order=order, limit=limit))
            out = output.open("w", encoding="utf-8") if output else sys.stdout
            write_table(events, out)
            total = store.count_events(where)
            if total > len(events):
                click.echo(f"({len(events)} of {total:,} events; --limit for more)", err=True)
            return
        if fmt == "parquet" and output is None:
            raise click.UsageError("--format parquet needs -o FILE")
        n = export_events(store.events(where, order=order, limit=limit), fmt,
                          output if output else sys.stdout)
        if output:
            click.echo(f"{n:,} events written to {output}", err=True)


@main.command("export")
@db_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(["gdelt", "plover", "csv", "jsonl",
                                                      "parquet"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write ('-' for stdout, except parquet).")
def export_command(db: str | None, fmt: str, output: Path, **kw: Any) -> None:
    """Export events as GDELT 2.0 rows, PLOVER JSON, CSV, JSON Lines or Parquet."""
    from allegiance.formats.export import export_events

    where = _filter(kw)
    with _open_store(db, create=False) as store:
        events = store.events(where, order="article" if fmt == "plover" else "date")
        if str(output) == "-":
            if fmt == "parquet":
                raise click.UsageError("parquet cannot go to stdout: give -o FILE")
            export_events(events, fmt, sys.stdout)
            return
        n = export_events(events, fmt, output)
    unit = "actions" if fmt == "plover" else "events"
    click.echo(f"{n:,} {unit} written to {output} ({fmt})", err=True)


@main.group("db")
def db_group() -> None:
    """The event store: where it is, what it holds, its migrations."""


@db_group.command("info")
@db_option
def db_info(db: str | None) -> None:
    """Where the store is and what it holds (never creates one: see `db migrate`)."""
    with _open_store(db, create=False) as store:
        stats = store.stats()
        click.echo(f"store       {store.display_url} ({store.backend})")
        click.echo(f"migrations  {', '.join(store.migrations())}")
        click.echo(f"articles    {stats.articles:,} (+{stats.copies:,} syndicated copies)")
        click.echo(f"sentences   {stats.sentences:,}")
        for coder, n in sorted(stats.events.items()):
            click.echo(f"events      {n:,} ({coder})")
        click.echo(f"mentions    {stats.mentions:,}")
        click.echo(f"actors      {stats.actors:,}")


@db_group.command("load")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
@click.option("--merge-days", type=click.IntRange(0, 365), default=3, show_default=True,
              help="Reports of one dyad and CAMEO root this many days apart are one event.")
@click.option("--batch", type=click.IntRange(1), default=64, show_default=True,
              help="Articles per database transaction.")
@progress_option
def db_load(folder: Path, db: str | None, merge_days: int, batch: int,
            progress: bool | None) -> None:
    """Store a Parquet dataset written by `allegiance ingest --parquet FOLDER`.

    Parts are stored in the order they were coded, through the one write path, so the
    store ends as a direct ingest would have left it; loading again stores nothing twice.
    """
    from allegiance.store.parquet import describe, load_dataset

    held = describe(folder)
    with _open_store(db, merge_days=merge_days) as store:
        click.echo(f"store: {store.display_url}", err=True)
        with progress_bar(progress, unit="articles", total=held["articles"],
                          desc="load") as bar:
            counts = load_dataset(folder, store, batch=batch, on_article=lambda: bar.update(1))
    click.echo(f"parts read          {held['parts']:>8,}  ({held['events']:,} event reports "
               f"on {held['days']:,} days)")
    click.echo(f"articles added      {counts.articles:>8,}")
    click.echo(f"  syndicated copies {counts.copies:>8,}")
    click.echo(f"  already stored    {counts.already:>8,}")
    click.echo(f"events added        {counts.events_added:>8,}")
    click.echo(f"events merged       {counts.events_merged:>8,}")


@db_group.command("migrate")
@db_option
def db_migrate(db: str | None) -> None:
    """Create the store or bring its schema up to date (ingest does this too)."""
    with _open_store(db) as store:
        click.echo(f"{store.display_url}: {', '.join(store.migrations())}")
