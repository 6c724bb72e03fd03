"""Migration ``0002_actor_keys``: who each side of an event is, as an indexed column.

The analyses group and select events by actor *key* (``ontology.actors.actor_key``:
VENGOV -> VEN, IGOUNOWHO -> IGOUNO). Deriving it from ``source_code`` at read time
means a prefix scan and a Python pass over every row; stored and indexed, a dyad's
series or an actor's volume is an index lookup. Existing rows are filled here with
the same rule in SQL. Frozen once released: change the schema with a later migration.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

__all__ = ["apply"]

# actor_key() in SQL: organisations and groups keep six letters, the rest three.
_KEY = ("CASE WHEN {col} IS NULL THEN NULL "
        "WHEN substr({col}, 1, 3) IN ('IGO', 'NGO', 'IMG', 'MNC') THEN substr({col}, 1, 6) "
        "ELSE substr({col}, 1, 3) END")


def apply(conn: Connection) -> None:
    for side in ("source", "target"):
        conn.execute(text(f"ALTER TABLE events ADD COLUMN {side}_key VARCHAR(16)"))
        conn.execute(text(f"UPDATE events SET {side}_key = "
                          + _KEY.format(col=f"{side}_code")))
    # Side, date, other side, then what every analysis filters on: counting an actor's
    # events per day, or finding a dyad, reads the index alone, never the rows.
    for side, other in (("source", "target"), ("target", "source")):
        conn.execute(text(f"CREATE INDEX ix_events_{side}_key ON events "
                          f"({side}_key, date, {other}_key, coder, mode, negated)"))
