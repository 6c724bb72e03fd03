"""Writing a foreign coder's events (GDELT 2.0 exports) beside allegiance's own.

GDELT events keep GDELT's ids, codes and counts under ``coder = "gdelt"``; each
report URL becomes a text-less article row, and each mentions-file row a mention,
so the same queries compare both coders on the same days. Re-importing a file
adds nothing: every key comes from GDELT's own ids.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, select

from allegiance.records import GdeltEvent, GdeltMention, gdelt_event_id
from allegiance.store import schema
from allegiance.store.dedupe import canonical_url
from allegiance.store.rollup import DayState, apply_changes
from allegiance.store.writer import insert_ignore, merge_key, store_columns

__all__ = ["ForeignCounts", "url_article_id", "write_gdelt"]


@dataclass(slots=True)
class ForeignCounts:
    events: int = 0
    mentions: int = 0
    orphans: int = 0  # mentions of events not imported (from another day's file)


def url_article_id(url: str) -> str:
    return "u" + hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:31]


def _url_article(url: str, publisher: str | None, published: str | None) -> dict[str, Any]:
    return {"id": url_article_id(url), "url": canonical_url(url), "title": None,
            "publisher": publisher or urlsplit(url).hostname, "published": published,
            "language": None, "text_hash": None, "duplicate_of": None, "source_id": url,
            "origin": "gdelt", "text": None, "n_sentences": 0, "coded": False}


def _event_row(ev: GdeltEvent) -> dict[str, Any]:
    stored = dataclasses.replace(ev.to_stored(),
                                 doc_id=url_article_id(ev.url) if ev.url else None)
    key = merge_key(ev.source.code if ev.source else None,
                    ev.target.code if ev.target else None, ev.root, False, "asserted")
    return store_columns(stored.to_row(), key, ev.date)


def _mention_row(m: GdeltMention, event_id: str) -> dict[str, Any]:
    digest = hashlib.sha256(f"{m.global_id}\x1f{m.url}\x1f{m.sentence_id}".encode()).hexdigest()
    return {
        "id": "g" + digest[:31], "event_id": event_id, "article_id": url_article_id(m.url),
        "coder_event_id": m.global_id, "sentence_start": None, "sentence_end": None,
        "source_start": m.actor1_offset, "source_end": None,
        "target_start": m.actor2_offset, "target_end": None,
        "trigger_start": m.action_offset, "trigger_end": None, "mode": "asserted",
        "negated": False, "date": m.mention_time[:10], "confidence": m.confidence / 100,
        "publisher": m.source_name or None,
    }


def write_gdelt(conn: Connection, items: Iterable[GdeltEvent | GdeltMention]) -> ForeignCounts:
    """Store GDELT rows on an open write transaction (events before their mentions)."""
    counts = ForeignCounts()
    added: list[tuple[None, DayState]] = []  # new events, for the day counts
    for item in items:
        if isinstance(item, GdeltEvent):
            if item.url:
                insert_ignore(conn, schema.articles,
                              [_url_article(item.url, None, item.date)])
            actors = [a for a in (item.source, item.target) if a is not None]
            insert_ignore(conn, schema.actors, [
                {"code": a.code, "country": a.country, "agent": a.agent, "name": a.name}
                for a in actors])
            row = _event_row(item)
            if insert_ignore(conn, schema.events, [row]):
                added.append((None, DayState(row["coder"], row["source_key"],
                                             row["target_key"], row["date"], row["mode"],
                                             bool(row["negated"]))))
            counts.events += 1
            continue
        event_id = gdelt_event_id(item.global_id)
        if conn.execute(select(schema.events.c.id).where(
                schema.events.c.id == event_id)).first() is None:
            counts.orphans += 1
            continue
        insert_ignore(conn, schema.articles,
                      [_url_article(item.url, item.source_name, item.mention_time[:10])])
        insert_ignore(conn, schema.mentions, [_mention_row(item, event_id)])
        counts.mentions += 1
    apply_changes(conn, added)
    return counts
