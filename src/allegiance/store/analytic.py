"""Narrow reads for the analyses: few columns, selected and counted on indexes.

``Store.events`` returns whole records with their article joined, right for an export
and far too much for a series over a million events. These read only the columns a
computation needs (:data:`LEAN_COLUMNS`), select actors by their indexed key
(``source_key``/``target_key``, migration 0002), count in SQL, and fetch the evidence
of the few events a result cites (:func:`evidence`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from allegiance.ontology.actors import actor_key
from allegiance.store import schema
from allegiance.store.query import EventFilter, conditions
from allegiance.store.store import Store

__all__ = ["EVIDENCE_COLUMNS", "LEAN_COLUMNS", "actor_condition", "day_counts", "evidence",
           "lean_rows", "newest_date"]

# What the analyses compute on. ``id`` is the event's id.
LEAN_COLUMNS: tuple[str, ...] = (
    "id", "article_id", "date", "source_code", "target_code", "source_key", "target_key",
    "cameo", "root", "plover", "quad", "goldstein", "mode", "confidence", "num_mentions",
    "num_articles", "sentence_start",
)
# What a cited result shows of each event it cites.
EVIDENCE_COLUMNS: tuple[str, ...] = (
    "id", "sentence", "trigger_text", "source_text", "target_text", "negated", "url", "title",
    "publisher", "published",
)
# Ids per IN (...) list: far below SQLite's and PostgreSQL's parameter limits.
_CHUNK = 500


def actor_condition(side: str, actor: str) -> ColumnElement[bool]:
    """Events whose ``side`` is ``actor``: by its indexed key when the code is a key (VEN,
    IGOUNO), else by code prefix (VENMIL matches VENMILNAV)."""
    actor = actor.upper()
    e = schema.events.c
    if actor == actor_key(actor):
        return e[f"{side}_key"] == actor
    return e[f"{side}_code"].like(actor.replace("%", "") + "%")


def _either(actors: Sequence[str]) -> ColumnElement[bool]:
    return or_(*(actor_condition(side, a) for a in actors for side in ("source", "target")))


def _chosen(query: Select[Any], where: EventFilter, actors: Sequence[str],
            dyad: tuple[str, str] | None) -> Select[Any]:
    query = query.where(*conditions(where))
    if actors:
        query = query.where(_either(actors))
    if dyad:
        a, b = dyad
        query = query.where(or_(
            and_(actor_condition("source", a), actor_condition("target", b)),
            and_(actor_condition("source", b), actor_condition("target", a))))
    return query


def lean_rows(store: Store, where: EventFilter, *, actors: Sequence[str] = (),
              dyad: tuple[str, str] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(column names, rows) of LEAN_COLUMNS for the events of ``where``; ``actors``: with
    any of them on either side; ``dyad``: between the two, either direction."""
    e = schema.events.c
    query = _chosen(select(*(e[c] for c in LEAN_COLUMNS)), where, actors, dyad)
    with store.engine.connect() as conn:
        return list(LEAN_COLUMNS), [tuple(r) for r in conn.execute(query)]


def newest_date(store: Store, where: EventFilter, *, actors: Sequence[str] = (),
                dyad: tuple[str, str] | None = None) -> str | None:
    """The latest ``date`` of the events chosen as in :func:`lean_rows` (None: none)."""
    query = _chosen(select(func.max(schema.events.c.date)), where, actors, dyad)
    with store.engine.connect() as conn:
        found = conn.execute(query).scalar_one_or_none()
    return str(found) if found is not None else None


def day_counts(store: Store, where: EventFilter, actors: Sequence[str]) -> dict[str, int]:
    """Events per day with any of ``actors`` on either side, each event once.

    Counted as (by source) + (by target) - (both sides among them): each term is a
    range of one actor-key index, so no row is read, however many events the actors
    have (a union of the two sides would visit every row).
    """
    e = schema.events.c
    totals: dict[str, int] = {}

    def add(cond: ColumnElement[bool], sign: int) -> None:
        query = (select(e.date, func.count()).where(*conditions(where), cond)
                 .group_by(e.date))
        with store.engine.connect() as conn:
            for day, n in conn.execute(query):
                if day is not None:
                    totals[day[:10]] = totals.get(day[:10], 0) + sign * int(n)

    source = or_(*(actor_condition("source", a) for a in actors))
    target = or_(*(actor_condition("target", a) for a in actors))
    add(source, 1)
    add(target, 1)
    add(and_(source, target), -1)
    return {d: n for d, n in totals.items() if n}


def evidence(store: Store, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """EVIDENCE_COLUMNS of each event id (missing ids are left out)."""
    e, a = schema.events.c, schema.articles.c
    wanted = sorted(set(ids))
    out: dict[str, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(wanted), _CHUNK):
            query = (select(*(e[c] for c in EVIDENCE_COLUMNS[:6]), a.url, a.title,
                            a.publisher, a.published)
                     .select_from(schema.events.outerjoin(schema.articles,
                                                          e.article_id == a.id))
                     .where(e.id.in_(wanted[start:start + _CHUNK])))
            for row in conn.execute(query):
                out[row.id] = dict(zip(EVIDENCE_COLUMNS, row, strict=True))
    return out
