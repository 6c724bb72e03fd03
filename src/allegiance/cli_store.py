"""The store commands: ``ingest``, ``events``, ``export`` and ``db``.

Thin wrappers: each builds options and calls the library (``ingest``,
``Store.events``, ``export_events``). The ingest summary goes to stdout; progress
and per-source failures go to stderr.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from allegiance.store.records import StoredEvent

__all__ = ["register"]


def _db_option(f: Any) -> Any:
    return click.option(
        "--db", "db", default=None, metavar="URL", envvar="ALLEGIANCE_DB",
        help="Store: sqlite:///path/events.db, postgresql://user:pw@host/db, or a file path. "
             "Default: $ALLEGIANCE_DB, else ~/.local/share/allegiance/events.db.")(f)


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
        click.option("--min-confidence", type=click.FloatRange(0, 1)),
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


def _actor(e: StoredEvent, side: str) -> str:
    actor = e.source if side == "source" else e.target
    return actor.code if actor else "-"


def write_table(events: list[StoredEvent], stream: Any) -> None:
    from allegiance.codebook import codebook

    book = codebook()
    width = shutil.get_terminal_size((140, 20)).columns
    stream.write(f"{'DATE':<10} {'SOURCE':<10} {'EVENT':<28} {'TARGET':<10} {'MODE':<9} "
                 f"{'CONF':>4} {'ART':>3} {'SRC':>3} EVIDENCE\n")
    for e in events:
        name = book[e.cameo].name if e.cameo in book else ""
        event = f"{e.cameo} {'NOT ' if e.negated else ''}{name}"[:28]
        conf = "-" if e.confidence is None else f"{e.confidence:.2f}"
        fixed = (f"{e.date or '-':<10} {_actor(e, 'source')[:10]:<10} {event:<28} "
                 f"{_actor(e, 'target')[:10]:<10} {e.mode[:9]:<9} {conf:>4} "
                 f"{e.num_articles:>3} {e.num_sources:>3} ")
        room = max(20, width - len(fixed))
        text = e.sentence or e.url or ""
        stream.write(fixed + (text if len(text) <= room else text[:room - 1] + "…") + "\n")


def _open_store(db: str | None, **kw: Any) -> Any:
    from allegiance.store.store import Store

    return Store(db, **kw)


def register(main: click.Group, coder_options: Callable[[Any], Any],
             config: Callable[..., Any]) -> None:
    """Add the store commands to the ``allegiance`` group."""
    from allegiance.cli_ingest import ingest_command

    main.add_command(ingest_command(coder_options, config))
    main.add_command(events_command)
    main.add_command(export_command)
    main.add_command(db_group)


@click.command("events")
@_db_option
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
    from allegiance.export import export_events

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


@click.command("export")
@_db_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(["gdelt", "plover", "csv", "jsonl",
                                                      "parquet"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write ('-' for stdout, except parquet).")
def export_command(db: str | None, fmt: str, output: Path, **kw: Any) -> None:
    """Export events as GDELT 2.0 rows, PLOVER JSON, CSV, JSON Lines or Parquet."""
    from allegiance.export import export_events

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


@click.group("db")
def db_group() -> None:
    """The event store: where it is, what it holds, its migrations."""


@db_group.command("info")
@_db_option
def db_info(db: str | None) -> None:
    """Where the store is and what it holds."""
    with _open_store(db) as store:
        stats = store.stats()
        click.echo(f"store       {store.display_url} ({store.backend})")
        click.echo(f"migrations  {', '.join(store.migrations())}")
        click.echo(f"articles    {stats.articles:,} (+{stats.copies:,} syndicated copies)")
        click.echo(f"sentences   {stats.sentences:,}")
        for coder, n in sorted(stats.events.items()):
            click.echo(f"events      {n:,} ({coder})")
        click.echo(f"mentions    {stats.mentions:,}")
        click.echo(f"actors      {stats.actors:,}")


@db_group.command("migrate")
@_db_option
def db_migrate(db: str | None) -> None:
    """Create the store or bring its schema up to date (ingest does this too)."""
    with _open_store(db) as store:
        click.echo(f"{store.display_url}: {', '.join(store.migrations())}")
