"""Pages and feeds by URL, served by a real HTTP server on 127.0.0.1; and --watch."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from allegiance.errors import ConfigError, InputError, StoreError
from allegiance.ingest.fetch import FakeFetcher, FetchConfig, FetchError, HttpFetcher, Response
from allegiance.ingest.watch import parse_every, read_feed_list, watch
from allegiance.ingest.web import FeedEntry, feed_entries, is_feed, iter_url, page_article
from allegiance.records import RawArticle, SourceItem
from helpers.httpserver import HTML, LocalServer, Route, serve
from helpers.pages import (
    ARTICLE,
    ATOM,
    NAV_ONLY,
    PAGES,
    RSS,
    atom,
    rss,
)


@pytest.fixture
def site() -> Iterator[LocalServer]:
    """A small news site: article pages, an RSS feed and an Atom feed."""
    with serve(PAGES) as server:
        server.routes["/feed.xml"] = Route(rss(server.base), headers=RSS)
        server.routes["/atom.xml"] = Route(atom(server.base), headers=ATOM)
        yield server


@pytest.fixture
def http() -> Iterator[HttpFetcher]:
    with HttpFetcher(FetchConfig(timeout=2.0, retries=0, per_host_delay=0.0)) as fetcher:
        yield fetcher


def articles(items: list[SourceItem]) -> list[RawArticle]:
    return [item for item in items if isinstance(item, RawArticle)]


def errors(items: list[SourceItem]) -> list[InputError]:
    return [item for item in items if isinstance(item, InputError)]


# Pages


def test_a_news_page_becomes_one_article_with_its_metadata(
    site: LocalServer, http: HttpFetcher
) -> None:
    url = site.url("/world/border-talks")
    [article] = list(iter_url(url, http))
    assert isinstance(article, RawArticle)
    assert article.id == url and article.where == url
    assert article.title == "Border talks resume as Armenia and Azerbaijan trade accusations"
    assert article.date == "2024-03-05"
    assert article.url == "https://news.example.org/world/2024/03/05/border-talks"
    assert article.publisher == "Caucasus Ledger"
    assert article.language == "en"
    assert article.feed is None
    assert "negotiators met in Tbilisi on Tuesday" in article.text
    assert "framework document." in article.text
    for chrome in ("Subscribe", "Privacy", "All rights reserved"):
        assert chrome not in article.text
    assert article.to_record()["url"] == article.url


def test_a_page_without_canonical_or_site_name_falls_back_to_the_response(
    site: LocalServer, http: HttpFetcher
) -> None:
    url = site.url("/world/paris-berlin")
    article = page_article(http.fetch(url), where=url)
    assert article.url == url
    assert article.publisher == "127.0.0.1"
    assert article.date == "2024-03-06"
    assert article.language == "fr"
    assert article.text.endswith("entre les deux gouvernements.")


def test_a_page_without_article_text_is_an_input_error(
    site: LocalServer, http: HttpFetcher
) -> None:
    url = site.url("/nav")
    [error] = list(iter_url(url, http))
    assert isinstance(error, InputError)
    assert error.where == url
    assert "no article text" in str(error)


@pytest.mark.parametrize(("path", "kind"), [("/report.pdf", "application/pdf"),
                                            ("/photo.jpg", "image/jpeg")])
def test_a_non_html_resource_is_refused(
    site: LocalServer, http: HttpFetcher, path: str, kind: str
) -> None:
    [error] = list(iter_url(site.url(path), http))
    assert isinstance(error, InputError)
    assert str(error) == f"{site.url(path)}: not an HTML page (content type {kind})"


def test_an_http_error_is_yielded_not_raised(site: LocalServer, http: HttpFetcher) -> None:
    [error] = list(iter_url(site.url("/nowhere"), http))
    assert isinstance(error, FetchError)
    assert str(error) == f"{site.url('/nowhere')}: HTTP 404 Not Found"


def test_a_plain_text_page_is_taken_as_it_is() -> None:
    text = "Officials in Quito said the talks with Lima would resume next week."
    response = Response("http://x.org/a.txt", 200, {"content-type": "text/plain"},
                        text.encode())
    article = page_article(response, where="http://x.org/a.txt")
    assert article.text == text
    assert article.publisher == "x.org"


# Feeds


def test_is_feed_by_content_type_or_by_the_root_element() -> None:
    def response(body: bytes, kind: str) -> Response:
        return Response("http://x/", 200, {"content-type": kind}, body)

    assert is_feed(response(b"anything", "application/atom+xml"))
    assert is_feed(response(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- hi -->\n<rss>", "text/html"))
    assert is_feed(response(b"  <feed xmlns='http://www.w3.org/2005/Atom'>", ""))
    assert is_feed(response(b"<rdf:RDF xmlns:rdf='x'>", "text/plain"))
    assert not is_feed(response(ARTICLE.encode(), "text/html"))
    assert not is_feed(response(b"<html><body>rss feed</body></html>", ""))


def test_feed_entries_of_an_rss_feed(site: LocalServer, http: HttpFetcher) -> None:
    url = site.url("/feed.xml")
    entries = feed_entries(http.fetch(url), where=url)
    assert [e.url for e in entries] == [site.url(p) for p in (
        "/world/border-talks", "/world/paris-berlin", "/world/removed", "/world/moyale")]
    first = entries[0]
    assert first == FeedEntry(
        url=site.url("/world/border-talks"),
        title="Border talks resume as Armenia and Azerbaijan trade accusations",
        date="2024-03-05",
        summary="Negotiators met in Tbilisi & traded accusations.",
        feed_title="Caucasus Ledger - World",
    )
    assert entries[1].summary is None


def test_a_feed_ingests_every_entry_and_reports_the_broken_one(
    site: LocalServer, http: HttpFetcher
) -> None:
    feed = site.url("/feed.xml")
    items = list(iter_url(feed, http))
    got = articles(items)
    assert [a.id for a in got] == [site.url(p) for p in (
        "/world/border-talks", "/world/paris-berlin", "/world/moyale")]
    assert all(a.feed == feed for a in got)
    [missing] = errors(items)
    assert str(missing) == f"{site.url('/world/removed')}: HTTP 404 Not Found"
    # The bare page has no title or date of its own: the feed entry's are used.
    moyale = got[2]
    assert moyale.title == "Kenya and Ethiopia reopen the Moyale crossing"
    assert moyale.date == "2024-03-07"
    assert moyale.text.startswith("The foreign ministers of Kenya and Ethiopia")
    # The page's own metadata wins over the feed's.
    assert got[0].date == "2024-03-05" and got[0].publisher == "Caucasus Ledger"


def test_an_atom_feed(site: LocalServer, http: HttpFetcher) -> None:
    feed = site.url("/atom.xml")
    entries = feed_entries(http.fetch(feed), where=feed)
    assert [(e.title, e.date, e.summary) for e in entries] == [
        ("Kenya and Ethiopia reopen the Moyale crossing", "2024-03-07", "Trucks can cross again."),
        ("Border talks resume", "2024-03-05", None),  # published, not updated
    ]
    assert entries[0].feed_title == "Ledger Atom"
    got = articles(list(iter_url(feed, http)))
    assert [a.id for a in got] == [site.url("/world/moyale"), site.url("/world/border-talks")]


def test_known_links_are_skipped_without_being_fetched(
    site: LocalServer, http: HttpFetcher
) -> None:
    known = {site.url("/world/border-talks"), site.url("/world/removed")}
    items = list(iter_url(site.url("/feed.xml"), http, is_known=known.__contains__))
    assert [a.id for a in articles(items)] == [site.url("/world/paris-berlin"),
                                               site.url("/world/moyale")]
    assert errors(items) == []
    assert site.hits["/world/border-talks"] == 0 and site.hits["/world/removed"] == 0


def test_a_feed_served_as_html_is_recognised(site: LocalServer, http: HttpFetcher) -> None:
    site.routes["/feed"] = Route(rss(site.base), headers={"Content-Type": HTML})
    assert len(articles(list(iter_url(site.url("/feed"), http)))) == 3


def test_a_truncated_feed_is_reported_with_the_parser_reason(
    site: LocalServer, http: HttpFetcher
) -> None:
    body = rss(site.base)
    site.routes["/cut.xml"] = Route(body[: body.index("<item>") + 20], headers=RSS)
    [error] = list(iter_url(site.url("/cut.xml"), http))
    assert isinstance(error, InputError)
    assert error.where == site.url("/cut.xml")
    assert "broken feed" in str(error) and "no element found" in str(error)


def test_a_feed_with_bad_bytes_but_good_entries_still_yields_them(
    site: LocalServer, http: HttpFetcher
) -> None:
    body = rss(site.base)
    cut = body.index("<item>", body.index("paris-berlin"))  # two whole entries, then garbage
    site.routes["/half.xml"] = Route(body[:cut] + "<item><title>Half</title><li", headers=RSS)
    items = list(iter_url(site.url("/half.xml"), http))
    assert [a.id for a in articles(items)] == [site.url("/world/border-talks"),
                                               site.url("/world/paris-berlin")]
    assert [str(e) for e in errors(items)] == [
        f"{site.url('/half.xml')}: feed entry 3 (Half) has no link"]


def test_something_that_is_not_a_feed_is_reported() -> None:
    response = Response("http://x/f", 200, {"content-type": "application/xml"},
                        b"<?xml version='1.0'?><sitemap><loc>http://x/</loc></sitemap>")
    with pytest.raises(InputError, match="not an RSS or Atom feed") as caught:
        feed_entries(response, where="http://x/f")
    assert caught.value.where == "http://x/f"


def test_an_empty_feed_gives_no_entries() -> None:
    response = Response("http://x/f", 200, {"content-type": "application/rss+xml"},
                        b"<rss version='2.0'><channel><title>Quiet</title></channel></rss>")
    assert feed_entries(response, where="http://x/f") == []


def test_entry_summary_stands_in_for_a_page_without_text() -> None:
    summary = ("The defence ministers of Peru and Chile agreed on Friday to hold joint naval "
               "exercises off the coast next year, the Peruvian government said.")
    feed = f"""<rss version="2.0"><channel><title>F</title>
    <item><title>Naval drills</title><link>http://x/a</link><description>{summary}</description>
    </item><item><title>Teaser</title><link>http://x/b</link><description>Read more
    </description></item></channel></rss>"""
    html = {"content-type": "text/html"}
    fake = FakeFetcher({
        "http://x/feed": Response("http://x/feed", 200, {"content-type": "text/xml"},
                                  feed.encode()),
        "http://x/a": Response("http://x/a", 200, html, NAV_ONLY.encode()),
        "http://x/b": Response("http://x/b", 200, html, NAV_ONLY.encode()),
    })
    first, second = iter_url("http://x/feed", fake)
    assert isinstance(first, RawArticle)
    assert first.text == summary and first.title == "Naval drills" and first.feed == "http://x/feed"
    assert isinstance(second, InputError) and "no article text" in str(second)
    assert fake.requests == ["http://x/feed", "http://x/a", "http://x/b"]


def test_an_entry_without_a_link_is_reported() -> None:
    feed = b"""<rss version="2.0"><channel><title>F</title>
    <item><title>Orphan</title><description>No link here</description></item>
    </channel></rss>"""
    fake = FakeFetcher({"http://x/feed": Response("http://x/feed", 200,
                                                  {"content-type": "application/rss+xml"}, feed)})
    [error] = list(iter_url("http://x/feed", fake))
    assert str(error) == "http://x/feed: feed entry 1 (Orphan) has no link"


# Watching feeds


@pytest.mark.parametrize(("text", "seconds"), [
    ("15m", 900.0), ("30s", 30.0), ("2h", 7200.0), ("1d", 86400.0), ("90", 90.0),
    (" 1.5H ", 5400.0),
])
def test_parse_every(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds


def test_parse_every_refuses_nonsense_and_hammering() -> None:
    with pytest.raises(ConfigError, match=r"--every must look like 15m, 1h or 30s; got 'soon'"):
        parse_every("soon")
    with pytest.raises(ConfigError, match="at least 10s"):
        parse_every("5s")
    with pytest.raises(ConfigError, match="must look like"):
        parse_every("-5m")


def test_read_feed_list(tmp_path: Path) -> None:
    path = tmp_path / "FEEDS.txt"
    path.write_text("# world news\n\nhttps://a.example/feed.xml   # daily\n"
                    "http://b.example/rss#top\nhttps://a.example/feed.xml\n", encoding="utf-8")
    assert read_feed_list(path) == ["https://a.example/feed.xml", "http://b.example/rss#top"]
    path.write_text("https://a.example/feed.xml\nftp://c.example/feed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"FEEDS.txt:2: not an http\(s\) feed URL"):
        read_feed_list(path)
    path.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="lists no feed URLs"):
        read_feed_list(path)
    with pytest.raises(ConfigError, match="cannot read"):
        read_feed_list(tmp_path / "missing.txt")


def test_watch_keeps_the_beat_and_survives_a_failed_round(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [0.0]
    waits: list[float] = []
    calls: list[list[str]] = []

    def run_once(feeds: list[str]) -> None:
        calls.append(feeds)
        now[0] += 40.0  # each round takes 40 s
        if len(calls) == 2:
            raise StoreError("database is locked")

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    with caplog.at_level(logging.ERROR, logger="allegiance.ingest.watch"):
        done = watch(["http://x/feed"], 900.0, run_once, rounds=3, sleep=sleep,
                     clock=lambda: now[0])
    assert done == 3 and len(calls) == 3
    assert waits == [860.0, 860.0]  # no wait after the last round
    assert "watch round 2 failed: database is locked" in caplog.text


def test_watch_stops_on_keyboard_interrupt_or_the_stop_event() -> None:
    def interrupted(feeds: list[str]) -> None:
        raise KeyboardInterrupt

    assert watch(["http://x/feed"], 60.0, interrupted, sleep=lambda s: None) == 1

    stop = threading.Event()
    timer = threading.Timer(0.05, stop.set)  # as a signal handler or another thread would
    timer.start()
    started = time.monotonic()
    assert watch(["http://x/feed"], 3600.0, lambda feeds: None, stop=stop) == 1
    assert time.monotonic() - started < 2.0  # woken at once, not after an hour
    timer.join()


def test_watch_ingests_only_what_is_new(site: LocalServer, http: HttpFetcher) -> None:
    """Two rounds over a real feed: the second round sees one new entry and only fetches it."""
    feed = site.url("/feed.xml")
    site.routes["/feed.xml"] = [Route(rss(site.base).replace(
        "<item>\n  <title>Kenya", "<!--<item>\n  <title>Kenya").replace(
        "/world/moyale</link>\n  <pubDate>Thu, 07 Mar 2024 09:15:00 GMT</pubDate>\n</item>",
        "/world/moyale</link>\n  <pubDate>Thu, 07 Mar 2024 09:15:00 GMT</pubDate>\n</item>-->"),
        headers=RSS), Route(rss(site.base), headers=RSS)]
    store: dict[str, RawArticle] = {}
    per_round: list[list[str]] = []

    def run_once(feeds: list[str]) -> None:
        new = [item for url in feeds for item in iter_url(url, http, is_known=store.__contains__)
               if isinstance(item, RawArticle)]
        store.update((a.id, a) for a in new)
        per_round.append([a.id for a in new])

    watch([feed], 60.0, run_once, rounds=2, sleep=lambda s: None)
    assert per_round == [[site.url("/world/border-talks"), site.url("/world/paris-berlin")],
                         [site.url("/world/moyale")]]
    assert site.hits["/world/border-talks"] == 1 and site.hits["/world/moyale"] == 1
    assert site.hits["/world/removed"] == 2  # a failing entry is tried again next round
