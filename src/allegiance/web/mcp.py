"""``allegiance mcp``: the store's views for AI assistants, over the Model Context Protocol.

A stdio server made with the official ``mcp`` SDK (``MCPServer``). Each tool returns the
same records as its REST view (``web/api.py``: the same functions make both), so an
assistant's answer can cite what a person sees in the API: events with their evidence
sentences, one event with every report of it, a dyad's series, an actor's profile, the
shifts and a cited brief whose every claim was checked against its events. Read-only.
"""

from __future__ import annotations

from typing import Any

from allegiance.analysis.brief import build_brief
from allegiance.analysis.load import Window
from allegiance.errors import AllegianceError
from allegiance.store.query import EventFilter
from allegiance.store.store import Store
from allegiance.web.api import actor_view, dyad_view, event_view, events_page, shifts_data

__all__ = ["make_server"]


def _answer(make: Any) -> Any:
    """A tool's answer; the library's errors as a one-line message an assistant can read
    (not a stack trace)."""
    try:
        return make()
    except AllegianceError as err:
        from mcp.server.mcpserver.exceptions import ToolError

        raise ToolError(str(err)) from None


def make_server(store: Store) -> Any:
    """The MCP server over an open store (``mcp.server.mcpserver.MCPServer``)."""
    from mcp.server.mcpserver import MCPServer

    server = MCPServer("allegiance", instructions=(
        "Geopolitical events coded from news (CAMEO codes, actor codes like VEN or USAGOV), "
        "each with the sentence and article it came from. Cite the evidence sentences and "
        "URLs the tools return."))

    @server.tool()
    def search_events(actor: str | None = None, dyad: str | None = None,
                      cameo: str | None = None, since: str | None = None,
                      until: str | None = None, text: str | None = None,
                      limit: int = 20, cursor: str | None = None) -> dict[str, Any]:
        """Stored events, newest first. actor: either side (VEN); dyad: SOURCE-TARGET
        (VEN-RUS, * for any); cameo: a code or its prefix (023: appeals for aid);
        since/until: YYYY-MM-DD; text: words of the evidence sentence. Returns events and
        `next`, the cursor of the following page."""
        def make() -> dict[str, Any]:
            where = EventFilter(actor=actor, dyad=dyad, cameo=cameo, since=since,
                                until=until, text=text)
            page, nxt = events_page(store, where, limit=limit, cursor=cursor)
            return {"events": [e.to_dict() for e in page], "next": nxt}
        return dict(_answer(make))

    @server.tool()
    def event_evidence(event_id: str) -> dict[str, Any]:
        """One event with every article that reports it and each evidence sentence."""
        return dict(_answer(lambda: event_view(store, event_id)))

    @server.tool()
    def dyad_series(a: str, b: str, freq: str = "week", since: str | None = None,
                    until: str | None = None) -> dict[str, Any]:
        """How the relation of two actors moved: counts by quad class, Goldstein and the
        cooperation-conflict index per day, week or month."""
        return dict(_answer(lambda: dyad_view(store, a, b, freq, since, until)))

    @server.tool()
    def actor_profile(actor: str, since: str | None = None,
                      until: str | None = None) -> dict[str, Any]:
        """An actor's partners by cooperation and conflict, its appeals, what was done to
        it, and each partner's change against the previous window."""
        return dict(_answer(lambda: actor_view(store, actor, since, until)))

    @server.tool()
    def shifts(since: str, until: str | None = None, actor: str | None = None,
               min_events: int = 2, top: int = 10) -> dict[str, Any]:
        """Dyads whose relation changed beyond their own history since a day, strongest
        first, each with the events that drove it and their evidence."""
        return dict(_answer(lambda: shifts_data(store, since, until, "week", actor,
                                                min_events, top)))

    @server.tool()
    def cited_brief(actor: str, dyad: str | None = None, since: str | None = None,
                    until: str | None = None) -> dict[str, Any]:
        """A brief on an actor: sentences made from stored events, each with numbered
        citations to the references (article, date, URL, evidence sentence). Every claim
        was checked against the events it cites."""
        return dict(_answer(lambda: build_brief(store, actor, dyad=dyad,
                                                window=Window(since, until)).to_dict()))

    return server


def serve_stdio(db: str | None) -> None:
    """Run the server on stdin/stdout until the client closes it."""
    with Store(db, create=False) as store:
        make_server(store).run("stdio")
