"""The dashboard's first page: its chart drawn inline from the overview's numbers, its
JSON twin saying the same, and the cache that keeps a reload cheap."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from allegiance.analysis.overview import overview
from allegiance.store.store import Store
from allegiance.web.app import create_app
from allegiance.web.drawings import timeline_drawing
from allegiance.web.overview import OverviewCache

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        yield c


def test_the_timeline_drawing_stacks_each_period_to_scale() -> None:
    table = pd.DataFrame(
        {"verbal_coop": [3, 0, 10], "material_coop": [1, 0, 0],
         "verbal_conflict": [0, 0, 4], "material_conflict": [2, 0, 6]},
        index=pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-19"]))
    chart = timeline_drawing(table, height=260)
    bars = chart["periods"]
    assert [len(p["parts"]) for p in bars] == [3, 0, 3]  # zero counts draw nothing
    top = chart["ticks"][-1]
    unit = (chart["base"] - top["y"]) / int(top["value"].replace(",", ""))
    for period, row in zip(bars, table.itertuples(index=False), strict=True):
        height = sum(part["h"] for part in period["parts"])
        assert height == pytest.approx(sum(row) * unit, abs=0.3)
    assert "20 events (10 verbal cooperation, 0 material cooperation, 4 verbal conflict, " \
           "6 material conflict)" in bars[2]["title"]
    assert [t["value"] for t in chart["ticks"]] == ["0", "5", "10", "15", "20"]


def test_the_first_page_draws_what_its_json_says(client: TestClient, db: str) -> None:
    page = client.get("/")
    assert page.status_code == 200
    data = client.get("/index.json").json()
    with Store(db, create=False) as store:
        assert data["events"] == overview(store).total
    assert f"{data['events']:,} events" in page.text
    periods = re.findall(r'<g class="period" tabindex="0"><title>([^<]+)</title>', page.text)
    assert len(periods) == len(data["timeline"]) > 0
    counted = sum(int(re.search(r": ([\d,]+) events", p)[1].replace(",", ""))  # type: ignore[index]
                  for p in periods)
    assert counted == data["events"]
    for dyad in data["dyads"][:3]:
        assert f'href="/dyads/{dyad["a"]}/{dyad["b"]}"' in page.text
    assert "<script" not in page.text


def test_the_cache_computes_once_per_ttl_and_never_while_asked(db: str) -> None:
    now = [0.0]
    cache = OverviewCache(ttl=60, clock=lambda: now[0])
    with Store(db, create=False) as store:
        first = cache.get(store)
        assert cache.get(store) is first  # within the TTL: the same result
        now[0] = 61
        assert cache.get(store) is first  # stale: answered at once, computed meanwhile
        cache.wait()
        second = cache.get(store)
        assert second is not first and second.total == first.total
        cache.clear()
        assert cache.get(store) is not second


def test_a_refresh_begun_before_a_clear_is_dropped(db: str, monkeypatch: pytest.MonkeyPatch
                                                   ) -> None:
    """An ingest through the API clears the cache; a background refresh that started on
    the old data must not put its result back afterwards."""
    import threading

    import allegiance.web.overview as cached

    now = [0.0]
    cache = OverviewCache(ttl=60, clock=lambda: now[0])
    with Store(db, create=False) as store:
        old = cache.get(store)
        started, release = threading.Event(), threading.Event()
        real = cached.overview

        def slow(s: Store) -> object:
            found = real(s)
            started.set()
            release.wait(10)
            return found

        monkeypatch.setattr(cached, "overview", slow)
        now[0] = 61
        assert cache.get(store) is old  # stale: a refresh starts in the background
        started.wait(10)
        monkeypatch.setattr(cached, "overview", real)
        cache.clear()  # an ingest: the next request computes afresh
        fresh = cache.get(store)
        release.set()
        cache.wait()
        assert cache.get(store) is fresh
