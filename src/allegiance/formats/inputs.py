"""The inputs of ``allegiance code``: stdin, JSON Lines files, and every other source
``allegiance ingest`` reads (articles, CSV rows, folders, globs) through the same code,
so a file gets the same id and the same rows whichever command reads it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from allegiance.errors import InputError
from allegiance.formats.files import FileOptions, iter_files
from allegiance.formats.jsonl import read_jsonl

__all__ = ["InputItem", "read_inputs", "with_date"]

InputItem = tuple[str, "dict[str, Any] | InputError"]


def read_inputs(names: Iterable[str], stdin: IO[bytes], options: FileOptions | None = None
                ) -> Iterator[InputItem]:
    """(where, record or error): JSON Lines from stdin or ``.jsonl`` files as the contract
    reads them (errors name the line); any other source as ``ingest`` reads it."""
    names = tuple(names)
    if not names or names == ("-",):
        for number, rec in read_jsonl(stdin):
            yield f"line {number}", rec
        return
    for name in names:
        path = Path(name)
        if path.suffix.lower() == ".jsonl" and path.is_file():
            with path.open("rb") as fh:
                for number, rec in read_jsonl(fh, name=name if len(names) > 1 else ""):
                    where = f"{name}: line {number}" if len(names) > 1 else f"line {number}"
                    yield where, rec
            continue
        for item in iter_files([name], options):
            if isinstance(item, InputError):
                yield item.where or name, item
            else:
                yield item.where, item.to_record()


def with_date(items: Iterable[InputItem], date: str | None) -> Iterator[InputItem]:
    """Give records without a date this publication date."""
    for where, rec in items:
        if date is not None and isinstance(rec, dict) and not rec.get("date"):
            rec = {**rec, "date": date}
        yield where, rec
