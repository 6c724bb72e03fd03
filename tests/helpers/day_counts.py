"""actor_days as stored, and as it should be (recounted from the events)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from allegiance.ontology.actors import actor_key
from allegiance.records import ANALYSED_MODES
from allegiance.store import schema
from allegiance.store.store import Store


def stored_day_counts(store: Store) -> dict[tuple[str, str, str], int]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(schema.actor_days)).all()
    return {(r.coder, r.actor_key, r.day): r.events for r in rows if r.events}


def recounted_day_counts(store: Store) -> dict[tuple[str, str, str], int]:
    out: Counter[tuple[str, str, str]] = Counter()
    for ev in store.events():
        if ev.negated or ev.mode not in ANALYSED_MODES or ev.date is None:
            continue
        for key in {actor_key(a.code) for a in (ev.source, ev.target) if a is not None}:
            out[(ev.coder, key, ev.date[:10])] += 1
    return dict(out)
