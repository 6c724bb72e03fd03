"""``allegiance code`` and ``allegiance classify``: the coding contract's commands."""

from __future__ import annotations

import json
import sys
from typing import IO, Any

import click

from allegiance.batch import BatchResult, code_records, default_processes
from allegiance.cli.app import main
from allegiance.cli.options import (
    coder_config,
    coder_options,
    date_option,
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
from allegiance.errors import InputError
from allegiance.formats.coded import EventWriter
from allegiance.formats.inputs import read_inputs, with_date
from allegiance.formats.jsonl import read_jsonl
from allegiance.pipeline.coder import Coder

__all__ = ["classify", "code"]


@main.command()
@click.argument("inputs", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table", "csv"]), default=None,
              help="Output format [default: table on a terminal, else jsonl].")
@historical_option
@min_confidence_option
@processes_option
@engine_options
@progress_option
@date_option
@file_options
@coder_options
def code(inputs: tuple[str, ...], fmt: str | None, processes: int | None, progress: bool | None,
         default_date: str | None, engine: str, scheduler: str | None, workers: int | None,
         **kw: Any) -> None:
    """Code articles into events.

    INPUTS: JSON Lines files of {"id", "text", "date"?} records (stdin when none is
    given), plain .txt/.md/.html articles, .csv files (one article per row), folders
    and glob patterns, read as `allegiance ingest` reads them.
    """
    fmt = fmt or ("table" if sys.stdout.isatty() else "jsonl")
    writer = EventWriter(sys.stdout, fmt)
    failed = 0
    with open_engine(engine, scheduler, workers, processes) as runner, \
            progress_bar(progress, unit="docs") as bar:
        files = file_config(kw)
        items = with_date(read_inputs(inputs, sys.stdin.buffer, files), default_date)
        results = code_records(items, config=coder_config(kw), engine=runner,
                               processes=processes or default_processes())
        for result in results:
            failed += report(result)
            writer.write(result.events)
            bar.update(1)
    sys.exit(1 if failed else 0)


def report(result: BatchResult) -> int:
    """Print a failed record's error on stderr; 1 if it failed, else 0."""
    if result.error is None:
        return 0
    click.echo(f"error: {result.error}", err=True)
    return 1


def jsonl_lines(source: IO[bytes] | None) -> Any:
    for number, rec in read_jsonl(source or sys.stdin.buffer):
        yield f"line {number}", rec


@main.command()
@click.argument("file", type=click.File("rb"), required=False)
@coder_options
def classify(file: IO[bytes] | None, **kw: Any) -> None:
    """The best event between a given source and target (JSON Lines in and out)."""
    from allegiance.pipeline.classify import classify_records, parse_classify_record

    coder = Coder(coder_config(kw))
    failed = 0
    batch: list[Any] = []

    def flush() -> None:
        for out in classify_records(coder, batch):
            sys.stdout.write(json.dumps(out.to_dict()) + "\n")
        batch.clear()

    for where, rec in jsonl_lines(file):
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
