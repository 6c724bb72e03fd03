"""Events as tables for people on a terminal: the width of the terminal, evidence last.

One layout for ``allegiance code --format table`` (freshly coded events) and
``allegiance events`` (stored ones, with their counts): the columns a stored event
has and a fresh one lacks are left out, not filled with dashes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from typing import IO

from allegiance.ontology.cameo import codebook
from allegiance.records import Event, StoredActor, StoredEvent, stored_view

__all__ = ["TableWriter", "write_table"]


def _actor(actor: StoredActor | None, width: int) -> str:
    if actor is None:
        return "-"
    label = actor.code if width <= 12 or not actor.text else f"{actor.code} ({actor.text})"
    return label[:width]


def _event_name(e: StoredEvent, width: int) -> str:
    book = codebook()
    name = book[e.cameo].name if e.cameo in book else ""
    return f"{e.cameo} {'NOT ' if e.negated else ''}{name}"[:width]


class TableWriter:
    """Writes rows as they come; ``counts`` adds date, confidence and report counts."""

    def __init__(self, stream: IO[str], *, counts: bool) -> None:
        self.stream, self.counts = stream, counts
        self.actor_width = 10 if counts else 24
        self.width = shutil.get_terminal_size((140 if counts else 120, 20)).columns
        self._started = False

    def _header(self) -> str:
        a = self.actor_width
        head = f"{'SOURCE':<{a}} {'EVENT':<28} {'TARGET':<{a}} {'MODE':<9} "
        if self.counts:
            head = f"{'DATE':<10} {head}{'CONF':>4} {'ART':>3} {'SRC':>3} "
        return head + "EVIDENCE\n"

    def write(self, events: Iterable[StoredEvent | Event]) -> None:
        for event in events:
            e = stored_view(event) if isinstance(event, Event) else event
            if not self._started:
                self.stream.write(self._header())
                self._started = True
            self.stream.write(self._line(e))
        self.stream.flush()

    def _line(self, e: StoredEvent) -> str:
        a = self.actor_width
        fixed = (f"{_actor(e.source, a):<{a}} {_event_name(e, 28):<28} "
                 f"{_actor(e.target, a):<{a}} {e.mode[:9]:<9} ")
        if self.counts:
            conf = "-" if e.confidence is None else f"{e.confidence:.2f}"
            fixed = (f"{e.date or '-':<10} {fixed}{conf:>4} {e.num_articles:>3} "
                     f"{e.num_sources:>3} ")
        room = max(20, self.width - len(fixed))
        text = e.sentence or e.url or ""
        return fixed + (text if len(text) <= room else text[: room - 1] + "…") + "\n"


def write_table(events: Iterable[StoredEvent], stream: IO[str]) -> None:
    """Stored events as a table (``allegiance events``)."""
    TableWriter(stream, counts=True).write(events)
