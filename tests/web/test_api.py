"""The REST API over a store coded from articles written for the tests (SQLite and
PostgreSQL): pages that add up to the store, filters, CSV, one event with its reports,
the analyses, errors as JSON, and the security headers on every answer."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from allegiance.formats.flat import FLAT_COLUMNS
from allegiance.store.store import Store
from allegiance.web.app import MAX_BODY, create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        yield c


def test_pages_add_up_to_the_store(client: TestClient, db: str) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(50):
        params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/events", params=params).json()
        seen += [e["event_id"] for e in page["events"]]
        cursor = page["next"]
        if cursor is None:
            break
    with Store(db) as store:
        expected = [e.id for e in store.events()]
    assert seen == expected and len(set(seen)) == len(seen) > 7


def test_filters_and_csv(client: TestClient) -> None:
    asked = client.get("/api/events", params={"actor": "VEN", "cameo": "023"}).json()
    assert {(e["source"]["code"], e["cameo"], e["target"]["code"]) for e in asked["events"]} \
        == {("VEN", "0232", "RUS"), ("VEN", "0231", "CHN")}
    both = client.get("/api/events", params=[("mode", "asserted"), ("mode", "reported"),
                                             ("dyad", "USA-VEN")]).json()
    assert both["events"] and all(e["mode"] in ("asserted", "reported")
                                  for e in both["events"])
    table = client.get("/api/events", params={"format": "csv", "actor": "VEN", "limit": 3})
    assert table.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert list(rows[0]) == list(FLAT_COLUMNS) and len(rows) == 3
    assert "X-Next-Cursor" in table.headers


def test_one_event_with_its_reports(client: TestClient) -> None:
    (first,) = client.get("/api/events", params={"cameo": "0232"}).json()["events"]
    found = client.get(f"/api/events/{first['event_id']}").json()
    assert found["event"]["sentence"] == "Venezuela asked Russia for military aid on Monday."
    (mention,) = found["mentions"]
    assert mention["url"] == "https://example.org/w7" and mention["sentence"]
    missing = client.get("/api/events/nope")
    assert missing.status_code == 404 and "no event 'nope'" in missing.json()["error"]


def test_the_analyses(client: TestClient) -> None:
    profile = client.get("/api/actors/VEN", params={"since": "2026-02-01"}).json()
    assert {"RUS", "CHN", "IRN", "USA"} <= {p["partner"] for p in profile["partners"]}
    series = client.get("/api/dyads/VEN/USA", params={"freq": "month"}).json()["series"]
    assert [s["period"][:7] for s in series] == ["2026-01", "2026-02", "2026-03"]
    net = client.get("/api/network", params={"since": "2026-01-01", "freq": "month"}).json()
    assert {b["name"] for b in net["blocs"]} == {"USA", "RUS"}
    moved = client.get("/api/shifts", params={"since": "2026-02-01", "actor": "VEN",
                                              "min_events": 1}).json()["shifts"]
    assert any(s["a"] == "USA" and s["b"] == "VEN" and s["direction"] == "cooler"
               and s["drivers"] for s in moved)
    asked = client.get("/api/appeals", params={"kind": "both"}).json()["rows"]
    assert {r["cameo"] for r in asked} == {"0232", "0231", "072"}
    brief = client.get("/api/brief", params={"actor": "VEN", "since": "2026-02-01"}).json()
    assert brief["claims"] and brief["references"]
    page = client.get("/api/brief", params={"actor": "VEN", "format": "html"})
    assert page.headers["content-type"].startswith("text/html") and "<article" in page.text
    assert isinstance(client.get("/api/alerts").json()["alerts"], list)


def test_errors_are_json_with_a_status(client: TestClient) -> None:
    bad_date = client.get("/api/events", params={"since": "March"})
    assert bad_date.status_code == 400 and "--since must be a date" in bad_date.json()["error"]
    bad_cursor = client.get("/api/events", params={"cursor": "xyz"})
    assert bad_cursor.status_code == 400 and "cursor" in bad_cursor.json()["error"]
    too_many = client.get("/api/events", params={"limit": 100_000})
    assert too_many.status_code == 422
    nobody = client.get("/api/actors/XYZ")
    assert nobody.status_code == 404 and "no events with XYZ" in nobody.json()["error"]
    no_dyad = client.get("/api/dyads/VEN/GBR")
    assert no_dyad.status_code == 404


def test_every_answer_is_guarded(client: TestClient) -> None:
    answer = client.get("/api/events", params={"limit": 1})
    csp = answer.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert answer.headers["x-content-type-options"] == "nosniff"
    big = client.post("/api/events", content=b"x" * (MAX_BODY + 1))
    assert big.status_code == 413
    assert client.get("/openapi.json").json()["paths"]["/api/events"]
