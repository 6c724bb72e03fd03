"""The ``allegiance`` command line: thin click wrappers over the library.

JSON Lines go to stdout, nothing else; progress, logs and per-line errors go to
stderr. Exit status: 0 all lines processed, 1 some rejected, 2 usage error.

    app.py       the command group
    options.py   options shared by several commands, each defined once
    code.py      code, classify            actors.py    actors resolve
    evaluate.py  evaluate, stages          ingest.py    ingest (and --watch)
    store.py     events, export, db info, db migrate
    analysis.py  dyad, actor, network, appeals, shifts, brief, alerts
    web.py       serve, mcp
"""

from __future__ import annotations

import sys

import click

from allegiance.cli import (  # noqa: F401  (registers)
    actors,
    analysis,
    code,
    evaluate,
    ingest,
    store,
    web,
)
from allegiance.cli.app import main
from allegiance.errors import AllegianceError

__all__ = ["main", "run"]


def run() -> None:  # pragma: no cover - console entry with clean errors
    try:
        main()
    except AllegianceError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(2)
