"""Migration ``0003_alerts``: the alerts table (``allegiance alerts``, analysis/alerts.py).

One row per rule match, keyed by a hash of the rule and what matched, so a rule
evaluated after every ingest stores each match once. Frozen once released.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Float, Integer, MetaData, String, Table, Text

__all__ = ["apply"]

metadata = MetaData()

alerts = Table(
    "alerts", metadata,
    Column("id", String(40), primary_key=True),
    Column("rule", Text, nullable=False, index=True),
    Column("kind", String(8), nullable=False),
    Column("source", String(16)),
    Column("target", String(16)),
    Column("date", String(10)),
    Column("message", Text, nullable=False),
    Column("event_id", String(40)),
    Column("cameo", String(8)),
    Column("score", Float),
    Column("mentions", Integer),
    Column("url", Text),
    Column("raised_at", String(32), nullable=False, index=True),
)


def apply(conn: Connection) -> None:
    alerts.create(conn)
