"""Migration ``0002_analysis``: what the analyses read fast at a million events.

* Each side's actor *key* (``ontology.actors.actor_key``: VENGOV -> VEN, IGOUNOWHO ->
  IGOUNO) as a column, filled here for existing rows with the same rule in SQL.
* Two indexes, side then other side then date, carrying what a series sums (coder,
  mode, negated, Goldstein, quad class, PLOVER, mentions): a dyad's series is one range
  of one index and never reads a row.
* An index in the order events are listed and paged (newest first, undated last).
* ``actor_days``: per coder, actor key and day, the analysed events (asserted,
  reported or future, not negated) with that actor on either side, each event once:
  an actor's news volume, kept up to date by the writer (``store.rollup``).

Frozen once released: change the schema with a later migration.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, text

__all__ = ["apply"]

# actor_key() in SQL: organisations and groups keep six letters, the rest three.
_KEY = ("CASE WHEN {col} IS NULL THEN NULL "
        "WHEN substr({col}, 1, 3) IN ('IGO', 'NGO', 'IMG', 'MNC') THEN substr({col}, 1, 6) "
        "ELSE substr({col}, 1, 3) END")

metadata = MetaData()

actor_days = Table(
    "actor_days", metadata,
    Column("coder", String(40), primary_key=True),
    Column("actor_key", String(16), primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("events", Integer, nullable=False),
)

_ANALYSED = ("{side}_key IS NOT NULL AND date IS NOT NULL AND negated = false "
             "AND mode IN ('asserted', 'reported', 'future')")


def apply(conn: Connection) -> None:
    for side in ("source", "target"):
        conn.execute(text(f"ALTER TABLE events ADD COLUMN {side}_key VARCHAR(16)"))
        conn.execute(text(f"UPDATE events SET {side}_key = "
                          + _KEY.format(col=f"{side}_code")))
    for side, other in (("source", "target"), ("target", "source")):
        conn.execute(text(
            f"CREATE INDEX ix_events_{side}_key ON events ({side}_key, {other}_key, date, "
            "coder, mode, negated, goldstein, quad, plover, num_mentions)"))
    # Events newest first, undated last, ties by id: `allegiance events`, the API's pages.
    direction = "DESC NULLS LAST" if conn.dialect.name == "postgresql" else "DESC"
    conn.execute(text(f"CREATE INDEX ix_events_page ON events (date {direction}, id)"))
    actor_days.create(conn)
    # UNION, not UNION ALL: an event with one key on both sides counts once.
    conn.execute(text(
        "INSERT INTO actor_days (coder, actor_key, day, events) "
        "SELECT coder, k, d, count(*) FROM ("
        f"SELECT id, coder, source_key AS k, substr(date, 1, 10) AS d FROM events "
        f"WHERE {_ANALYSED.format(side='source')} UNION "
        f"SELECT id, coder, target_key AS k, substr(date, 1, 10) AS d FROM events "
        f"WHERE {_ANALYSED.format(side='target')}) AS sides GROUP BY coder, k, d"))
