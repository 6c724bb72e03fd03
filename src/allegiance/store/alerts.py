"""Storing and reading alerts (records.Alert): insert-once by id, newest first."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, select

from allegiance.records import Alert
from allegiance.store import schema
from allegiance.store.writer import insert_ignore

__all__ = ["read_alerts", "write_alerts"]

_CHUNK = 500


def write_alerts(conn: Connection, alerts: Iterable[Alert]) -> list[Alert]:
    """Store the alerts not stored yet (on an open write transaction); return those, with
    their ``raised_at``."""
    fresh: dict[str, Alert] = {}
    for alert in alerts:
        fresh.setdefault(alert.id, alert)
    ids = sorted(fresh)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        known = conn.execute(select(schema.alerts.c.id).where(schema.alerts.c.id.in_(chunk)))
        for (found,) in known:
            fresh.pop(found, None)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    new = [dataclasses.replace(a, raised_at=now) for a in fresh.values()]
    if new:
        insert_ignore(conn, schema.alerts, [dataclasses.asdict(a) for a in new])
    return new


def read_alerts(conn: Connection, *, rule: str | None = None, since: str | None = None,
                limit: int | None = None) -> list[Alert]:
    """Stored alerts, newest raised first; ``since``: raised on or after this ISO time."""
    c = schema.alerts.c
    query = select(schema.alerts).order_by(c.raised_at.desc(), c.date.desc(), c.id)
    if rule:
        query = query.where(c.rule == rule)
    if since:
        query = query.where(c.raised_at >= since)
    if limit is not None:
        query = query.limit(limit)
    return [Alert(**row._mapping) for row in conn.execute(query)]
