"""The one write path: an article, its sentences, events and mentions, in a transaction.

Reports of the same action merge into one event: same coder, same source and
target codes, same CAMEO root, same polarity and modality, and a date within
``merge_days`` of the event's reports so far. The event keeps its first report's
fields and counts its mentions, articles and sources (distinct publishers), as
GDELT does, so event counts measure events and not press coverage.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, and_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from allegiance.ingest.items import RawArticle
from allegiance.records import ActorMention, Event
from allegiance.store import schema
from allegiance.store.dedupe import Fingerprint

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


def insert_ignore(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT rows, skipping those whose key exists (both backends)."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).on_conflict_do_nothing(), rows)


_MODE_GROUP = {"future": "future", "hypothetical": "hypothetical"}


def merge_key(source: str | None, target: str | None, root: str, negated: bool,
              mode: str) -> str:
    """What two reports must share to be one event (the date window aside)."""
    polarity = "not" if negated else "yes"
    return f"{source or '-'}|{target or '-'}|{root}|{polarity}|{_MODE_GROUP.get(mode, 'fact')}"


def _shift(date: str, days: int) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


def _exists(conn: Connection, rec: ArticleRecord) -> bool:
    a = schema.articles
    cond = a.c.text_hash == rec.fingerprint.text_hash
    if rec.url:
        cond = cond | (a.c.url == rec.url)
    return conn.execute(select(a.c.id).where(cond).limit(1)).first() is not None


def _article_row(rec: ArticleRecord) -> dict[str, Any]:
    raw, fp = rec.raw, rec.fingerprint
    return {
        "id": rec.id, "url": rec.url, "title": raw.title, "publisher": raw.publisher,
        "published": raw.date, "language": raw.language, "text_hash": fp.text_hash,
        "duplicate_of": rec.duplicate_of, "source_id": raw.id, "origin": raw.where,
        "text": raw.text, "n_sentences": len(rec.spans),
        "coded": rec.duplicate_of is None,
    }


@dataclass(slots=True)
class _Writer:
    conn: Connection
    coder: str
    coder_version: str
    merge_days: int
    counts: WriteCounts = field(default_factory=WriteCounts)

    def article(self, rec: ArticleRecord) -> None:
        if _exists(self.conn, rec):
            self.counts.already += 1
            return
        self.conn.execute(schema.articles.insert().values(**_article_row(rec)))
        if rec.duplicate_of is not None:
            self.counts.copies += 1
            return
        self.counts.articles += 1
        if rec.fingerprint.bands is not None:
            self.conn.execute(schema.lsh_bands.insert(), [
                {"band": i, "key": key, "article_id": rec.id}
                for i, key in enumerate(rec.fingerprint.bands)])
        text = rec.raw.text
        if rec.spans:
            self.conn.execute(schema.sentences.insert(), [
                {"article_id": rec.id, "start": s, "end": e, "text": text[s:e]}
                for s, e in rec.spans])
        self._actors(rec.events)
        local: dict[str, str] = {}  # merge key -> event id, within this article
        for index, ev in enumerate(rec.events):
            self.event(rec, index, ev, local)

    def _actors(self, events: Iterable[Event]) -> None:
        seen: dict[str, dict[str, Any]] = {}
        for ev in events:
            for m in (ev.source, ev.target):
                if m is not None and m.code not in seen:
                    seen[m.code] = {"code": m.code, "country": m.country, "agent": m.agent,
                                    "name": m.actor.name}
        insert_ignore(self.conn, schema.actors, [seen[k] for k in sorted(seen)])

    def event(self, rec: ArticleRecord, index: int, ev: Event, local: dict[str, str]) -> None:
        key = merge_key(_code(ev.source), _code(ev.target), ev.root, ev.negated, ev.mode)
        date = ev.date or rec.raw.date
        mention_id = _hash_id(rec.id, ev.event_id, index)
        event_id = local.get(key) or self._match(key, date)
        if event_id is None:
            event_id = mention_id
            self.conn.execute(schema.events.insert().values(
                **_event_row(ev, rec, event_id, key, date, self.coder, self.coder_version)))
            self.counts.events_added += 1
        else:
            self._merge(event_id, rec, ev, date)
            self.counts.events_merged += 1
        local[key] = event_id
        self.conn.execute(schema.mentions.insert().values(**_mention_row(
            ev, rec, mention_id, event_id, date)))
        self.counts.mentions += 1

    def _match(self, key: str, date: str | None) -> str | None:
        if date is None:
            return None  # undated reports merge only within their own article
        e = schema.events.c
        row = self.conn.execute(
            select(e.id).where(and_(
                e.coder == self.coder, e.merge_key == key,
                e.date <= _shift(date, self.merge_days),
                e.last_date >= _shift(date, -self.merge_days)))
            .order_by(e.date, e.id).limit(1)).first()
        return None if row is None else str(row[0])

    def _merge(self, event_id: str, rec: ArticleRecord, ev: Event, date: str | None) -> None:
        m, e = schema.mentions.c, schema.events.c
        new_article = self.conn.execute(select(m.id).where(
            m.event_id == event_id, m.article_id == rec.id).limit(1)).first() is None
        publisher = rec.raw.publisher
        new_source = new_article and (publisher is None or self.conn.execute(select(m.id).where(
            m.event_id == event_id, m.publisher == publisher).limit(1)).first() is None)
        values: dict[str, Any] = {
            "num_mentions": e.num_mentions + 1,
            "num_articles": e.num_articles + int(new_article),
            "num_sources": e.num_sources + int(new_source),
        }
        row = self.conn.execute(select(e.confidence, e.date, e.last_date)
                                .where(e.id == event_id)).one()
        values["confidence"] = max(row.confidence or 0.0, ev.confidence)
        if date is not None:
            values["date"] = min(filter(None, (row.date, date)))
            values["last_date"] = max(filter(None, (row.last_date, date)))
        self.conn.execute(update(schema.events).where(e.id == event_id).values(**values))


def _code(m: ActorMention | None) -> str | None:
    return m.code if m is not None else None


def _actor_cols(prefix: str, m: ActorMention | None) -> dict[str, Any]:
    if m is None:
        return {f"{prefix}_{k}": None for k in ("code", "country", "agent", "text", "start",
                                                  "end")}
    return {f"{prefix}_code": m.code, f"{prefix}_country": m.country,
            f"{prefix}_agent": m.agent, f"{prefix}_text": m.text,
            f"{prefix}_start": m.start, f"{prefix}_end": m.end}


def _event_row(ev: Event, rec: ArticleRecord, event_id: str, key: str, date: str | None,
               coder: str, version: str) -> dict[str, Any]:
    trigger = ev.trigger
    return {
        "id": event_id, "coder": coder, "coder_version": version, "merge_key": key,
        **_actor_cols("source", ev.source), **_actor_cols("target", ev.target),
        "cameo": ev.cameo, "root": ev.root, "plover": ev.plover, "quad": ev.quad,
        "goldstein": ev.goldstein, "negated": ev.negated, "mode": ev.mode,
        "date": date, "last_date": date, "location": ev.location,
        "confidence": ev.confidence, "article_id": rec.id, "sentence": ev.sentence,
        "sentence_start": ev.sentence_start,
        "trigger_text": trigger.text if trigger else None,
        "trigger_start": trigger.start if trigger else None,
        "trigger_end": trigger.end if trigger else None,
        "num_mentions": 1, "num_articles": 1, "num_sources": 1,
    }


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
    writer = _Writer(conn, coder, coder_version, merge_days)
    for rec in records:
        writer.article(rec)
    return writer.counts
