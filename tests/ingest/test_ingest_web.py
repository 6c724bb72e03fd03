"""Ingesting pages and feeds from a real local HTTP server into a real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from allegiance.cli import main
from allegiance.errors import ConfigError
from allegiance.ingest.api import IngestOptions, ingest
from allegiance.ingest.fetch import FetchConfig, HttpFetcher
from allegiance.ingest.watch import watch
from allegiance.store.store import Store
from helpers.httpserver import LocalServer, Route, serve
from helpers.pages import ARTICLE, PAGES, RSS, rss

pytestmark = pytest.mark.slow
OPTIONS = IngestOptions(processes=1, batch=4)


@pytest.fixture
def site() -> Iterator[LocalServer]:
    with serve({**PAGES, "/feed.xml": Route(rss(""), headers=RSS)}) as server:
        server.routes["/feed.xml"] = Route(rss(server.base), headers=RSS)
        yield server


@pytest.fixture
def http() -> Iterator[HttpFetcher]:
    with HttpFetcher(FetchConfig(timeout=5, retries=0, per_host_delay=0)) as fetcher:
        yield fetcher


def test_pages_and_feeds_are_ingested_once(site: LocalServer, http: HttpFetcher,
                                           store_url: str) -> None:
    feed = site.url("/feed.xml")
    with Store(store_url) as store:
        first = ingest([feed, site.url("/nowhere")], store, options=OPTIONS, fetcher=http)
        failed = dict(first.failed)
        assert first.added == 2  # border talks and Moyale
        assert "English" in failed[site.url("/world/paris-berlin")]  # a French page
        assert "HTTP 404" in failed[site.url("/world/removed")]
        assert "HTTP 404" in failed[site.url("/nowhere")]
        stored = {e.url for e in store.events()}
        assert "https://news.example.org/world/2024/03/05/border-talks" in stored
        hits = dict(site.hits)
        again = ingest([feed, site.url("/world/border-talks")], store, options=OPTIONS,
                       fetcher=http)
        assert again.added == 0 and again.read == 2  # the failed entries, tried again
        assert site.hits["/world/border-talks"] == hits["/world/border-talks"]
        assert site.hits["/world/moyale"] == hits["/world/moyale"]
        assert site.hits["/feed.xml"] == hits["/feed.xml"] + 1


def test_watch_stores_only_new_entries(site: LocalServer, http: HttpFetcher,
                                       store_url: str) -> None:
    feed = site.url("/feed.xml")
    full = rss(site.base)
    start = full.index("<item>\n  <title>Kenya")
    end = full.index("</item>", start) + len("</item>")
    site.routes["/feed.xml"] = [Route(full[:start] + full[end:], headers=RSS),
                                Route(full, headers=RSS)]
    added: list[int] = []
    with Store(store_url) as store:
        def once(urls: list[str]) -> None:
            added.append(ingest(urls, store, options=OPTIONS, fetcher=http).added)

        assert watch([feed], 60.0, once, rounds=2, sleep=lambda s: None) == 2
        assert store.stats().articles == 2
    assert added == [1, 1]  # border talks, then the new Moyale entry
    assert site.hits["/world/border-talks"] == 1


def test_a_page_that_repeats_a_stored_text_is_a_duplicate(http: HttpFetcher,
                                                          store_url: str) -> None:
    with serve({"/a": Route(ARTICLE), "/b": Route(ARTICLE.replace(
            '<link rel="canonical" href="https://news.example.org/world/2024/03/05/'
            'border-talks">', ""))}) as server, Store(store_url) as store:
        summary = ingest([server.url("/a"), server.url("/b")], store, options=OPTIONS,
                         fetcher=http)
        assert (summary.added, summary.duplicates) == (1, 1)


def test_the_watch_command(site: LocalServer, store_url: str, tmp_path: Path) -> None:
    feeds = tmp_path / "FEEDS.txt"
    feeds.write_text(f"# world news\n{site.url('/feed.xml')}\n")
    result = CliRunner().invoke(main, ["ingest", "--watch", str(feeds), "--every", "10s",
                                       "--rounds", "1", "--db", store_url, "--host-delay", "0",
                                       "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "watching 1 feeds every 10s" in result.stderr
    assert "added and coded          2" in result.stdout
    with Store(store_url) as store:
        assert store.stats().articles == 2
    bad = CliRunner().invoke(main, ["ingest", "--watch", str(feeds), "--every", "soon",
                                    "--db", store_url])
    assert isinstance(bad.exception, ConfigError) and "--every" in str(bad.exception)
