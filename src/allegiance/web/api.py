"""The REST API: the store's events and the analyses, as JSON (events also as CSV).

Every view calls the store's public interface (``Store.events``, ``Store.mentions``,
``Store.alerts``) or an analysis function; none writes SQL. Errors are JSON with a
one-line message: 400 for a bad parameter, 404 when there is nothing to show.
"""

from __future__ import annotations

import base64
import binascii
import csv
import dataclasses
import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from allegiance.analysis.appeals import appeals
from allegiance.analysis.brief import build_brief, render
from allegiance.analysis.dyad import dyad_series
from allegiance.analysis.load import Window
from allegiance.analysis.network import network
from allegiance.analysis.profile import actor_profile
from allegiance.analysis.shifts import shifts
from allegiance.errors import ConfigError, NoDataError
from allegiance.formats.flat import FLAT_COLUMNS, flat_row
from allegiance.store.query import EventFilter
from allegiance.store.store import Store

__all__ = ["MAX_PAGE", "actor_view", "dyad_view", "event_view", "events_page", "router",
           "shifts_data"]

router = APIRouter(prefix="/api")

MAX_PAGE = 500  # events per page at most: a response never holds the whole store
Since = Annotated[str | None, Query(description="First day, YYYY-MM-DD.")]
Until = Annotated[str | None, Query(description="Last day, YYYY-MM-DD.")]
Freq = Annotated[str, Query(pattern="^(day|week|month)$")]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _cursor(token: str | None) -> tuple[str, str] | None:
    """The (date, id) a page ended on, from its opaque cursor."""
    if not token:
        return None
    try:
        date, event_id = json.loads(base64.urlsafe_b64decode(token.encode()).decode())
    except (ValueError, binascii.Error, TypeError, UnicodeDecodeError):
        raise ConfigError("cursor: not a cursor this API gave; start again without it") \
            from None
    return str(date), str(event_id)


def _next_cursor(date: str | None, event_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([date or "", event_id]).encode()).decode()


def events_page(store: Store, where: EventFilter, *, limit: int = 50,
                cursor: str | None = None) -> tuple[list[Any], str | None]:
    """One page of events (newest first) and the cursor of the next (None: the last)."""
    if not 1 <= limit <= MAX_PAGE:
        raise ConfigError(f"limit must be from 1 to {MAX_PAGE}, got {limit}")
    # One more than asked: whether there is a next page, without counting.
    found = list(store.events(where, limit=limit + 1, after=_cursor(cursor)))
    page, more = found[:limit], len(found) > limit
    return page, _next_cursor(page[-1].date, page[-1].id) if more else None


@router.get("/events", summary="Stored events, newest first, a page at a time")
def events(request: Request, actor: str | None = None, source: str | None = None,
           target: str | None = None, country: str | None = None,
           dyad: Annotated[str | None, Query(description="SRC-TGT, e.g. VEN-RUS")] = None,
           cameo: str | None = None, root: str | None = None, plover: str | None = None,
           quad: Annotated[int | None, Query(ge=1, le=4)] = None,
           since: Since = None, until: Until = None,
           mode: Annotated[list[str] | None, Query()] = None,
           min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
           min_mentions: Annotated[int | None, Query(ge=1)] = None,
           text: str | None = None, coder: str | None = None,
           limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
           cursor: str | None = None,
           format: Annotated[str, Query(pattern="^(json|csv)$")] = "json") -> Response:
    """Every filter of ``allegiance events``. The response's ``next`` is the cursor of the
    following page (null on the last)."""
    where = EventFilter(actor=actor, source=source, target=target, country=country,
                        dyad=dyad, cameo=cameo, root=root, plover=plover, quad=quad,
                        since=since, until=until, modes=tuple(mode or ()),
                        min_confidence=min_confidence, min_mentions=min_mentions,
                        text=text, coder=coder)
    page, next_cursor = events_page(_store(request), where, limit=limit, cursor=cursor)
    if format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(FLAT_COLUMNS), extrasaction="ignore")
        writer.writeheader()
        for event in page:
            writer.writerow(flat_row(event))
        headers = {"X-Next-Cursor": next_cursor} if next_cursor else {}
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers=headers)
    return JSONResponse({"events": [e.to_dict() for e in page], "next": next_cursor})


@router.get("/events/{event_id}", summary="One event, with every report of it")
def event(request: Request, event_id: str) -> dict[str, Any]:
    return event_view(_store(request), event_id)


def event_view(store: Store, event_id: str) -> dict[str, Any]:
    """One event (the contract's fields) and every report of it, with its evidence."""
    found = store.event(event_id)
    if found is None:
        raise NoDataError(f"no event {event_id!r} in the store")
    return {"event": found.to_dict(),
            "mentions": [dataclasses.asdict(m) for m in store.mentions(event_id)]}


