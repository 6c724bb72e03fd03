"""The event store: one interface over SQLite and PostgreSQL.

    store = Store()                                   # the default SQLite file
    store = Store("postgresql://user:pw@host/events")
    for event in store.events(EventFilter(dyad="VEN-RUS")): ...

Every write goes through :meth:`Store.write` (one transaction per call, under
the writers' lock), so a killed ingest leaves either all of a batch or none of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, func, inspect, or_, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from allegiance.errors import StoreError
from allegiance.records import (
    Alert,
    GdeltEvent,
    GdeltMention,
    StoredEvent,
    StoredMention,
    coder_version,
)
from allegiance.store import schema
from allegiance.store.alerts import read_alerts, write_alerts
from allegiance.store.dedupe import (
    Fingerprint,
    Shingles,
    best_original,
    canonical_url,
    shingles,
)
from allegiance.store.engine import make_engine, normalise_url, write_lock
from allegiance.store.foreign import ForeignCounts, write_gdelt
from allegiance.store.migrations import applied, migrate
from allegiance.store.query import EventFilter, event_select, row_to_event
from allegiance.store.writer import ArticleRecord, WriteCounts, write_articles

__all__ = ["DEFAULT_MERGE_DAYS", "Store", "StoreStats", "coder_version"]

DEFAULT_MERGE_DAYS = 3


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class StoreStats:
    articles: int
    copies: int
    sentences: int
    events: dict[str, int]  # by coder
    mentions: int
    actors: int


class Store:
    """An event database. ``url``: SQLAlchemy-style URL or a file path; None = default."""

    def __init__(self, url: str | None = None, *, merge_days: int = DEFAULT_MERGE_DAYS,
                 create: bool = True) -> None:
        self.url = normalise_url(url)
        self.merge_days = merge_days
        if not create:
            _must_exist(self.url)
        self.engine: Engine = make_engine(self.url)
        try:
            if create:
                _migrate_when_free(self.engine)
            elif missing := _missing(self.engine):
                raise StoreError(f"{self.display_url} is not an allegiance store or is out of "
                                 f"date (missing migrations {', '.join(missing)}); run "
                                 "`allegiance db migrate --db URL` to create or upgrade it")
        except OperationalError as exc:
            self.engine.dispose()
            raise StoreError(f"cannot open the store {self.display_url}: {exc.orig}") from None

    @property
    def display_url(self) -> str:
        """The URL with any password hidden, for messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def migrations(self) -> list[str]:
        return applied(self.engine)

    # -- duplicates ----------------------------------------------------------------------

    def known(self, *, url: str | None = None, text_hash: str | None = None) -> bool:
        """Is an article stored with this URL (canonical, or as requested) or text hash?

        A page is stored under its canonical URL, which may differ from the link a feed
        gave for it; the link is kept as the article's ``source_id``, so both match.
        """
        a = schema.articles.c
        conds = []
        if url:
            conds += [a.url == canonical_url(url), a.source_id == url]
        if text_hash:
            conds.append(a.text_hash == text_hash)
        if not conds:
            return False
        with self.engine.connect() as conn:
            return conn.execute(select(a.id).where(or_(*conds)).limit(1)).first() is not None

    def known_among(self, *, urls: list[str], text_hashes: list[str]) -> set[str]:
        """Which of these canonical URLs and text hashes are stored (one query)."""
        a = schema.articles.c
        if not urls and not text_hashes:
            return set()
        with self.engine.connect() as conn:
            rows = conn.execute(select(a.url, a.text_hash).where(
                or_(a.url.in_(urls), a.text_hash.in_(text_hashes))))
            return {v for row in rows for v in row if v}

    def near_candidates(self, keys: list[int]) -> dict[int, list[tuple[str, Shingles]]]:
        """Stored originals sharing a MinHash band key: key -> [(article id, shingles)]."""
        if not keys:
            return {}
        a, lsh = schema.articles.c, schema.lsh_bands.c
        # Band keys are 63-bit hashes: one IN over the key index finds every candidate.
        query = (select(lsh.key, a.id, a.text)
                 .join(schema.articles, a.id == lsh.article_id)
                 .where(lsh.key.in_(sorted(set(keys))), a.duplicate_of.is_(None))
                 .order_by(lsh.key, a.id))
        out: dict[int, list[tuple[str, Shingles]]] = {}
        cache: dict[str, Shingles] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                if row.id not in cache:
                    cache[row.id] = shingles(row.text or "")
                out.setdefault(int(row.key), []).append((str(row.id), cache[row.id]))
        return out

    def near_duplicate(self, fp: Fingerprint, text: str) -> str | None:
        """The id of a stored original this text is a near-copy of, or None."""
        found = self.near_candidates(list(fp.bands or ()))
        return best_original(text, {aid: sh for pairs in found.values() for aid, sh in pairs})

    # -- writes --------------------------------------------------------------------------

    def write(self, records: Iterable[ArticleRecord], *, coder: str = "allegiance",
              version: str | None = None) -> WriteCounts:
        """Store coded articles, in order, in one transaction."""
        return self._in_write_transaction(
            lambda conn: write_articles(conn, records, coder=coder,
                                        coder_version=version or coder_version(),
                                        merge_days=self.merge_days))

    def write_foreign(self, items: Iterable[GdeltEvent | GdeltMention]) -> ForeignCounts:
        """Store GDELT events and mentions in one transaction (see store/foreign.py)."""
        return self._in_write_transaction(lambda conn: write_gdelt(conn, items))

    def write_alerts(self, alerts: Iterable[Alert]) -> list[Alert]:
        """Store the alerts not stored before, in one transaction; return those (each
        with its ``raised_at``). The same match stored twice is raised once."""
        return self._in_write_transaction(lambda conn: write_alerts(conn, alerts))

    def _in_write_transaction(self, write: Callable[[Connection], T]) -> T:
        """``write`` in one transaction under the writers' lock: all of it or nothing."""
        try:
            with self.engine.connect().execution_options(allegiance_write=True) as conn, \
                    conn.begin():
                write_lock(conn)
                return write(conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"writing to {self.display_url} failed, nothing of this batch "
                             f"was stored: {exc}") from None

    # -- reads ---------------------------------------------------------------------------

    def alerts(self, *, rule: str | None = None, since: str | None = None,
               limit: int | None = None) -> list[Alert]:
        """Stored alerts, newest first (``since``: raised at or after, ISO time)."""
        with self.engine.connect() as conn:
            return read_alerts(conn, rule=rule, since=since, limit=limit)

    def events(self, where: EventFilter | None = None, *, order: str = "date",
               limit: int | None = None,
               after: tuple[str, str] | None = None) -> Iterator[StoredEvent]:
        """Events matching ``where``, streamed (big exports do not fill memory);
        ``after``: the (date, id) a previous page ended on (date order only)."""
        where = where or EventFilter()
        shown = 0
        for row in self._select(event_select(where, order=order, limit=limit, after=after)):
            shown += 1
            yield row
        if after and after[0] and (limit is None or shown < limit):
            # After the dated events come the undated ones (event_select's `after`).
            tail = None if limit is None else limit - shown
            yield from self._select(event_select(where, limit=tail, after=("", "")))

    def _select(self, query: Any) -> Iterator[StoredEvent]:
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=1000).execute(query)
            for row in result:
                yield row_to_event(row)

    def event(self, event_id: str) -> StoredEvent | None:
        """One event by its id, with its article's fields (None if there is none)."""
        query = event_select(EventFilter()).where(schema.events.c.id == event_id).limit(1)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return row_to_event(row) if row is not None else None

    def count_events(self, where: EventFilter | None = None) -> int:
        query = event_select(where or EventFilter()).order_by(None).subquery()
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(query)).scalar_one())

    def mentions(self, event_id: str) -> list[StoredMention]:
        """Every report of one event: the mention, its article and its evidence sentence."""
        m, a, st = schema.mentions.c, schema.articles.c, schema.sentences.c
        query = (select(schema.mentions, a.url, a.title, a.published,
                        st.text.label("sentence"))
                 .join(schema.articles, m.article_id == a.id)
                 .outerjoin(schema.sentences, (st.article_id == m.article_id)
                            & (st.start == m.sentence_start))
                 .where(m.event_id == event_id).order_by(a.published, m.id))
        with self.engine.connect() as conn:
            return [StoredMention(**r._mapping) for r in conn.execute(query)]

    def stats(self) -> StoreStats:
        a, e = schema.articles.c, schema.events.c
        with self.engine.connect() as conn:
            def count(q: Any) -> int:
                return int(conn.execute(q).scalar_one())
            by_coder: dict[Any, Any] = dict(
                conn.execute(select(e.coder, func.count()).group_by(e.coder)).all())
            return StoreStats(
                articles=count(select(func.count()).where(a.duplicate_of.is_(None))
                               .select_from(schema.articles)),
                copies=count(select(func.count()).where(a.duplicate_of.is_not(None))
                             .select_from(schema.articles)),
                sentences=count(select(func.count()).select_from(schema.sentences)),
                events={str(k): int(v) for k, v in by_coder.items()},
                mentions=count(select(func.count()).select_from(schema.mentions)),
                actors=count(select(func.count()).select_from(schema.actors)),
            )


def _migrate_when_free(engine: Engine, *, attempts: int = 8) -> None:
    """Migrate, waiting out another process that is creating the same new SQLite file:
    SQLite can answer "database is locked" at once, past its busy timeout, while the
    other switches the file to WAL; trying again a moment later finds it done."""
    for attempt in range(attempts):
        try:
            migrate(engine, lock=write_lock)
            return
        except OperationalError as exc:
            if "locked" not in str(exc.orig) or attempt == attempts - 1:
                raise
            engine.dispose()  # a fresh connection, with a fresh view of the file
            time.sleep(0.1 * 2**attempt)


def _missing(engine: Engine) -> list[str]:
    from allegiance.store.migrations import MIGRATIONS

    done = set(applied(engine)) if inspect(engine).has_table("schema_migrations") else set()
    return [m.name for m in MIGRATIONS if m.name not in done]


def _must_exist(url: str) -> None:
    """Reading never creates a store: a missing SQLite file is an error that says why."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() == "sqlite" and database and database != ":memory:" \
            and not Path(database).expanduser().exists():
        raise StoreError(f"no event store at {database} yet: run `allegiance ingest SOURCE` "
                         "(or `make demo`) to fill one, or point --db / ALLEGIANCE_DB at yours")
