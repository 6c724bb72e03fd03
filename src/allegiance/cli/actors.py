"""``allegiance actors resolve``: actor phrases to CAMEO actor codes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO

import click

from allegiance.cli.app import main
from allegiance.cli.code import jsonl_lines
from allegiance.errors import InputError

__all__ = ["actors"]


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
    for where, rec in jsonl_lines(file):
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