@router.get("/actors/{actor}", summary="An actor's partners, appeals and changes")
def actor(request: Request, actor: str, since: Since = None, until: Until = None,
          top: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
    return actor_view(_store(request), actor, since, until, top)


def actor_view(store: Store, actor: str, since: str | None = None, until: str | None = None,
               top: int = 20) -> dict[str, Any]:
    """An actor's profile (analysis.profile) as JSON-ready records."""
    p = actor_profile(store, actor, window=Window(since, until))
    return {
        "actor": p.actor, "events": p.events,
        "window": {"since": p.window.since, "until": p.window.until},
        "previous": {"since": p.previous.since, "until": p.previous.until},
        "partners": _records(p.partners.head(top).reset_index()),
        "asked": _records(p.asked), "received": _records(p.received.head(top)),
    }


@router.get("/dyads/{a}/{b}", summary="The relation of two actors over time")
def dyad(request: Request, a: str, b: str, freq: Freq = "week", since: Since = None,
         until: Until = None, directed: bool = False) -> dict[str, Any]:
    return dyad_view(_store(request), a, b, freq, since, until, directed)


def dyad_view(store: Store, a: str, b: str, freq: str = "week", since: str | None = None,
              until: str | None = None, directed: bool = False) -> dict[str, Any]:
    """A dyad's series (analysis.dyad) as JSON-ready records."""
    series = dyad_series(store, a, b, freq=freq, window=Window(since, until),
                         directed=directed)
    return {"a": a.upper(), "b": b.upper(), "freq": freq, "directed": directed,
            "series": _records(series.reset_index())}


@router.get("/network", summary="Blocs, the signed graph and who is moving")
def network_view(request: Request, since: Annotated[str, Query()], until: Until = None,
                 freq: Annotated[str, Query(pattern="^(week|month)$")] = "week",
                 min_events: Annotated[int, Query(ge=1)] = 1) -> dict[str, Any]:
    net = network(_store(request), window=Window(since, until), freq=freq,
                  min_events=min_events)
    plain: dict[str, Any] = _plain(net.to_dict())
    return plain


@router.get("/shifts", summary="Dyads that moved beyond their own history")
def shifts_view(request: Request, since: Annotated[str, Query()], until: Until = None,
                freq: Freq = "week", actor: str | None = None,
                min_events: Annotated[int, Query(ge=1)] = 2,
                top: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
    return shifts_data(_store(request), since, until, freq, actor, min_events, top)


def shifts_data(store: Store, since: str, until: str | None = None, freq: str = "week",
                actor: str | None = None, min_events: int = 2,
                top: int = 20) -> dict[str, Any]:
    """The strongest shifts (analysis.shifts) with their drivers, JSON-ready."""
    ranked = shifts(store, since=since, until=until, freq=freq, actor=actor,
                    min_events=min_events, drivers_for=top).head(top)
    rows = []
    for row in ranked.to_dict(orient="records"):
        row["drivers"] = _records(row["drivers"])
        rows.append(row)
    return {"since": since, "until": until, "freq": freq, "shifts": _plain(rows)}


@router.get("/appeals", summary="Who asks whom for what, and who gives aid")
def appeals_view(request: Request, kind: Annotated[str, Query(
        pattern="^(appeals|aid|both)$")] = "appeals", since: Since = None,
        until: Until = None, actor: str | None = None) -> dict[str, Any]:
    rows = appeals(_store(request), kind=kind, window=Window(since, until), actor=actor)
    return {"kind": kind, "rows": _records(rows)}


@router.get("/alerts", summary="Alerts raised so far, newest first")
def alerts(request: Request, rule: str | None = None,
           limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50) -> dict[str, Any]:
    return {"alerts": [a.to_dict() for a in _store(request).alerts(rule=rule, limit=limit)]}


@router.get("/brief", summary="A cited brief, every claim checked against its events")
def brief(request: Request, actor: str, dyad: str | None = None, since: Since = None,
          until: Until = None, limit: Annotated[int, Query(ge=1, le=30)] = 8,
          format: Annotated[str, Query(pattern="^(json|md|html)$")] = "json") -> Response:
    made = build_brief(_store(request), actor, dyad=dyad, window=Window(since, until),
                       limit=limit)
    if format == "md":
        return Response(render(made, "md"), media_type="text/markdown; charset=utf-8")
    if format == "html":
        return Response(render(made, "html"), media_type="text/html; charset=utf-8")
    return JSONResponse(made.to_dict())


def _records(frame: Any) -> list[dict[str, Any]]:
    """A DataFrame as JSON-ready records (dates as ISO text, NaN as null)."""
    return json.loads(frame.to_json(orient="records", date_format="iso"))  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    """Numpy scalars and timestamps made JSON-ready (through json's default)."""
    return json.loads(json.dumps(value, default=str))
