"""Writing events: JSON Lines (the contract), CSV, or a table for people."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterable
from typing import IO, Any

from allegiance.records import ActorMention, Event

__all__ = ["CSV_COLUMNS", "EventWriter"]

CSV_COLUMNS = (
    "doc_id", "event_id", "source_code", "source_text", "target_code", "target_text", "cameo",
    "plover", "quad", "goldstein", "negated", "mode", "date", "confidence", "trigger",
    "sentence",
)


def _actor(m: ActorMention | None) -> str:
    return f"{m.code} ({m.text})" if m else "-"


class EventWriter:
    """Writes events in one format to a text stream."""

    def __init__(self, stream: IO[str], fmt: str) -> None:
        if fmt not in ("jsonl", "csv", "table"):
            raise ValueError(f"unknown format {fmt!r}: use jsonl, csv or table")
        self.stream, self.fmt = stream, fmt
        self._csv: Any = None
        self._table_started = False
        if fmt == "csv":
            self._csv = csv.writer(stream, lineterminator="\n")
            self._csv.writerow(CSV_COLUMNS)

    def write(self, events: Iterable[Event]) -> None:
        for event in events:
            getattr(self, f"_write_{self.fmt}")(event)
        self.stream.flush()

    def _write_jsonl(self, e: Event) -> None:
        self.stream.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")

    def _write_csv(self, e: Event) -> None:
        self._csv.writerow([
            e.doc_id, e.event_id, e.source.code if e.source else "",
            e.source.text if e.source else "", e.target.code if e.target else "",
            e.target.text if e.target else "", e.cameo, e.plover or "", e.quad, e.goldstein,
            e.negated, e.mode, e.date or "", f"{e.confidence:.3f}",
            e.trigger.text if e.trigger else "", e.sentence,
        ])

    def _write_table(self, e: Event) -> None:
        width = shutil.get_terminal_size((120, 20)).columns
        if not self._table_started:
            head = f"{'SOURCE':<24} {'EVENT':<30} {'TARGET':<24} {'MODE':<12} EVIDENCE\n"
            self.stream.write(head)
            self._table_started = True
        from allegiance.ontology.cameo import codebook

        name = codebook()[e.cameo].name
        event = f"{e.cameo} {'NOT ' if e.negated else ''}{name}"[:30]
        fixed = f"{_actor(e.source)[:24]:<24} {event:<30} {_actor(e.target)[:24]:<24} {e.mode:<12} "
        room = max(20, width - len(fixed))
        evidence = e.sentence if len(e.sentence) <= room else e.sentence[: room - 1] + "…"
        self.stream.write(fixed + evidence + "\n")
