"""The ``allegiance`` command line: thin wrappers over the library.

JSON Lines go to stdout, nothing else; progress, logs and per-line errors go to
stderr. Exit status: 0 all lines processed, 1 some rejected, 2 usage error.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from allegiance.batch import BatchResult, code_records, default_processes
from allegiance.coder import DEFAULT_SPACY_MODEL, Coder, CoderConfig
from allegiance.errors import AllegianceError, InputError
from allegiance.io import iter_article_files, read_article_file, read_jsonl
from allegiance.output import EventWriter
from allegiance.pipeline.document import parse_date

__all__ = ["main"]


def _config(**kw: Any) -> CoderConfig:
    return CoderConfig(
        spacy_model=kw.get("spacy_model") or DEFAULT_SPACY_MODEL,
        actor_files=tuple(Path(p) for p in kw.get("actors") or ()),
        default_actors=kw.get("default_actors", True),
        use_classifier=kw.get("classifier", True),
        include_historical=kw.get("include_historical", False),
        min_confidence=kw.get("min_confidence", 0.3),
    )


def coder_options(f: Any) -> Any:
    f = click.option("--spacy-model", default=DEFAULT_SPACY_MODEL, show_default=True,
                     help="Any installed spaCy pipeline with a tagger and parser.")(f)
    f = click.option("--actors", multiple=True, type=click.Path(exists=True, dir_okay=False),
                     help="Extra actor dictionary (PETRARCH .txt, .csv or .yaml); repeatable.")(f)
    f = click.option("--default-actors/--no-default-actors", default=True,
                     help="Use the shipped actor dictionaries as well.")(f)
    f = click.option("--classifier/--no-classifier", default=True,
                     help="Use the learned event classifier (else verb patterns only).")(f)
    return f


def _input_items(inputs: tuple[str, ...]) -> Iterator[tuple[str, dict[str, Any] | InputError]]:
    """(where, record or error) from stdin, JSONL files, or article files/directories."""
    if not inputs or inputs == ("-",):
        for number, rec in read_jsonl(sys.stdin.buffer):
            yield f"line {number}", rec
        return
    for name in inputs:
        path = Path(name)
        if not path.exists():
            yield name, InputError("no such file or directory", where=name)
        elif path.suffix.lower() == ".jsonl":
            with path.open("rb") as fh:
                for number, rec in read_jsonl(fh, name=name if len(inputs) > 1 else ""):
                    where = f"{name}: line {number}" if len(inputs) > 1 else f"line {number}"
                    yield where, rec
        else:
            for file in iter_article_files([path]):
                try:
                    yield str(file), read_article_file(file)
                except InputError as err:
                    yield str(file), err


def _progress(enabled: bool | None) -> Any:
    from tqdm import tqdm

    show = sys.stderr.isatty() if enabled is None else enabled
    return tqdm(disable=not show, unit=" docs", file=sys.stderr, dynamic_ncols=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="allegiance")
@click.option("-v", "--verbose", count=True, help="More log output on stderr.")
def main(verbose: int) -> None:
    """allegiance: who did what to whom, coded from news text."""
    logging.basicConfig(level=logging.WARNING - 10 * verbose, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.argument("inputs", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table", "csv"]), default=None,
              help="Output format [default: table on a terminal, else jsonl].")
@click.option("--include-historical", is_flag=True,
              help="Also output background statements (mode 'historical').")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.3, show_default=True)
@click.option("-j", "--processes", type=click.IntRange(1, 64), default=None,
              help="Worker processes [default: one per core].")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr.")
@click.option("--date", "default_date", default=None, metavar="YYYY-MM-DD",
              help="Publication date for records and articles that carry none.")
@coder_options
def code(inputs: tuple[str, ...], fmt: str | None, processes: int | None, progress: bool | None,
         default_date: str | None, **kw: Any) -> None:
    """Code articles into events.

    INPUTS: JSON Lines files of {"id", "text", "date"?} records (stdin when none is
    given), or plain .txt/.md/.html articles and directories of them.
    """
    if default_date is not None:
        try:
            parse_date(default_date)
        except InputError as err:
            raise click.BadParameter(str(err), param_hint="--date") from None
    fmt = fmt or ("table" if sys.stdout.isatty() else "jsonl")
    writer = EventWriter(sys.stdout, fmt)
    processes = processes or default_processes()
    failed = 0
    with _progress(progress) as bar:
        items = _with_date(_input_items(inputs), default_date)
        results = code_records(items, config=_config(**kw), processes=processes)
        for result in results:
            failed += _report(result)
            writer.write(result.events)
            bar.update(1)
    sys.exit(1 if failed else 0)


def _with_date(items: Iterator[tuple[str, dict[str, Any] | InputError]], date: str | None
               ) -> Iterator[tuple[str, dict[str, Any] | InputError]]:
    for where, rec in items:
        if date is not None and isinstance(rec, dict) and not rec.get("date"):
            rec = {**rec, "date": date}
        yield where, rec


def _report(result: BatchResult) -> int:
    if result.error is None:
        return 0
    click.echo(f"error: {result.error}", err=True)
    return 1


def _jsonl_lines(source: IO[bytes] | None) -> Iterator[tuple[str, dict[str, Any] | InputError]]:
    for number, rec in read_jsonl(source or sys.stdin.buffer):
        yield f"line {number}", rec


@main.command()
@click.argument("file", type=click.File("rb"), required=False)
@coder_options
def classify(file: IO[bytes] | None, **kw: Any) -> None:
    """The best event between a given source and target (JSON Lines in and out)."""
    from allegiance.classify import classify_records, parse_classify_record

    coder = Coder(_config(**kw))
    failed = 0
    batch: list[Any] = []

    def flush() -> None:
        for out in classify_records(coder, batch):
            sys.stdout.write(json.dumps(out.to_dict()) + "\n")
        batch.clear()

    for where, rec in _jsonl_lines(file):
        try:
            if isinstance(rec, InputError):
                raise rec
            batch.append(parse_classify_record(rec, where))
        except InputError as err:
            flush()
            click.echo(f"error: {err}", err=True)
            failed += 1
        if len(batch) >= 64:
            flush()
    flush()
    sys.exit(1 if failed else 0)


@main.group()
def actors() -> None:
    """Actor dictionaries: resolve phrases to CAMEO actor codes."""


@actors.command("resolve")
@click.argument("file", type=click.File("rb"), required=False)
@click.option("--actors", "actor_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False), help="Extra actor dictionary.")
@click.option("--default-actors/--no-default-actors", default=True)
def actors_resolve(file: IO[bytes] | None, actor_files: tuple[str, ...],
                   default_actors: bool) -> None:
    """Actor phrases {"id","text","context"?,"date"?} to codes (JSON Lines in and out)."""
    from allegiance.actors import ActorDictionary, resolve_record

    dictionary = (ActorDictionary.load([Path(p) for p in actor_files],
                                       include_default=default_actors)
                  if actor_files else ActorDictionary.default())
    failed = 0
    for where, rec in _jsonl_lines(file):
        try:
            if isinstance(rec, InputError):
                raise rec
            out = resolve_record(rec, dictionary, where=where)
        except InputError as err:
            click.echo(f"error: {err}", err=True)
            failed += 1
            continue
        sys.stdout.write(json.dumps(out.to_dict()) + "\n")
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--worst", default=10, show_default=True, help="How many worst examples to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--limit", type=int, default=None, help="Score only the first N records.")
@coder_options
def evaluate(gold: str, worst: int, as_json: bool, limit: int | None, **kw: Any) -> None:
    """Score the coder on a gold file (any of the dev sets' formats)."""
    from allegiance.evaluate import evaluate_file, render_report

    report = evaluate_file(Path(gold), coder=Coder(_config(**kw)), limit=limit)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(render_report(report, worst=worst))


@main.command()
def stages() -> None:
    """List the pipeline stages with what each needs and adds."""
    from allegiance.pipeline.stages import STAGES

    for stage in STAGES:
        click.echo(f"{stage.name:<16} requires {', '.join(stage.requires) or '-':<28} "
                   f"assigns {', '.join(stage.assigns)}")


def _register_store_commands() -> None:
    from allegiance.cli_store import register

    register(main, coder_options, _config)


_register_store_commands()


def run() -> None:  # pragma: no cover - console entry with clean errors
    try:
        main()
    except AllegianceError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(2)
