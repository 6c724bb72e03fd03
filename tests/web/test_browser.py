"""The dashboard in a real browser: Playwright driving Debian's Chromium over a real
uvicorn server on the test store. Each page loads and draws its charts, a filter is
applied, an event is followed to the article that reports it, nothing breaks the CSP,
and screenshots are saved (ALLEGIANCE_SCREENSHOTS=DIR keeps them) to look at."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from allegiance.web.app import create_app

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(db: str) -> Iterator[str]:
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="error")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert running.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = "browser tests need Debian's chromium (apt-get install chromium)"
        if os.environ.get("ALLEGIANCE_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM),
                                     args=["--headless", "--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def _shots(tmp_path: Path) -> Path:
    keep = os.environ.get("ALLEGIANCE_SCREENSHOTS")
    folder = Path(keep) if keep else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_every_page_loads_and_draws(server: str, browser: object, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    shots = _shots(tmp_path)
    for path, heading in [("/", "Overview"), ("/events", "Events"),
                          ("/network?since=2026-01-01", "Network"),
                          ("/actors/VEN", "VEN"), ("/dyads/VEN/USA", "VEN and USA"),
                          ("/brief?actor=VEN", "Brief on VEN")]:
        answer = page.goto(server + path)
        assert answer is not None and answer.status == 200, path
        assert heading in page.inner_text("h1"), path
        for image in page.query_selector_all("img.chart"):
            width = image.evaluate("i => i.complete ? i.naturalWidth : 0")
            assert width > 300, f"{path}: a chart did not draw"
        name = path.strip("/").replace("/", "_").split("?")[0] or "overview"
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert problems == [], problems


def test_filter_then_follow_an_event_to_its_article(server: str, browser: object,
                                                    tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(server + "/events")
    page.fill("input[name=actor]", "VEN")
    page.fill("input[name=cameo]", "0232")
    page.click("button[type=submit]")
    page.wait_for_url("**/events?**")
    rows = page.query_selector_all("tbody tr")
    assert len(rows) == 1 and "asked" in rows[0].inner_text()
    assert page.query_selector("tbody mark.trigger") is not None
    page.click("tbody a")
    page.wait_for_url("**/events/*")
    link = page.query_selector("main ul a")
    assert link is not None and link.get_attribute("href") == "https://example.org/w7"
    page.screenshot(path=str(_shots(tmp_path) / "event_phone.png"), full_page=True)
    # The keyboard reaches the filter form and the links.
    page.goto(server + "/events")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.tagName")
    assert focused in ("A", "INPUT")


def test_the_network_graph_links_each_actor(server: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server + "/network?since=2026-01-01")
    nodes = page.query_selector_all("svg.network a.node")
    assert len(nodes) == 8
    assert "events" in (page.text_content("svg.network a.node title") or "")
    assert len(page.query_selector_all("svg.network line")) >= 10
    page.click("svg.network a.node[href='/actors/RUS']")
    page.wait_for_url("**/actors/RUS")
    assert "RUS" in page.inner_text("h1")


def test_the_api_docs_work_offline(server: str, browser: object, tmp_path: Path) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    assert "allegiance" in page.inner_text(".swagger-ui .info .title")
    assert "/api/events" in page.inner_text("#swagger-ui")
    assert all(u.startswith(server) or u.startswith("data:") for u in asked), asked
    assert problems == [], problems
    page.screenshot(path=str(_shots(tmp_path) / "docs.png"))
