"""Migration ``0004_day_index``: the date index carries what the sums read.

``ix_events_date`` (date) becomes ``ix_events_day`` (date, source_key, target_key,
coder, mode, negated, goldstein, quad, plover, num_mentions): a window of days summed
per dyad or quad class (the dashboard's overview, a month's network, the timeline) is
then one range of the index, never the table, instead of a scan of a whole actor-key
index. It replaces the old index rather than joining it, so writes keep the same number
of indexes. Frozen once released.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

__all__ = ["apply"]


def apply(conn: Connection) -> None:
    conn.execute(text("DROP INDEX IF EXISTS ix_events_date"))
    conn.execute(text(
        "CREATE INDEX IF NOT EXISTS ix_events_day ON events (date, source_key, target_key, "
        "coder, mode, negated, goldstein, quad, plover, num_mentions)"))
