"""The one write path: articles, their sentences, events and mentions, a batch at a time.

Reports of the same action merge into one event: same coder, same source and
target codes, same CAMEO root, same polarity and modality, and a date within
``merge_days`` of the event's reports so far. The event keeps its first report's
fields and counts its mentions, articles and sources (distinct publishers), as
GDELT does, so event counts measure events and not press coverage.

A batch is decided in memory, in input order, against the stored events it could
join (read with one query), then written with one statement per table: the
result is the same as writing the articles one by one, at a fraction of the
round trips.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from allegiance.ontology.actors import actor_key
from allegiance.records import ActorMention, Event, RawArticle, StoredEvent
from allegiance.store import schema
from allegiance.store.dedupe import Fingerprint
from allegiance.store.rollup import DayState, apply_changes

__all__ = ["ArticleRecord", "WriteCounts", "article_id", "insert_ignore", "merge_key",
           "write_articles"]


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """One article ready to store: coded (``events``) or a near-duplicate copy."""

    raw: RawArticle
    fingerprint: Fingerprint
    url: str | None  # canonical
    events: tuple[Event, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()
    duplicate_of: str | None = None

    @property
    def id(self) -> str:
        return article_id(self.fingerprint)


@dataclass(slots=True)
class WriteCounts:
    articles: int = 0
    copies: int = 0
    events_added: int = 0
    events_merged: int = 0
    mentions: int = 0
    already: int = 0  # stored meanwhile by another process: nothing written

    def add(self, other: WriteCounts) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def article_id(fp: Fingerprint) -> str:
    return fp.text_hash[:32]


def _hash_id(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:32]


def insert_ignore(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> int:
    """INSERT rows, skipping those whose key exists (both backends). For one row: 1 if it
    was inserted, 0 if it existed; for several, their number (not checked)."""
    if not rows:
        return 0
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).on_conflict_do_nothing()
    if len(rows) > 1:
        conn.execute(statement, rows)
        return len(rows)
    # Rows RETURNING tell what was inserted: rowcount is -1 on psycopg here.
    returning = statement.returning(*table.primary_key.columns)
    return len(conn.execute(returning, rows[0]).all())


_MODE_GROUP = {"future": "future", "hypothetical": "hypothetical"}


def merge_key(source: str | None, target: str | None, root: str, negated: bool,
              mode: str) -> str:
    """What two reports must share to be one event (the date window aside)."""
    polarity = "not" if negated else "yes"
    return f"{source or '-'}|{target or '-'}|{root}|{polarity}|{_MODE_GROUP.get(mode, 'fact')}"


def store_columns(row: dict[str, Any], key: str, last_date: str | None) -> dict[str, Any]:
    """An event row (``StoredEvent.to_row``) with the store-only columns added: the
    merge key, the last report's date and each side's actor key."""
    keys = {f"{side}_key": actor_key(row[f"{side}_code"]) if row[f"{side}_code"] else None
            for side in ("source", "target")}
    return {**row, "merge_key": key, "last_date": last_date, **keys}


def _shift(date: str, days: int) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


@dataclass(slots=True)
class _Event:
    """An event as the batch sees it: stored before, or added by this batch."""

    id: str
    date: str | None
    last_date: str | None
    confidence: float
    num_mentions: int
    num_articles: int
    num_sources: int
    publishers: set[str] = field(default_factory=set)  # of this batch's and stored reports
    articles: set[str] = field(default_factory=set)  # of this batch's reports
    row: dict[str, Any] | None = None  # the insert row, for an event new in this batch
    changed: bool = False
    stored: DayState | None = None  # a stored event's day-count state as read

    def day_state(self, coder: str) -> DayState:
        """The state ``actor_days`` counts, as this batch leaves the event."""
        if self.row is not None:
            row = self.row
            return DayState(coder, row["source_key"], row["target_key"], self.date,
                            row["mode"], bool(row["negated"]))
        assert self.stored is not None
        return dataclasses.replace(self.stored, date=self.date)


@dataclass(slots=True)
class _Batch:
    conn: Connection
    coder: str
    coder_version: str
    merge_days: int
    counts: WriteCounts = field(default_factory=WriteCounts)
    rows: defaultdict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list))
    by_key: defaultdict[str, list[_Event]] = field(default_factory=lambda: defaultdict(list))
    actors: dict[str, dict[str, Any]] = field(default_factory=dict)

    def run(self, records: Sequence[ArticleRecord]) -> WriteCounts:
        fresh = self._unstored(records)
        self._load_events(fresh)
        for rec in fresh:
            self.article(rec)
        self._flush()
        return self.counts

    def _unstored(self, records: Sequence[ArticleRecord]) -> list[ArticleRecord]:
        """The records not stored yet (another process may have been quicker)."""
        a = schema.articles.c
        hashes = [r.fingerprint.text_hash for r in records]
        urls = [r.url for r in records if r.url]
        seen: set[str] = set()
        for row in self.conn.execute(select(a.text_hash, a.url).where(
                or_(a.text_hash.in_(hashes), a.url.in_(urls)))):
            seen.update(v for v in row if v)
        fresh = []
        for rec in records:
            if rec.fingerprint.text_hash in seen or (rec.url and rec.url in seen):
                self.counts.already += 1
                continue
            seen.add(rec.fingerprint.text_hash)
            if rec.url:
                seen.add(rec.url)
            fresh.append(rec)
        return fresh

    def _load_events(self, records: list[ArticleRecord]) -> None:
        """Read the stored events this batch's reports could join, with their publishers."""
        keys: set[str] = set()
        dates: list[str] = []
        for rec in records:
            for ev in rec.events:
                keys.add(_key(ev))
                if date := ev.date or rec.raw.date:
                    dates.append(date)
        if not dates:
            return
        e = schema.events.c
        rows = self.conn.execute(select(
            e.id, e.merge_key, e.date, e.last_date, e.confidence, e.num_mentions,
            e.num_articles, e.num_sources, e.source_key, e.target_key, e.mode,
            e.negated).where(
            e.coder == self.coder, e.merge_key.in_(sorted(keys)),
            e.date <= _shift(max(dates), self.merge_days),
            e.last_date >= _shift(min(dates), -self.merge_days)))
        found: dict[str, _Event] = {}
        for r in rows:
            found[r.id] = _Event(r.id, r.date, r.last_date, r.confidence or 0.0,
                                 r.num_mentions, r.num_articles, r.num_sources,
                                 stored=DayState(self.coder, r.source_key, r.target_key,
                                                 r.date, r.mode, bool(r.negated)))
            self.by_key[r.merge_key].append(found[r.id])
        publishers = sorted({rec.raw.publisher for rec in records if rec.raw.publisher})
        if found and publishers:
            m = schema.mentions.c
            for p in self.conn.execute(select(m.event_id, m.publisher).distinct().where(
                    m.event_id.in_(sorted(found)), m.publisher.in_(publishers))):
                found[p.event_id].publishers.add(p.publisher)

    def article(self, rec: ArticleRecord) -> None:
        self.rows["articles"].append(_article_row(rec))
        if rec.duplicate_of is not None:
            self.counts.copies += 1
            return
        self.counts.articles += 1
        if rec.fingerprint.bands is not None:
            self.rows["lsh_bands"].extend({"band": i, "key": key, "article_id": rec.id}
                                          for i, key in enumerate(rec.fingerprint.bands))
        self.rows["sentences"].extend(
            {"article_id": rec.id, "start": s, "end": e, "text": rec.raw.text[s:e]}
            for s, e in rec.spans)
        local: dict[str, _Event] = {}  # merge key -> event, within this article
        for index, ev in enumerate(rec.events):
            self._actors(ev)
            self.event(rec, index, ev, local)

    def _actors(self, ev: Event) -> None:
        for m in (ev.source, ev.target):
            if m is not None and m.code not in self.actors:
                self.actors[m.code] = {"code": m.code, "country": m.country,
                                       "agent": m.agent, "name": m.actor.name}

    def event(self, rec: ArticleRecord, index: int, ev: Event, local: dict[str, _Event]) -> None:
        key = _key(ev)
        date = ev.date or rec.raw.date
        mention_id = _hash_id(rec.id, ev.event_id, index)
        target = local.get(key) or self._match(key, date)
        if target is None:
            target = _Event(mention_id, date, date, ev.confidence, 1, 1, 1,
                            row=_event_row(ev, rec, mention_id, key, date, self.coder,
                                           self.coder_version))
            self.by_key[key].append(target)
            self.counts.events_added += 1
        else:
            _merge(target, rec, ev, date)
            self.counts.events_merged += 1
        target.articles.add(rec.id)
        if rec.raw.publisher:
            target.publishers.add(rec.raw.publisher)
        local[key] = target
        self.rows["mentions"].append(_mention_row(ev, rec, mention_id, target.id, date))
        self.counts.mentions += 1

    def _match(self, key: str, date: str | None) -> _Event | None:
        if date is None:
            return None  # undated reports merge only within their own article
        low, high = _shift(date, -self.merge_days), _shift(date, self.merge_days)
        fits = [e for e in self.by_key.get(key, ())
                if e.date is not None and e.last_date is not None
                and e.date <= high and e.last_date >= low]
        return min(fits, key=lambda e: (e.date or "", e.id)) if fits else None

    def _flush(self) -> None:
        conn, rows = self.conn, self.rows
        for name in ("articles", "lsh_bands", "sentences"):
            if rows[name]:
                conn.execute(schema.metadata.tables[name].insert(), rows[name])
        insert_ignore(conn, schema.actors, [self.actors[k] for k in sorted(self.actors)])
        events = [e for es in self.by_key.values() for e in es]
        new = [_final_row(e) for e in events if e.row is not None]
        if new:
            conn.execute(schema.events.insert(), new)
        changed = [_update_row(e) for e in events if e.row is None and e.changed]
        if changed:
            c = schema.events.c
            conn.execute(update(schema.events).where(c.id == bindparam("_id")).values(
                {n: bindparam(n) for n in changed[0] if n != "_id"}), changed)
        if rows["mentions"]:
            conn.execute(schema.mentions.insert(), rows["mentions"])
        # New events count from nothing; a stored one only when a report moved its day.
        apply_changes(conn, [(e.stored, e.day_state(self.coder)) for e in events
                             if e.row is not None or (e.changed and e.stored is not None
                                                      and e.stored.date != e.date)])


