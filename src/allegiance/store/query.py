"""Reading events back: one filter record, turned into SQL the same way for every reader.

The CLI (``allegiance events``, ``export``), the DataFrame API and the web server
all build an :class:`EventFilter` and call :meth:`Store.events`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select

from allegiance.errors import ConfigError
from allegiance.records import MODES, StoredEvent
from allegiance.store import schema

__all__ = ["ORDERS", "EventFilter", "conditions", "event_select", "row_to_event"]

ORDERS = ("date", "mentions", "confidence", "article")


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events to read. Actor codes match by prefix: ``VEN`` matches ``VENMIL``.

    ``actor``: either side; ``source``/``target``: one side; ``country``: either
    side's country; ``dyad``: ``"VEN-RUS"`` (source-target, codes by prefix, either
    may be ``*``); ``cameo``: a code or its prefix (``023`` matches 0231-0234);
    ``text``: words in the sentence (case-insensitive).
    """

    actor: str | None = None
    source: str | None = None
    target: str | None = None
    country: str | None = None
    dyad: str | None = None
    cameo: str | None = None
    root: str | None = None
    plover: str | None = None
    quad: int | None = None
    since: str | None = None
    until: str | None = None
    modes: tuple[str, ...] = ()
    min_confidence: float | None = None
    min_mentions: int | None = None
    text: str | None = None
    coder: str | None = None
    negated: bool | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    raise ConfigError(f"--{name} must be a date like 2026-11-24, got "
                                      f"{value!r}") from None
        if bad := [m for m in self.modes if m not in MODES]:
            raise ConfigError(f"unknown mode {bad[0]!r}; choose from {', '.join(MODES)}")
        if self.quad is not None and self.quad not in (1, 2, 3, 4):
            raise ConfigError(f"--quad must be 1, 2, 3 or 4, got {self.quad}")
        if self.dyad is not None and "-" not in self.dyad:
            raise ConfigError(f"--dyad must look like VEN-RUS (source-target), got "
                              f"{self.dyad!r}")


def _prefix(column: Any, value: str) -> ColumnElement[bool]:
    value = value.upper()
    return and_(column.is_not(None), column.like(value.replace("%", "") + "%"))


def conditions(f: EventFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a filter over the ``events`` table."""
    e = schema.events.c
    conds: list[ColumnElement[bool]] = []
    if f.actor:
        conds.append(or_(_prefix(e.source_code, f.actor), _prefix(e.target_code, f.actor)))
    if f.source:
        conds.append(_prefix(e.source_code, f.source))
    if f.target:
        conds.append(_prefix(e.target_code, f.target))
    if f.country:
        c = f.country.upper()
        conds.append(or_(e.source_country == c, e.target_country == c))
    if f.dyad:
        src, _, tgt = f.dyad.partition("-")
        if src and src != "*":
            conds.append(_prefix(e.source_code, src))
        if tgt and tgt != "*":
            conds.append(_prefix(e.target_code, tgt))
    if f.cameo:
        conds.append(e.cameo.like(f.cameo + "%"))
    if f.root:
        conds.append(e.root == f.root.zfill(2))
    if f.plover:
        conds.append(e.plover == f.plover.upper())
    conds.extend(_more_conditions(f))
    return conds


def _more_conditions(f: EventFilter) -> list[ColumnElement[bool]]:
    e = schema.events.c
    conds: list[ColumnElement[bool]] = []
    if f.quad is not None:
        conds.append(e.quad == f.quad)
    if f.since:
        conds.append(e.date >= f.since)
    if f.until:
        conds.append(e.date <= f.until)
    if f.modes:
        conds.append(e.mode.in_(f.modes))
    if f.min_confidence is not None:
        conds.append(e.confidence >= f.min_confidence)
    if f.min_mentions is not None:
        conds.append(e.num_mentions >= f.min_mentions)
    if f.text:
        conds.append(func.lower(e.sentence).contains(f.text.lower(), autoescape=True))
    if f.coder:
        conds.append(e.coder == f.coder)
    if f.negated is not None:
        conds.append(e.negated == f.negated if f.negated else e.negated == false())
    return conds


def event_select(f: EventFilter, *, order: str = "date", limit: int | None = None,
                 after: tuple[str, str] | None = None) -> Select[Any]:
    """The events of ``f`` in ``order``; ``after`` (order "date" only): the (date, id)
    of the last event of the previous page ("" for no date), for keyset pagination
    (undated events sort last on both backends). After a dated event this selects the
    *dated* events that follow it, one range of the page index; the undated ones that
    come after them all are ``after=("", "")`` (``Store.events`` reads both)."""
    if order not in ORDERS:
        raise ConfigError(f"unknown order {order!r}; choose from {', '.join(ORDERS)}")
    e, a = schema.events.c, schema.articles.c
    query = (select(schema.events, a.url, a.title, a.publisher, a.published)
             .select_from(schema.events.outerjoin(schema.articles, e.article_id == a.id))
             .where(*conditions(f)))
    if after is not None:
        if order != "date":
            raise ConfigError("pages continue only in date order")
        query = query.where(_after(*after))
    keys = {
        # Undated events last on both backends (PostgreSQL puts NULLs first in DESC);
        # the page index of migration 0002 has this order, so no sort is needed.
        "date": (e.date.desc().nulls_last(), e.id),
        "mentions": (e.num_articles.desc(), e.num_mentions.desc(), e.confidence.desc(), e.id),
        "confidence": (e.confidence.desc(), e.id),
        # An article's events together, in text order: PLOVER groups one action's dyads.
        "article": (e.article_id, e.sentence_start, e.trigger_start, e.id),
    }[order]
    query = query.order_by(*keys)
    return query.limit(limit) if limit is not None else query


def _after(date: str, event_id: str) -> ColumnElement[bool]:
    """The events after (date, id) in date order ("" for an undated one); after a dated
    one, only the dated (event_select). No OR with the undated: PostgreSQL cannot seek an
    index for ``date < d OR date IS NULL`` and read half a million rows for a deep page."""
    e = schema.events.c
    if not date:
        return and_(e.date.is_(None), e.id > event_id)
    return and_(e.date <= date, or_(e.date < date, e.id > event_id))


def row_to_event(row: Any) -> StoredEvent:
    return StoredEvent.from_row(row._mapping)
