"""Opening a store: URL resolution, engine set-up per backend, and the write lock.

SQLite (the default) runs in WAL mode so readers in other processes (``allegiance
serve``) never block on an ingest that is writing. Writers serialise: SQLite with
``BEGIN IMMEDIATE``, PostgreSQL with a transaction-scoped advisory lock, because
merging a report into an existing event must see every event committed before it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from allegiance.errors import StoreError

__all__ = ["DB_ENV", "default_url", "make_engine", "normalise_url", "write_lock"]

DB_ENV = "ALLEGIANCE_DB"
WRITE = "allegiance_write"  # execution option marking a write transaction
_PG_LOCK_KEY = 0x616C6C65  # "alle": the advisory lock every allegiance writer takes


def data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "allegiance"


def default_url() -> str:
    """``$ALLEGIANCE_DB``, else ``sqlite:///~/.local/share/allegiance/events.db``."""
    return os.environ.get(DB_ENV) or f"sqlite:///{data_dir() / 'events.db'}"


def normalise_url(url: str | None) -> str:
    """Accept a bare file path as SQLite; turn postgres:// into the psycopg 3 driver."""
    url = url or default_url()
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser()}"
    scheme, rest = url.split("://", 1)
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return url


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        try:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for {database}: {exc.strerror}") from None
    engine = create_engine(url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        # The busy timeout first: switching a new file to WAL needs a lock another
        # process may hold for a moment.
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL loses nothing on a killed process, only on power loss.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A writer takes the lock at BEGIN, not at its first write: two writers that
        # both read then upgrade would deadlock, and SQLite would fail one of them.
        immediate = conn.get_execution_options().get(WRITE)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def make_engine(url: str | None) -> Engine:
    """An engine for a store URL (see :func:`normalise_url`); StoreError if unusable."""
    url = normalise_url(url)
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r}; use sqlite:///path/events.db or "
                         "postgresql://user:password@host/dbname") from None
    if backend == "sqlite":
        return _sqlite_engine(url)
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True)
    raise StoreError(f"unsupported database {backend!r} in {url!r}: allegiance stores events "
                     "in SQLite or PostgreSQL")


def write_lock(conn: Connection) -> None:
    """Serialise writers (call first thing in a write transaction)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
