"""``POST /api/ingest``: adding news through the API, only when a token is configured.

The body is JSON: ``{"records": [...], "urls": [...]}``, records in the coding contract's
input shape (``id``, ``text``, optional ``title``, ``date``, ``url``, ``publisher``) and
URLs of pages or feeds to fetch. Each URL, and every redirect it leads to, must resolve to
public addresses (``FetchConfig.public_only``): no request of the API reaches this
machine, its network or a cloud metadata address, except networks the operator allowed
(``allowed_networks``, e.g. an intranet news server). Nothing else is read: no local path,
no GDELT file. At most :data:`MAX_ITEMS` items a request; the request body cap of the app
holds too. The answer is the ingest's summary, failures named one by one.
"""

from __future__ import annotations

import json
import secrets
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from allegiance.errors import ConfigError
from allegiance.ingest.api import IngestOptions, ingest
from allegiance.ingest.fetch import FetchConfig

__all__ = ["MAX_ITEMS", "IngestBody", "ingest_router"]

MAX_ITEMS = 100


class IngestBody(BaseModel):
    records: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_ITEMS)
    urls: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)


def ingest_router(token: str, *, allowed_networks: Sequence[str] = ()) -> APIRouter:
    """The ingest route, answering only to ``Authorization: Bearer <token>``.

    ``allowed_networks`` (CIDR) may be fetched although not public; a bad one is a
    ConfigError now, at start-up, not at the first request."""
    if len(token) < 16:
        raise ConfigError("the ingest token must be at least 16 characters long")
    fetch = FetchConfig(public_only=True, allowed_networks=tuple(allowed_networks))
    router = APIRouter(prefix="/api")

    @router.post("/ingest", summary="Code and store records and web pages (token only)")
    def ingest_view(request: Request, body: IngestBody,
                    authorization: str | None = Header(default=None)) -> JSONResponse:
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not secrets.compare_digest(given.encode(), token.encode()):
            return JSONResponse({"error": "a valid bearer token is needed"}, status_code=401)
        if bad := [u for u in body.urls if not u.lower().startswith(("http://", "https://"))]:
            return JSONResponse({"error": f"urls must be http(s) web addresses, got "
                                          f"{bad[0]!r}"}, status_code=400)
        if not body.records and not body.urls:
            return JSONResponse({"error": "give records or urls"}, status_code=400)
        summary = _run(request.app.state.store, body, fetch)
        if summary.added:
            request.app.state.overview_cache.clear()  # the first page shows the news now
        return JSONResponse({
            "read": summary.read, "added": summary.added, "duplicates": summary.duplicates,
            "events_added": summary.events_added, "events_merged": summary.events_merged,
            "failed": [{"where": w, "reason": r} for w, r in summary.failed]})

    return router


def _run(store: Any, body: IngestBody, fetch: FetchConfig) -> Any:
    options = IngestOptions(fetch=fetch, processes=1)
    with tempfile.TemporaryDirectory(prefix="allegiance-api-") as folder:
        sources = list(body.urls)
        if body.records:
            path = Path(folder) / "records.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in body.records),
                            encoding="utf-8")
            sources.append(str(path))
        return ingest(sources, store, options=options)
