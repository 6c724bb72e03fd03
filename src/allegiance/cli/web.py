"""``allegiance serve`` (the web API, web/app.py) and ``allegiance mcp`` (the MCP server,
web/mcp.py)."""

from __future__ import annotations

import click

from allegiance.cli.app import main
from allegiance.cli.options import db_option
from allegiance.errors import ConfigError

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
@click.option("--ingest-allow-network", "ingest_allow_network", metavar="CIDR",
              multiple=True,
              help="Let POST /api/ingest fetch from this network although it is not "
              "public, e.g. 10.20.0.0/16 for an intranet news server (repeatable; "
              "needs --ingest-token-env). Only the ingest endpoint uses it.")
def serve_command(db: str | None, host: str, port: int, ingest_token_env: str | None,
                  ingest_allow_network: tuple[str, ...]) -> None:
    """Serve the store's events and analyses as a REST API (OpenAPI at /docs).

    Read-only unless --ingest-token-env names a token: then POST /api/ingest codes and
    stores records and public web pages (never this machine's or its network's, save
    the networks --ingest-allow-network names).
    """
    import os

    import uvicorn

    from allegiance.store.store import Store
    from allegiance.web.app import create_app

    if ingest_allow_network and not ingest_token_env:
        raise click.UsageError("--ingest-allow-network only applies to the ingest endpoint; "
                               "open it with --ingest-token-env")
    token = None
    if ingest_token_env:
        token = os.environ.get(ingest_token_env)
        if not token:
            raise click.UsageError(f"--ingest-token-env {ingest_token_env}: that variable "
                                   "is not set")
    Store(db, create=False).close()  # a missing or old store is an error now, not later
    # A short token or a bad network is refused here.
    try:
        app = create_app(db, ingest_token=token, ingest_allowed_networks=ingest_allow_network)
    except ConfigError as exc:
        if "allowed_networks" not in str(exc):
            raise
        raise click.UsageError(f"--ingest-allow-network: {exc}".replace(
            "FetchConfig.allowed_networks: ", "")) from None
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