def _key(ev: Event) -> str:
    return merge_key(_code(ev.source), _code(ev.target), ev.root, ev.negated, ev.mode)


def _merge(target: _Event, rec: ArticleRecord, ev: Event, date: str | None) -> None:
    new_article = rec.id not in target.articles  # stored reports are from other articles
    publisher = rec.raw.publisher
    new_source = new_article and (publisher is None or publisher not in target.publishers)
    target.num_mentions += 1
    target.num_articles += int(new_article)
    target.num_sources += int(new_source)
    target.confidence = max(target.confidence, ev.confidence)
    if date is not None:
        target.date = min(filter(None, (target.date, date)))
        target.last_date = max(filter(None, (target.last_date, date)))
    target.changed = True


_COUNTS = ("date", "last_date", "confidence", "num_mentions", "num_articles", "num_sources")


def _final_row(e: _Event) -> dict[str, Any]:
    assert e.row is not None
    return {**e.row, **{n: getattr(e, n) for n in _COUNTS}}


def _update_row(e: _Event) -> dict[str, Any]:
    return {"_id": e.id, **{n: getattr(e, n) for n in _COUNTS}}


def _code(m: ActorMention | None) -> str | None:
    return m.code if m is not None else None


def _article_row(rec: ArticleRecord) -> dict[str, Any]:
    raw, fp = rec.raw, rec.fingerprint
    return {
        "id": rec.id, "url": rec.url, "title": raw.title, "publisher": raw.publisher,
        "published": raw.date, "language": raw.language, "text_hash": fp.text_hash,
        "duplicate_of": rec.duplicate_of, "source_id": raw.id, "origin": raw.where,
        "text": raw.text, "n_sentences": len(rec.spans),
        "coded": rec.duplicate_of is None,
    }


