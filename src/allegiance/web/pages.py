"""The dashboard: server-rendered pages on the same view functions as the REST API.

Each page calls the functions ``web/api.py`` serves as JSON and links its JSON twin, so a
page and its data never disagree. Templates (``web/templates``) are autoescaped, so
article text is always text; the only markup passed through is a brief's HTML, which
``analysis.brief.render`` escapes itself. Charts are SVG drawn by ``analysis.plots`` and
served at ``/charts/...``; there is no script at all, so the CSP can forbid every one.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import Markup, escape

from allegiance.analysis.brief import build_brief, render
from allegiance.analysis.dyad import dyad_series, dyad_spikes
from allegiance.analysis.load import Window
from allegiance.analysis.network import network
from allegiance.analysis.profile import actor_profile
from allegiance.analysis.timeline import timeline
from allegiance.errors import AllegianceError, NoDataError
from allegiance.ontology.cameo import codebook
from allegiance.records import StoredEvent
from allegiance.store.query import EventFilter
from allegiance.store.store import Store
from allegiance.web.api import events_page
from allegiance.web.drawings import graph_drawing, timeline_drawing
from allegiance.web.overview import cached_overview

__all__ = ["highlight", "pages"]

pages = APIRouter(include_in_schema=False)
# The network page's default window: the store's newest month.
NETWORK_DAYS = 30


@cache
def _templates() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("allegiance.web", "templates"),
                       autoescape=select_autoescape(["html"]))


def _page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_templates().get_template(name).render(**context), status_code=status)


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def page_errors(request: Request, exc: AllegianceError) -> Response:
    """An error on a page is a page (404 for nothing to show, else 400)."""
    status = 404 if isinstance(exc, NoDataError) else 400
    return _page("error.html", status, title="Nothing to show" if status == 404
                 else "Bad request", message=str(exc))


def highlight(event: StoredEvent) -> Markup:
    """The evidence sentence, escaped, with the actors and the trigger marked."""
    text, base = event.sentence or "", event.sentence_start or 0
    spans: list[tuple[int, int, str]] = []
    for actor in (event.source, event.target):
        if actor is not None and actor.start is not None and actor.end is not None:
            spans.append((actor.start - base, actor.end - base, "actor"))
    if event.trigger_start is not None and event.trigger_end is not None:
        spans.append((event.trigger_start - base, event.trigger_end - base, "trigger"))
    out, at = [], 0
    for start, end, kind in sorted(s for s in spans if 0 <= s[0] < s[1] <= len(text)):
        if start < at:
            continue  # overlapping spans: the first one wins
        out += [escape(text[at:start]),
                Markup('<mark class="{}">{}</mark>').format(kind, text[start:end])]
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def _row(e: StoredEvent) -> dict[str, Any]:
    return {"id": e.id, "date": e.date, "cameo": e.cameo,
            "what": codebook()[e.cameo].name if e.cameo in codebook() else "",
            "source": e.source.code if e.source else "–",
            "target": e.target.code if e.target else "–",
            "evidence": highlight(e), "mode": e.mode,
            "confidence": f"{e.confidence:.2f}" if e.confidence is not None else "–",
            "reports": e.num_mentions}


@pages.get("/", response_class=HTMLResponse)
def overview_page(request: Request) -> HTMLResponse:
    store = _store(request)
    try:
        found = cached_overview(request.app)
    except NoDataError as exc:
        return _page("error.html", 404, title="Nothing to show yet", message=str(exc))
    return _page("overview.html", title="Overview", o=found, window=found.window.describe(),
                 total=f"{found.total:,}",
                 chart=timeline_drawing(found.timeline, freq=found.scale.freq),
                 dyads=found.dyads.head(10).to_dict(orient="records"),
                 shifts=found.shifts.head(8).to_dict(orient="records"),
                 alerts=store.alerts(limit=8))


@pages.get("/events", response_class=HTMLResponse)
def events_view(request: Request, actor: str | None = None, dyad: str | None = None,
                cameo: str | None = None, since: str | None = None, until: str | None = None,
                text: str | None = None, cursor: str | None = None) -> HTMLResponse:
    given = {k: v for k, v in {"actor": actor, "dyad": dyad, "cameo": cameo, "since": since,
                                "until": until, "text": text}.items() if v}
    where = EventFilter(actor=actor or None, dyad=dyad or None, cameo=cameo or None,
                        since=since or None, until=until or None, text=text or None)
    page, nxt = events_page(_store(request), where, limit=50, cursor=cursor)
    query = urlencode(given)
    return _page("events.html", title="Events", f=where, events=[_row(e) for e in page],
                 json_url=f"/api/events?{query}", csv_url=f"/api/events?{query}&format=csv",
                 next_url=f"/events?{urlencode({**given, 'cursor': nxt})}" if nxt else None)


@pages.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> HTMLResponse:
    store = _store(request)
    found = store.event(event_id)
    if found is None:
        raise NoDataError(f"no event {event_id!r} in the store")
    row = _row(found)
    title = f"{row['source']} {row['cameo']} {row['target']}"
    return _page("event.html", title=title, e=row, mentions=store.mentions(event_id))


@pages.get("/actors/{actor}", response_class=HTMLResponse)
def actor_page(request: Request, actor: str, since: str | None = None,
               until: str | None = None) -> HTMLResponse:
    p = actor_profile(_store(request), actor, window=Window(since, until))
    query = "?" + urlencode({k: v for k, v in {"since": since, "until": until}.items() if v})
    partners = p.partners.head(20).reset_index().rename(columns={"index": "partner"})
    return _page("actor.html", title=f"{p.actor}", p=p, window=p.window.describe(),
                 query=query if query != "?" else "",
                 partners=partners.to_dict(orient="records"))


@pages.get("/dyads/{a}/{b}", response_class=HTMLResponse)
def dyad_page(request: Request, a: str, b: str, freq: str = "week") -> HTMLResponse:
    store = _store(request)
    series = dyad_series(store, a, b, freq=freq)
    spikes = dyad_spikes(store, a, b, series, freq=freq)
    rows = series.reset_index().assign(period=lambda f: f["period"].dt.date.astype(str))
    return _page("dyad.html", title=f"{a.upper()} and {b.upper()}", a=a.upper(),
                 b=b.upper(), freq=freq, window="the whole store",
                 rows=rows.to_dict(orient="records"),
                 spikes=spikes.assign(period=spikes["period"].dt.date.astype(str))
                 .to_dict(orient="records"))


@pages.get("/network", response_class=HTMLResponse)
def network_page(request: Request, since: str | None = None,
                 until: str | None = None) -> HTMLResponse:
    store = _store(request)
    if since is None:
        newest = next(iter(store.events(limit=1)), None)
        if newest is None or newest.date is None:
            raise NoDataError("the store holds no dated events")
        since = (dt.date.fromisoformat(newest.date[:10]) - dt.timedelta(days=NETWORK_DAYS)
                 ).isoformat()
    net = network(store, window=Window(since, until))
    return _page("network.html", title=f"Network {net.window.describe()}", since=since,
                 until=until, blocs=net.blocs, graph=graph_drawing(net),
                 movers=net.movers.head(12).to_dict(orient="records"))


@pages.get("/brief", response_class=HTMLResponse)
def brief_page(request: Request, actor: str = "", since: str | None = None) -> HTMLResponse:
    if not actor:
        return _page("brief.html", title="Brief", actor="", since=since,
                     brief_html=Markup("<p>Name an actor (VEN, USA, IGOUNO).</p>"))
    made = build_brief(_store(request), actor, window=Window(since, None))
    return _page("brief.html", title=f"Brief on {actor.upper()}", actor=actor.upper(),
                 since=since, brief_html=Markup(render(made, "html")))


@pages.get("/index.json")
def overview_json(request: Request) -> JSONResponse:
    """The overview's data (its JSON twin)."""
    found = cached_overview(request.app)
    return JSONResponse({**found.to_dict(),
                         "alerts": [a.to_dict() for a in _store(request).alerts(limit=8)]})


