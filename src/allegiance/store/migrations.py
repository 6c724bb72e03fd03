"""Named schema migrations, applied in order and recorded in ``schema_migrations``.

Each migration is a function of a connection, run once inside its own transaction;
its name is recorded with it, so a store always knows which steps it has had.
Never edit or rename a released migration: add a new one at the end of
:data:`MIGRATIONS`. ``0001_initial`` builds the tables as first released (a frozen
copy in ``m0001_initial.py``); a new column is a field on ``StoredEvent`` (or a
column in ``schema.py``) plus a step here that adds it, e.g.::

    def _event_geo(conn: Connection) -> None:
        conn.execute(text("ALTER TABLE events ADD COLUMN lat FLOAT"))

    Migration("0005_event_geo", _event_geo)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, inspect, select

from allegiance.store import (
    m0001_initial,
    m0002_analysis,
    m0003_alerts,
    m0004_day_index,
    schema,
)

__all__ = ["MIGRATIONS", "Migration", "applied", "migrate"]


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    apply: Callable[[Connection], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_initial", m0001_initial.apply),
    Migration("0002_analysis", m0002_analysis.apply),
    Migration("0003_alerts", m0003_alerts.apply),
    Migration("0004_day_index", m0004_day_index.apply),
)


def applied(engine: Engine) -> list[str]:
    """Names of the migrations this store has had, in the order they ran ([] if none)."""
    if not inspect(engine).has_table(schema.migrations_table.name):
        return []
    with engine.connect() as conn:
        rows = conn.execute(select(schema.migrations_table.c.name)
                            .order_by(schema.migrations_table.c.name))
        return [r[0] for r in rows]


def migrate(engine: Engine, *, lock: Callable[[Connection], None] | None = None) -> list[str]:
    """Apply the missing migrations, each in its own write transaction; return their names.

    ``lock`` takes the store's write lock first thing in each transaction, so two
    processes opening a new store at once do not both create it: the second waits,
    then finds the migration recorded.
    """
    if set(applied(engine)) >= {m.name for m in MIGRATIONS}:
        return []  # the common case: nothing to do, and no write lock taken
    ran: list[str] = []
    table = schema.migrations_table
    for migration in MIGRATIONS:
        with engine.connect().execution_options(allegiance_write=True) as conn, conn.begin():
            if lock is not None:
                lock(conn)
            table.create(conn, checkfirst=True)
            if conn.execute(select(table.c.name).where(table.c.name == migration.name)).first():
                continue
            migration.apply(conn)
            conn.execute(table.insert().values(
                name=migration.name, applied_at=dt.datetime.now(dt.UTC).isoformat()))
        ran.append(migration.name)
    return ran
