"""The ASGI application: the API and the dashboard over one open store, with the safety
every page gets.

``create_app(db)`` opens the store once (read-only use: no view writes) and serves
``/api/...`` (``web/api.py``) with OpenAPI at ``/docs``. Every response carries the
security headers (a CSP without inline scripts, nosniff, no framing); request bodies
are capped; the library's errors become JSON answers (400 for a bad parameter, 404
for nothing to show), never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from allegiance.errors import AllegianceError, ConfigError, NoDataError
from allegiance.store.store import Store
from allegiance.web.overview import OverviewCache

__all__ = ["MAX_BODY", "SECURITY_HEADERS", "create_app"]

MAX_BODY = 1_000_000  # bytes a request may send
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                "frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
# Swagger UI (served from the package, started by static/docs.js) sets inline style
# attributes; /docs allows those and nothing else more (it shows no article text).
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>allegiance API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css"><link rel="icon" href="data:,">
</head><body><div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>"""


def create_app(db: str | Store | None = None, *, ingest_token: str | None = None,
               ingest_allowed_networks: Sequence[str] = ()) -> FastAPI:
    """The app over the store at ``db`` (a URL, an open Store, or None: the default).
    Read-only unless ``ingest_token`` is given: then ``POST /api/ingest`` exists and
    answers to that bearer token (web/ingest.py), fetching public addresses and those in
    ``ingest_allowed_networks`` (CIDR)."""
    if ingest_allowed_networks and not ingest_token:
        raise ConfigError("ingest_allowed_networks needs ingest_token: without a token "
                          "there is no ingest endpoint to allow them to")
    from fastapi.staticfiles import StaticFiles

    from allegiance.web.api import router
    from allegiance.web.pages import pages

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = not isinstance(db, Store)
        app.state.store = db if isinstance(db, Store) else Store(db, create=False)
        app.state.overview_cache = OverviewCache()
        # The first page is computed before the server takes requests (about a second on
        # a million events): its first visitor finds it ready.
        _warm(app)
        try:
            yield
        finally:
            app.state.overview_cache.wait()
            if owned:
                app.state.store.close()

    app = FastAPI(title="allegiance", summary="Who did what to whom, coded from the news",
                  lifespan=lifespan, docs_url=None, redoc_url=None)
    app.include_router(router)
    app.include_router(pages)
    _docs(app)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"),
              name="static")
    if ingest_token:
        from allegiance.web.ingest import ingest_router

        app.include_router(ingest_router(ingest_token,
                                         allowed_networks=ingest_allowed_networks))
    _errors(app)
    _guards(app)
    return app


def _warm(app: FastAPI) -> None:
    try:
        app.state.overview_cache.get(app.state.store)
    except AllegianceError:
        pass  # an empty store: the page says so when asked
    except Exception:  # a warm-up is a courtesy: the request will compute and report it
        logging.getLogger(__name__).exception("computing the overview at start failed")


def _docs(app: FastAPI) -> None:
    """/docs: Swagger UI from the ``fastapi-offline`` package's copy (MIT; Swagger UI is
    Apache-2.0), which reads OpenAPI 3.1, offline."""
    from importlib import resources

    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    swagger = Path(str(resources.files("fastapi_offline") / "static"))
    app.mount("/static/swagger", StaticFiles(directory=swagger), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)


def _errors(app: FastAPI) -> None:
    @app.exception_handler(AllegianceError)
    async def _answer(request: Request, exc: AllegianceError) -> Response:
        if not request.url.path.startswith("/api/"):
            from allegiance.web.pages import page_errors

            return page_errors(request, exc)  # a page's error is a page
        status = 404 if isinstance(exc, NoDataError) else \
            400 if isinstance(exc, ConfigError) else 500
        return JSONResponse({"error": str(exc)}, status_code=status)


def _guards(app: FastAPI) -> None:
    @app.middleware("http")
    async def _headers(request: Request,
                       call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length")
        if length and (not length.isdigit() or int(length) > MAX_BODY):
            return JSONResponse({"error": f"request body over {MAX_BODY} bytes"},
                                status_code=413)
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path == "/docs":
            response.headers["Content-Security-Policy"] = DOCS_CSP
        return response
