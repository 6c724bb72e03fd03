"""``allegiance serve`` (the web API, web/app.py) and ``allegiance mcp`` (the MCP server,
web/mcp.py)."""

from __future__ import annotations

import click

from allegiance.cli.app import main
from allegiance.cli.options import db_option

__all__ = ["mcp_command", "serve_command"]


@main.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--ingest-token-env", metavar="VAR",
              help="Open POST /api/ingest to requests bearing the token held in this "
              "environment variable (at least 16 characters). Without it the API is "
              "read-only.")
def serve_command(db: str | None, host: str, port: int, ingest_token_env: str | None) -> None:
    """Serve the store's events and analyses as a REST API (OpenAPI at /docs).

    Read-only unless --ingest-token-env names a token: then POST /api/ingest codes and
    stores records and public web pages (never this machine's or its network's).
    """
    import os

    import uvicorn

    from allegiance.store.store import Store
    from allegiance.web.app import create_app

    token = None
    if ingest_token_env:
        token = os.environ.get(ingest_token_env)
        if not token:
            raise click.UsageError(f"--ingest-token-env {ingest_token_env}: that variable "
                                   "is not set")
    Store(db, create=False).close()  # a missing or old store is an error now, not later
    app = create_app(db, ingest_token=token)  # a short token is refused here
    click.echo(f"serving http://{host}:{port}/api (OpenAPI at /docs; "
               f"{'ingest open to the token' if token else 'read-only'}); Ctrl-C to stop",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command("mcp")
@db_option
def mcp_command(db: str | None) -> None:
    """Serve the store to AI assistants over the Model Context Protocol (stdio).

    Tools: search_events, event_evidence, dyad_series, actor_profile, shifts,
    cited_brief; each returns the records of the matching REST view. Read-only.
    """
    from allegiance.web.mcp import serve_stdio

    serve_stdio(db)
