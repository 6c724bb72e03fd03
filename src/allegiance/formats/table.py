"""Events as tables for people on a terminal: the width of the terminal, evidence last."""

from __future__ import annotations

import shutil
from typing import Any

from allegiance.ontology.cameo import codebook
from allegiance.records import StoredEvent

__all__ = ["write_table"]


def _actor(e: StoredEvent, side: str) -> str:
    actor = e.source if side == "source" else e.target
    return actor.code if actor else "-"


def write_table(events: list[StoredEvent], stream: Any) -> None:
    book = codebook()
    width = shutil.get_terminal_size((140, 20)).columns
    stream.write(f"{'DATE':<10} {'SOURCE':<10} {'EVENT':<28} {'TARGET':<10} {'MODE':<9} "
                 f"{'CONF':>4} {'ART':>3} {'SRC':>3} EVIDENCE\n")
    for e in events:
        name = book[e.cameo].name if e.cameo in book else ""
        event = f"{e.cameo} {'NOT ' if e.negated else ''}{name}"[:28]
        conf = "-" if e.confidence is None else f"{e.confidence:.2f}"
        fixed = (f"{e.date or '-':<10} {_actor(e, 'source')[:10]:<10} {event:<28} "
                 f"{_actor(e, 'target')[:10]:<10} {e.mode[:9]:<9} {conf:>4} "
                 f"{e.num_articles:>3} {e.num_sources:>3} ")
        room = max(20, width - len(fixed))
        text = e.sentence or e.url or ""
        stream.write(fixed + (text if len(text) <= room else text[:room - 1] + "…") + "\n")


