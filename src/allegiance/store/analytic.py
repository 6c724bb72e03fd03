"""Narrow reads for the analyses: few columns, selected and counted on indexes.

``Store.events`` returns whole records with their article joined, right for an export
and far too much for a series over a million events. These read only the columns a
computation needs (:data:`LEAN_COLUMNS`), select actors by their indexed key
(``source_key``/``target_key``, migration 0002), count in SQL, and fetch the evidence
of the few events a result cites (:func:`evidence`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select

from allegiance.ontology.actors import actor_key
from allegiance.records import ANALYSED_MODES
from allegiance.store import schema
from allegiance.store.query import EventFilter, conditions
from allegiance.store.store import Store

__all__ = ["EVIDENCE_COLUMNS", "LEAN_COLUMNS", "SUM_COLUMNS", "actor_condition", "day_counts",
           "evidence", "group_sums", "lean_rows", "newest_date", "split_sums"]

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


def _conditions(store: Store, where: EventFilter) -> list[ColumnElement[bool]]:
    """The filter's conditions. On SQLite the coder's is compared through an expression:
    a plain ``coder = ?`` invites SQLite (which keeps no statistics unless asked) to walk
    the merge index, whose first column is the coder, over every row of a one-coder
    store, instead of an actor-key index. PostgreSQL plans from statistics, and the
    expression would only spoil its estimates."""
    if where.coder is None or store.backend != "sqlite":
        return conditions(where)
    return [*conditions(dataclasses.replace(where, coder=None)),
            func.coalesce(schema.events.c.coder, "") == where.coder]


def _dyad(a: str, b: str) -> ColumnElement[bool]:
    """Events between a and b, either way. Two keys: both sides in (a, b) and not the
    same, one index range scanned for a list of values, which PostgreSQL can answer from
    the index alone (an OR of two ranges becomes a bitmap scan of the table)."""
    e = schema.events.c
    keys = [a.upper(), b.upper()]
    if all(k == actor_key(k) for k in keys):
        return and_(e.source_key.in_(keys), e.target_key.in_(keys),
                    e.source_key != e.target_key)
    return or_(and_(actor_condition("source", a), actor_condition("target", b)),
               and_(actor_condition("source", b), actor_condition("target", a)))


def _chosen(store: Store, query: Select[Any], where: EventFilter, actors: Sequence[str],
            dyad: tuple[str, str] | None) -> Select[Any]:
    query = query.where(*_conditions(store, where))
    if actors:
        query = query.where(_either(actors))
    if dyad:
        query = query.where(_dyad(*dyad))
    return query


def lean_rows(store: Store, where: EventFilter, *, actors: Sequence[str] = (),
              dyad: tuple[str, str] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(column names, rows) of LEAN_COLUMNS for the events of ``where``; ``actors``: with
    any of them on either side; ``dyad``: between the two, either direction."""
    e = schema.events.c
    query = _chosen(store, select(*(e[c] for c in LEAN_COLUMNS)), where, actors, dyad)
    return list(LEAN_COLUMNS), _all(store, query)


def _all(store: Store, query: Select[Any]) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query).all()]  # fetchall: no per-row calls


# Sums per group that the series, the network and the shifts are made of.
SUM_COLUMNS: tuple[str, ...] = ("events", "mentions", "goldstein", "goldstein_w",
                                "cooperation", "conflict")


def _sums() -> list[Any]:
    e = schema.events.c
    g = func.coalesce(e.goldstein, 0.0)
    mentions = func.coalesce(e.num_mentions, 1)
    return [func.count().label("events"), func.sum(mentions).label("mentions"),
            func.sum(g).label("goldstein"), func.sum(g * mentions).label("goldstein_w"),
            func.sum(case((g > 0, g), else_=0.0)).label("cooperation"),
            func.sum(case((g < 0, -g), else_=0.0)).label("conflict")]


def group_sums(store: Store, where: EventFilter, by: Sequence[str], *,
               actors: Sequence[str] = (), dyad: tuple[str, str] | None = None
               ) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(column names, rows): the events chosen as in :func:`lean_rows`, summed per
    ``by`` (events columns, e.g. date, source_key, target_key, quad, plover) into
    SUM_COLUMNS. Summed in the database: on the actor-key indexes, which carry every
    column summed here, a dyad's rows are never read."""
    e = schema.events.c
    keys = [e[c] for c in by]
    query = _chosen(store, select(*keys, *_sums()), where, actors, dyad).group_by(*keys)
    return [*by, *SUM_COLUMNS], _all(store, query)