def _event_row(ev: Event, rec: ArticleRecord, event_id: str, key: str, date: str | None,
               coder: str, version: str) -> dict[str, Any]:
    stored = StoredEvent.from_event(ev, id=event_id, coder=coder, coder_version=version,
                                    doc_id=rec.id, date=date)
    return store_columns(stored.to_row(), key, date)


def _mention_row(ev: Event, rec: ArticleRecord, mention_id: str, event_id: str,
                 date: str | None) -> dict[str, Any]:
    def span(m: Any) -> tuple[int | None, int | None]:
        return (m.start, m.end) if m is not None else (None, None)

    (ss, se), (ts, te), (gs, ge) = span(ev.source), span(ev.target), span(ev.trigger)
    return {
        "id": mention_id, "event_id": event_id, "article_id": rec.id,
        "coder_event_id": ev.event_id, "sentence_start": ev.sentence_start,
        "sentence_end": ev.sentence_start + len(ev.sentence),
        "source_start": ss, "source_end": se, "target_start": ts, "target_end": te,
        "trigger_start": gs, "trigger_end": ge, "mode": ev.mode, "negated": ev.negated,
        "date": date, "confidence": ev.confidence, "publisher": rec.raw.publisher,
    }


def write_articles(conn: Connection, records: Iterable[ArticleRecord], *, coder: str,
                   coder_version: str, merge_days: int) -> WriteCounts:
    """Store articles in order on an open write transaction; returns what was written."""
    return _Batch(conn, coder, coder_version, merge_days).run(list(records))