# -- charts -------------------------------------------------------------------------------

def _svg(draw: Any) -> Response:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chart.svg"
        draw(path)
        return Response(path.read_bytes(), media_type="image/svg+xml",
                        headers={"Cache-Control": "max-age=60"})


@pages.get("/charts/timeline.svg")
def timeline_chart(request: Request, since: str | None = None,
                   freq: str = "week") -> Response:
    from allegiance.analysis.plots import plot_timeline

    table = timeline(_store(request), window=Window(since or None, None), freq=freq)
    return _svg(lambda p: plot_timeline(table, p, title=f"Events per {freq} by quad class"))


@pages.get("/charts/actor/{actor}.svg")
def actor_chart(request: Request, actor: str, since: str | None = None,
                until: str | None = None) -> Response:
    from allegiance.analysis.plots import plot_actor

    p = actor_profile(_store(request), actor, window=Window(since, until))
    return _svg(lambda path: plot_actor(p, path))


@pages.get("/charts/dyad/{a}/{b}.svg")
def dyad_chart(request: Request, a: str, b: str, freq: str = "week") -> Response:
    from allegiance.analysis.plots import plot_dyad

    store = _store(request)
    series = dyad_series(store, a, b, freq=freq)
    spikes = dyad_spikes(store, a, b, series, freq=freq)
    return _svg(lambda p: plot_dyad(series, spikes, p, title=f"{a.upper()} and {b.upper()} "
                                    f"by {freq}"))


@pages.get("/charts/network.svg")
def network_chart(request: Request, since: str, until: str | None = None) -> Response:
    from allegiance.analysis.plots import plot_network

    net = network(_store(request), window=Window(since, until))
    return _svg(lambda p: plot_network(net, p))
