"""Options shared by several commands, each defined once, and the helpers they feed."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from allegiance.errors import InputError
from allegiance.formats.files import CsvColumns, FileOptions
from allegiance.pipeline.config import DEFAULT_MIN_CONFIDENCE, DEFAULT_SPACY_MODEL, CoderConfig
from allegiance.records import parse_date

__all__ = [
    "coder_config",
    "coder_options",
    "date_option",
    "db_option",
    "engine_options",
    "file_config",
    "file_options",
    "historical_option",
    "min_confidence_option",
    "open_engine",
    "processes_option",
    "progress_bar",
    "progress_option",
]

Decorator = Callable[[Any], Any]


def _stack(*options: Decorator) -> Decorator:
    def apply(f: Any) -> Any:
        for option in reversed(options):
            f = option(f)
        return f
    return apply


db_option = click.option(
    "--db", "db", default=None, metavar="URL", envvar="ALLEGIANCE_DB",
    help="Store: sqlite:///path/events.db, postgresql://user:pw@host/db, or a file path. "
         "Default: $ALLEGIANCE_DB, else ~/.local/share/allegiance/events.db.")

historical_option = click.option(
    "--include-historical", is_flag=True,
    help="Also keep background statements (mode 'historical').")

min_confidence_option = click.option(
    "--min-confidence", type=click.FloatRange(0, 1), default=None,
    help="Leave out events less certain than this [default: the learned model's own "
         f"threshold; {DEFAULT_MIN_CONFIDENCE} with --hand-set-confidence].")

processes_option = click.option(
    "-j", "--processes", type=click.IntRange(1, 64), default=None,
    help="Coding processes [default: one per core, at most 8].")

_ENGINE_OPTIONS = [
    click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
                 show_default=True,
                 help="Where to code: local processes (-j), or a Dask cluster "
                 "(pip install 'allegiance[dask]'; docs/scale.md)."),
    click.option("--scheduler", metavar="ADDRESS",
                 help="Dask: the scheduler to join (tcp://HOST:8786) [default: start a "
                 "local cluster]."),
    click.option("--workers", type=click.IntRange(1, 256), default=None,
                 help="Dask: worker processes of the local cluster [default: one per "
                 "core, at most 8]."),
]


def engine_options(f: Decorator) -> Decorator:
    """--engine, --scheduler, --workers: where to code (``open_engine``)."""
    for option in reversed(_ENGINE_OPTIONS):
        f = option(f)
    return f


def open_engine(kind: str, scheduler: str | None, workers: int | None,
                processes: int | None) -> Any:
    """The engine to code on, as a context manager: None (local processes, chosen by the
    batch layer) or a DaskEngine, open for the whole command (every --watch poll)."""
    import contextlib

    if kind == "local":
        if scheduler or workers:
            raise click.UsageError("--scheduler and --workers are for --engine dask")
        return contextlib.nullcontext(None)
    if processes is not None:
        raise click.UsageError("-j/--processes is for --engine local; with --engine dask "
                               "give --workers (a local cluster) or --scheduler")
    from allegiance.batch.dask import DaskEngine

    return DaskEngine(scheduler, workers=workers)


progress_option = click.option(
    "--progress/--no-progress", default=None,
    help="Progress bar on stderr [default: when stderr is a terminal].")


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            parse_date(value, where="--date")
        except InputError as err:
            raise click.BadParameter(str(err), ctx=ctx, param=param) from None
    return value


date_option = click.option(
    "--date", "default_date", default=None, metavar="YYYY-MM-DD", callback=_check_date,
    help="Publication date for inputs that carry none (anchors 'on Tuesday').")

coder_options = _stack(
    click.option("--spacy-model", default=DEFAULT_SPACY_MODEL, show_default=True,
                 help="Any installed spaCy pipeline with a tagger and parser."),
    click.option("--actors", multiple=True, type=click.Path(exists=True, dir_okay=False),
                 help="Extra actor dictionary (PETRARCH .txt, .csv or .yaml); repeatable."),
    click.option("--default-actors/--no-default-actors", default=True,
                 help="Use the shipped actor dictionaries as well."),
    click.option("--classifier/--no-classifier", default=True,
                 help="Use the learned event classifier (else verb patterns only)."),
    click.option("--learned-confidence/--hand-set-confidence", "acceptance", default=True,
                 help="Score events with the acceptance model trained on our labelled news "
                      "(one-sided protests and build-ups keep the hand-set score): about "
                      "three times the precision of the hand-set score on real news, fewer "
                      "events (BENCHMARKS.md).",
                 show_default=True),
)


def coder_config(kw: dict[str, Any]) -> CoderConfig:
    """The CoderConfig of the coder options (and the output options, where given)."""
    return CoderConfig(
        spacy_model=kw.pop("spacy_model", None) or DEFAULT_SPACY_MODEL,
        actor_files=tuple(Path(p) for p in kw.pop("actors", None) or ()),
        default_actors=kw.pop("default_actors", True),
        use_classifier=kw.pop("classifier", True),
        use_acceptance=kw.pop("acceptance", True),
        include_historical=kw.pop("include_historical", False),
        min_confidence=kw.pop("min_confidence", None),
    )


def progress_bar(enabled: bool | None, *, unit: str, total: int | None = None,
                 desc: str | None = None) -> Any:
    """A tqdm bar on stderr: shown when asked, or by default when stderr is a terminal."""
    from tqdm import tqdm

    show = sys.stderr.isatty() if enabled is None else enabled
    return tqdm(total=total, disable=not show, unit=f" {unit}", file=sys.stderr,
                dynamic_ncols=True, desc=desc)


file_options = _stack(
    click.option("--include", multiple=True, metavar="GLOB",
                 help="Only files matching this pattern (in directories); repeatable."),
    click.option("--exclude", multiple=True, metavar="GLOB", help="Skip matching files."),
    click.option("--text-column", default="text", show_default=True, help="CSV: the text."),
    click.option("--id-column", default="id", show_default=True),
    click.option("--title-column", default="title", show_default=True),
    click.option("--date-column", default="date", show_default=True),
    click.option("--url-column", default="url", show_default=True),
    click.option("--publisher-column", default="publisher", show_default=True),
)


def file_config(kw: dict[str, Any]) -> FileOptions:
    """The FileOptions of the file options (folders, globs, CSV columns)."""
    columns = {n: kw.pop(f"{n}_column") for n in ("text", "id", "title", "date", "url",
                                                   "publisher")}
    return FileOptions(include=kw.pop("include"), exclude=kw.pop("exclude"),
                       csv=CsvColumns(**columns))
