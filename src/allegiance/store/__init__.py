"""The event store: SQLite by default, PostgreSQL for teams (see docs/store.md).

    schema.py      the tables (SQLAlchemy Core)
    migrations.py  named migrations, recorded in schema_migrations
    engine.py      URLs, the default path, per-backend set-up, the writers' lock
    dedupe.py      text hashes, MinHash near-duplicates, canonical URLs
    writer.py      the one write path: articles, events merged with their mentions
    foreign.py     GDELT events and mentions beside ours (coder "gdelt")
    query.py       EventFilter -> SQL, rows -> StoredEvent
    store.py       Store: the interface the CLI, the API and notebooks use
"""

from __future__ import annotations

from allegiance._lazy import lazy_getattr

_EXPORTS = {
    "EventFilter": "allegiance.store.query",
    "Store": "allegiance.store.store",
    "StoreStats": "allegiance.store.store",
    "StoredActor": "allegiance.records",
    "StoredEvent": "allegiance.records",
    "default_url": "allegiance.store.engine",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_getattr("allegiance.store", _EXPORTS)
