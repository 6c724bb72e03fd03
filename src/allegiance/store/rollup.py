"""Keeping ``actor_days`` (migration 0002) in step with the events table.

``actor_days`` counts, per coder, actor key and day, the *analysed* events (mode
asserted, reported or future; not negated) with that actor on either side, each event
once. Every write that adds an event, or moves a stored one to another day, hands its
before and after states here; the differences are applied in the same transaction, so
the counts are never out of step with the rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from allegiance.records import ANALYSED_MODES
from allegiance.store import schema

__all__ = ["DayState", "apply_changes"]


@dataclass(frozen=True, slots=True)
class DayState:
    """What of an event the day counts depend on."""

    coder: str
    source_key: str | None
    target_key: str | None
    date: str | None
    mode: str | None
    negated: bool

    def cells(self) -> set[tuple[str, str, str]]:
        """The (coder, actor key, day) cells this event counts in: none unless analysed."""
        if self.date is None or self.negated or self.mode not in ANALYSED_MODES:
            return set()
        keys = {k for k in (self.source_key, self.target_key) if k}
        return {(self.coder, k, self.date[:10]) for k in keys}


def apply_changes(conn: Connection,
                  changes: Iterable[tuple[DayState | None, DayState | None]]) -> None:
    """Apply (before, after) states to ``actor_days``: None before for a new event."""
    delta: Counter[tuple[str, str, str]] = Counter()
    for before, after in changes:
        for cell in before.cells() if before else ():
            delta[cell] -= 1
        for cell in after.cells() if after else ():
            delta[cell] += 1
    rows = [{"coder": c, "actor_key": k, "day": d, "events": n}
            for (c, k, d), n in sorted(delta.items()) if n]
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    table = schema.actor_days
    insert = dialect.insert(table)
    conn.execute(insert.on_conflict_do_update(
        index_elements=[table.c.coder, table.c.actor_key, table.c.day],
        set_={"events": table.c.events + insert.excluded.events}), rows)
