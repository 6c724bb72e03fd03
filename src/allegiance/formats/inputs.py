"""The inputs of ``allegiance code``: stdin, JSON Lines files, article files and folders."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from allegiance.errors import InputError
from allegiance.formats.articles import iter_article_files, read_article_file
from allegiance.formats.jsonl import read_jsonl

__all__ = ["InputItem", "read_inputs", "with_date"]

InputItem = tuple[str, "dict[str, Any] | InputError"]


def read_inputs(names: Iterable[str], stdin: IO[bytes]) -> Iterator[InputItem]:
    """(where, record or error) from stdin, JSONL files, or article files/directories."""
    names = tuple(names)
    if not names or names == ("-",):
        for number, rec in read_jsonl(stdin):
            yield f"line {number}", rec
        return
    for name in names:
        path = Path(name)
        if not path.exists():
            yield name, InputError("no such file or directory", where=name)
        elif path.suffix.lower() == ".jsonl":
            with path.open("rb") as fh:
                for number, rec in read_jsonl(fh, name=name if len(names) > 1 else ""):
                    where = f"{name}: line {number}" if len(names) > 1 else f"line {number}"
                    yield where, rec
        else:
            for file in iter_article_files([path]):
                try:
                    yield str(file), read_article_file(file)
                except InputError as err:
                    yield str(file), err


def with_date(items: Iterable[InputItem], date: str | None) -> Iterator[InputItem]:
    """Give records without a date this publication date."""
    for where, rec in items:
        if date is not None and isinstance(rec, dict) and not rec.get("date"):
            rec = {**rec, "date": date}
        yield where, rec