def split_sums(store: Store, where: EventFilter, by: Sequence[str], *,
               plover: Sequence[str], dyad: tuple[str, str] | None = None,
               actors: Sequence[str] = ()) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Like :func:`group_sums`, with the events and mentions of each quad class
    (``q1``..``q4``, ``q1_m``..``q4_m``) and the events of each ``plover`` category
    (``p_<CATEGORY>``, ``p_OTHER`` for the rest) as columns: per day, one row instead of
    one per class and category."""
    e = schema.events.c
    keys = [e[c] for c in by]
    mentions = func.coalesce(e.num_mentions, 1)
    split: list[Any] = []
    for quad in (1, 2, 3, 4):
        split.append(func.sum(case((e.quad == quad, 1), else_=0)).label(f"q{quad}"))
        split.append(func.sum(case((e.quad == quad, mentions), else_=0)).label(f"q{quad}_m"))
    for category in plover:
        split.append(func.sum(case((e.plover == category, 1), else_=0)).label(f"p_{category}"))
    split.append(func.sum(case((or_(e.plover.is_(None), e.plover.not_in(plover)), 1),
                               else_=0)).label("p_OTHER"))
    query = _chosen(store, select(*keys, *_sums(), *split), where, actors, dyad)
    names = [*by, *SUM_COLUMNS, *(c.name for c in split)]
    return names, _all(store, query.group_by(*keys))


def newest_date(store: Store, where: EventFilter, *, actors: Sequence[str] = (),
                dyad: tuple[str, str] | None = None) -> str | None:
    """The latest ``date`` of the events chosen as in :func:`lean_rows` (None: none)."""
    query = _chosen(store, select(func.max(schema.events.c.date)), where, actors, dyad)
    with store.engine.connect() as conn:
        found = conn.execute(query).scalar_one_or_none()
    return str(found) if found is not None else None


def day_counts(store: Store, where: EventFilter, actors: Sequence[str]) -> dict[str, int]:
    """Events per day with any of ``actors`` on either side, each event once.

    For the analysed events of one or two actor keys, read from ``actor_days`` (a few
    hundred rows) as vol(a) + vol(b) - events between a and b. Otherwise (a confidence
    floor, other modes, a longer code, more actors) counted on the two actor-key
    indexes as (by source) + (by target) - (both sides among them), which never reads
    a row either but walks every entry of the actors.
    """
    if _rolled_up(where, actors):
        return _rollup_counts(store, where, actors)
    e = schema.events.c
    totals: dict[str, int] = {}

    def add(cond: ColumnElement[bool], sign: int) -> None:
        query = (select(e.date, func.count()).where(*_conditions(store, where), cond)
                 .group_by(e.date))
        for day, n in _all(store, query):
            if day is not None:
                totals[day[:10]] = totals.get(day[:10], 0) + sign * int(n)

    source = or_(*(actor_condition("source", a) for a in actors))
    target = or_(*(actor_condition("target", a) for a in actors))
    add(source, 1)
    add(target, 1)
    add(and_(source, target), -1)
    return {d: n for d, n in totals.items() if n}


def _rolled_up(where: EventFilter, actors: Sequence[str]) -> bool:
    """Does ``actor_days`` hold exactly these counts?"""
    plain = dataclasses.replace(where, since=None, until=None, coder=None)
    analysed = EventFilter(modes=ANALYSED_MODES, negated=False)
    return (plain == analysed and 1 <= len(actors) <= 2
            and all(a.upper() == actor_key(a.upper()) for a in actors))


def _rollup_counts(store: Store, where: EventFilter, actors: Sequence[str]) -> dict[str, int]:
    d = schema.actor_days.c
    keys = sorted({a.upper() for a in actors})
    query = select(d.day, func.sum(d.events)).where(d.actor_key.in_(keys))
    if where.coder is not None:
        query = query.where(d.coder == where.coder)
    if where.since:
        query = query.where(d.day >= where.since)
    if where.until:
        query = query.where(d.day <= where.until)
    totals = {day: int(n) for day, n in _all(store, query.group_by(d.day))}
    if len(keys) == 2:  # an event between the two is in both actors' counts
        e = schema.events.c
        both = _chosen(store, select(e.date, func.count()), where, (), (keys[0], keys[1]))
        for day, n in _all(store, both.group_by(e.date)):
            if day is not None:
                totals[day[:10]] = totals.get(day[:10], 0) - int(n)
    return {day: n for day, n in totals.items() if n}


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
