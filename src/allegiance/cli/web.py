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
def serve_command(db: str | None, host: str, port: int) -> None:
    """Serve the store's events and analyses as a REST API (OpenAPI at /docs).

    Read-only: no request writes to the store.
    """
    import uvicorn

    from allegiance.store.store import Store
    from allegiance.web.app import create_app

    Store(db, create=False).close()  # a missing or old store is an error now, not later
    click.echo(f"serving http://{host}:{port}/api (OpenAPI at /docs); Ctrl-C to stop",
               err=True)
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")


@main.command("mcp")
@db_option
def mcp_command(db: str | None) -> None:
    """Serve the store to AI assistants over the Model Context Protocol (stdio).

    Tools: search_events, event_evidence, dyad_series, actor_profile, shifts,
    cited_brief; each returns the records of the matching REST view. Read-only.
    """
    from allegiance.web.mcp import serve_stdio

    serve_stdio(db)
