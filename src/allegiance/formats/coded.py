"""Writing freshly coded events (``allegiance code``): JSON Lines (the contract), CSV
(the flat columns every export shares), or a table for people."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO

from allegiance.formats.flat import FLAT_COLUMNS, flat_row
from allegiance.formats.table import TableWriter
from allegiance.records import Event, stored_view

__all__ = ["FORMATS", "EventWriter"]

FORMATS = ("jsonl", "csv", "table")


class EventWriter:
    """Writes events in one format to a text stream."""

    def __init__(self, stream: IO[str], fmt: str) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: use jsonl, csv or table")
        self.stream, self.fmt = stream, fmt
        self._table = TableWriter(stream, counts=False) if fmt == "table" else None
        self._csv = csv.DictWriter(stream, fieldnames=FLAT_COLUMNS, lineterminator="\n")
        if fmt == "csv":
            self._csv.writeheader()

    def write(self, events: Iterable[Event]) -> None:
        if self._table is not None:
            self._table.write(events)
            return
        for e in events:
            if self.fmt == "csv":
                self._csv.writerow(flat_row(stored_view(e)))
            else:
                self.stream.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
        self.stream.flush()
