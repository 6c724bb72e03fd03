"""POST /api/ingest: absent without a token, refused without the right one, coding and
storing records, never fetching this machine or its network (save networks the operator
allows), and article text that holds markup never echoed raw."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from allegiance.errors import ConfigError
from allegiance.store.store import Store
from allegiance.web.app import create_app
from allegiance.web.ingest import MAX_ITEMS
from helpers.httpserver import Route, serve

pytestmark = pytest.mark.slow

TOKEN = "a-test-token-of-some-length"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
EVIL = "<script>alert(1)</script>"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'events.db'}"
    Store(url).close()
    with TestClient(create_app(url, ingest_token=TOKEN)) as c:
        yield c


def test_read_only_without_a_token(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'events.db'}"
    Store(url).close()
    with TestClient(create_app(url)) as c:
        answer = c.post("/api/ingest", json={"records": [{"id": "a", "text": "x"}]})
        assert answer.status_code in (404, 405)
    with pytest.raises(ConfigError, match="at least 16"):
        create_app(url, ingest_token="short")


def test_the_token_is_needed(client: TestClient) -> None:
    body = {"records": [{"id": "a", "text": "Venezuela asked Russia for military aid."}]}
    assert client.post("/api/ingest", json=body).status_code == 401
    wrong = client.post("/api/ingest", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "token" in wrong.json()["error"]


def test_records_are_coded_and_stored_and_markup_stays_text(client: TestClient) -> None:
    record = {"id": "a1", "date": "2026-03-02", "url": "https://example.org/a1",
              "title": f"Venezuela asks Moscow {EVIL}",
              "text": f"Venezuela asked Russia for military aid on Monday. {EVIL}"}
    done = client.post("/api/ingest", json={"records": [record]}, headers=AUTH).json()
    assert done["added"] == 1 and done["events_added"] >= 1 and done["failed"] == []
    found = client.get("/api/events", params={"cameo": "0232"})
    assert found.headers["content-type"].startswith("application/json")
    (event,) = found.json()["events"]
    assert (event["source"]["code"], event["target"]["code"]) == ("VEN", "RUS")
    page = client.get("/api/brief", params={"actor": "VEN", "format": "html"}).text
    assert "<script>" not in page and "&lt;script&gt;" in page
    again = client.post("/api/ingest", json={"records": [record]}, headers=AUTH).json()
    assert again["added"] == 0 and again["duplicates"] == 1


def test_never_this_machine_nor_local_files(client: TestClient) -> None:
    local = client.post("/api/ingest", headers=AUTH, json={
        "urls": ["http://127.0.0.1:9/admin", "http://localhost:9/", "http://169.254.169.254/"]})
    failed = local.json()["failed"]
    assert len(failed) == 3 and all("refused" in f["reason"] for f in failed)
    files = client.post("/api/ingest", headers=AUTH, json={"urls": ["/etc/passwd"]})
    assert files.status_code == 400 and "http(s)" in files.json()["error"]
    too_many = client.post("/api/ingest", headers=AUTH,
                           json={"records": [{"id": str(i), "text": "x"}
                                             for i in range(MAX_ITEMS + 1)]})
    assert too_many.status_code == 422
    empty = client.post("/api/ingest", headers=AUTH, json={})
    assert empty.status_code == 400


ARTICLE = Route("<html><head><title>Venezuela asks Russia</title></head><body><article>"
                "<p>Venezuela asked Russia for military aid on Monday, officials said.</p>"
                "</article></body></html>")


def test_an_allowed_network_is_fetched(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'events.db'}"
    Store(url).close()
    app = create_app(url, ingest_token=TOKEN, ingest_allowed_networks=("127.0.0.1/32",))
    with serve({"/a": ARTICLE}) as server, TestClient(app) as c:
        done = c.post("/api/ingest", headers=AUTH, json={"urls": [server.url("/a")]}).json()
    assert server.hits["/a"] == 1
    assert done["failed"] == [] and done["added"] == 1


def test_allowed_networks_are_checked_at_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'events.db'}"
    Store(url).close()
    with pytest.raises(ConfigError, match=re.escape("'10.0.0.1/8' is not a network")):
        create_app(url, ingest_token=TOKEN, ingest_allowed_networks=("10.0.0.1/8",))
    with pytest.raises(ConfigError, match="needs ingest_token"):
        create_app(url, ingest_allowed_networks=("10.0.0.0/8",))


def test_serve_refuses_allow_network_without_a_token(tmp_path: Path) -> None:
    from allegiance.cli import main

    url = f"sqlite:///{tmp_path / 'events.db'}"
    result = CliRunner().invoke(main, ["serve", "--db", url,
                                       "--ingest-allow-network", "10.0.0.0/8"])
    assert result.exit_code == 2
    assert "--ingest-allow-network" in result.output and "--ingest-token-env" in result.output
