"""`allegiance mcp`, driven over stdio by the official SDK's client: the tools answer with
the same records as the REST API, and a bad request is a readable tool error."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient

from allegiance.web.app import create_app

pytestmark = pytest.mark.slow


def _call(db: str, calls: list[tuple[str, dict[str, Any]]]) -> tuple[set[str], list[Any]]:
    from mcp import Client, StdioServerParameters

    async def run() -> tuple[set[str], list[Any]]:
        params = StdioServerParameters(
            command=str(Path(sys.executable).parent / "allegiance"),
            args=["mcp", "--db", db], env=dict(os.environ))
        async with Client(params) as client:
            tools = {t.name for t in (await client.list_tools()).tools}
            return tools, [await client.call_tool(name, args) for name, args in calls]

    return anyio.run(run)


def test_the_tools_answer_like_the_api(db: str) -> None:
    tools, (found, brief, series, missing) = _call(db, [
        ("search_events", {"actor": "VEN", "cameo": "023"}),
        ("cited_brief", {"actor": "VEN", "since": "2026-02-01"}),
        ("dyad_series", {"a": "VEN", "b": "USA", "freq": "month"}),
        ("actor_profile", {"actor": "XYZ"}),
    ])
    assert tools == {"search_events", "event_evidence", "dyad_series", "actor_profile",
                     "shifts", "cited_brief"}
    with TestClient(create_app(db)) as api:
        same = api.get("/api/events", params={"actor": "VEN", "cameo": "023",
                                              "limit": 20}).json()
        same_series = api.get("/api/dyads/VEN/USA", params={"freq": "month"}).json()
    assert found.structured_content == same
    assert series.structured_content == same_series
    claims = brief.structured_content["claims"]
    assert any("asked Russia for military aid" in c["text"] for c in claims)
    assert brief.structured_content["references"][0]["url"].startswith("https://")
    assert missing.is_error and "no events with XYZ" in missing.content[0].text
