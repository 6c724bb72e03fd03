"""Web pages and RSS/Atom feeds by URL, as :class:`~allegiance.records.RawArticle`.

:func:`iter_url` is the entry point: it fetches a URL through a
:class:`~allegiance.ingest.fetch.Fetcher`; a page becomes one article (main text,
title, date, canonical URL and publisher, by trafilatura), a feed becomes one
article per entry not already known (each entry's page is fetched in turn).
Failures are yielded as :class:`~allegiance.errors.InputError` naming the URL and
the reason, never raised, so one bad page or feed does not stop the batch.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from allegiance.errors import InputError
from allegiance.formats.articles import MIN_ARTICLE_WORDS
from allegiance.ingest.fetch import Fetcher, Response
from allegiance.records import RawArticle, SourceItem

__all__ = ["FeedEntry", "feed_entries", "is_feed", "iter_url", "page_article"]

logger = logging.getLogger(__name__)

# Media types trafilatura can read. An empty type is tried too: many small sites
# send no Content-Type, and the "no article text" check still catches junk.
_PAGE_TYPES = frozenset({"", "text/html", "application/xhtml+xml", "text/plain"})
_FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/xml", "text/xml", "application/x-rss+xml",
})
# After an optional BOM, XML declaration, comments and doctype, a feed's root element.
_FEED_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*"
    rb"<(?:rss|feed|rdf:RDF)\b",
    re.DOTALL | re.IGNORECASE,
)
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of an RSS or Atom feed. ``url`` is None when the entry has no link."""

    url: str | None
    title: str | None = None
    date: str | None = None
    summary: str | None = None
    feed_title: str | None = None


def _iso_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` from an ISO date or datetime string, else None."""
    if not value:
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        return None


def _publisher_from_host(url: str) -> str | None:
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def _publisher(doc: Any, url: str) -> str | None:
    """og:site_name (or similar) if the page names its site, else the host name."""
    sitename = getattr(doc, "sitename", None)
    netloc = urlsplit(url).netloc.lower().removeprefix("www.")
    # trafilatura falls back to the URL's netloc, port included; ours drops the port.
    if not sitename or sitename.lower() == netloc:
        return _publisher_from_host(url)
    return str(sitename)


def _check_page_type(response: Response, where: str) -> None:
    """Refuse PDFs, images and other binaries before trafilatura sees them."""
    kind = response.content_type
    if kind not in _PAGE_TYPES or b"\x00" in response.body[:8192]:
        shown = kind or "unknown, binary body"
        raise InputError(f"not an HTML page (content type {shown})", where=where)


def _page_source(response: Response) -> str | bytes:
    # Without a charset header, hand trafilatura the bytes: it reads <meta charset>.
    return response.text() if response.charset else response.body


def _extract(response: Response, where: str) -> Any:
    """trafilatura's document (text and metadata), or raise InputError for no text."""
    import trafilatura  # imported lazily: slow to import, and only HTML needs it

    doc = trafilatura.bare_extraction(
        _page_source(response), with_metadata=True, url=response.url
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    # Menus and cookie banners survive extraction as a few words: not an article.
    if len(text.split()) < MIN_ARTICLE_WORDS:
        raise InputError(
            "no article text found in the page (navigation, empty or script-only page?)",
            where=where,
        )
    return doc


def _canonical_url(doc: Any, response: Response) -> str:
    """The page's canonical URL (link rel=canonical, og:url) if absolute http(s)."""
    url = getattr(doc, "url", None)
    if isinstance(url, str) and urlsplit(url).scheme in ("http", "https"):
        return url
    return response.url


def _language(response: Response) -> str | None:
    """The primary language subtag of ``<html lang=...>``, lower-case, if declared."""
    match = _HTML_LANG.search(response.body[:4096].decode("utf-8", errors="replace"))
    return match.group(1).lower() if match else None


def page_article(
    response: Response, *, where: str, article_id: str | None = None
) -> RawArticle:
    """One fetched page as a RawArticle, or raise InputError (not HTML, no text).

    ``id`` is ``article_id`` (the URL as asked for, so a store can recognise it next
    time) or else the final URL; ``url`` is the canonical URL; ``publisher`` is the
    site name (og:site_name) or else the host name.
    """
    _check_page_type(response, where)
    if response.content_type == "text/plain":
        text = response.text().strip()
        if len(text.split()) < MIN_ARTICLE_WORDS:
            raise InputError("no article text found (the text file is empty)", where=where)
        return RawArticle(where=where, id=article_id or response.url, text=text,
                          url=response.url, publisher=_publisher_from_host(response.url))
    doc = _extract(response, where)
    url = _canonical_url(doc, response)
    return RawArticle(
        where=where,
        id=article_id or response.url,
        text=doc.text.strip(),
        title=getattr(doc, "title", None) or None,
        url=url,
        publisher=_publisher(doc, url),
        date=_iso_date(getattr(doc, "date", None)),
        language=_language(response),
    )


def is_feed(response: Response) -> bool:
    """True for RSS/Atom/XML content types, or a body whose root is rss, feed or rdf:RDF."""
    if response.content_type in _FEED_TYPES:
        return True
    return _FEED_START.match(response.body[:2048]) is not None


_BLOCK_TAGS = frozenset({"p", "br", "div", "li", "tr", "td", "h1", "h2", "h3", "h4", "h5",
                         "h6", "blockquote", "section", "article", "ul", "ol", "table"})


class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment (feed summaries are HTML), entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    # Block tags separate words ("</p><p>"); inline tags may sit inside one ("<b>U</b>N").
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.handle_starttag(tag, [])


def _plain_text(fragment: str | None) -> str | None:
    if not fragment:
        return None
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    text = " ".join("".join(parser.parts).split())
    return text or None


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if isinstance(parsed, time.struct_time):
            return time.strftime("%Y-%m-%d", parsed)
    return None


def _entry_link(entry: Any, base: str) -> str | None:
    link = entry.get("link")
    # A truncated or sloppy feed can leave a relative link: resolve it against the feed.
    return urljoin(base, link) if isinstance(link, str) and link.strip() else None


def _parse_feed(response: Response, where: str) -> Any:
    """feedparser's result, or raise InputError for a broken feed or a non-feed."""
    import feedparser  # imported lazily, like trafilatura

    headers = {"content-location": response.url}
    if "content-type" in response.headers:
        headers["content-type"] = response.headers["content-type"]
    # A file object, never raw bytes or str: given a string, feedparser tries to
    # open it as a URL or a local path, and a hostile body could name one.
    parsed = feedparser.parse(io.BytesIO(response.body), response_headers=headers)
    # A truncated feed can end in an entry fragment with no link: only entries with
    # a link show that something readable came through.
    if any(entry.get("link") for entry in parsed.entries):
        if parsed.get("bozo"):  # a few bad bytes, but good entries are still useful
            logger.warning("%s: feed is partly broken (%s); reading its %d entries",
                           where, parsed.get("bozo_exception"), len(parsed.entries))
        return parsed
    if parsed.get("bozo"):
        reason = parsed.get("bozo_exception") or "unknown error"
        raise InputError(f"broken feed, no entries could be read ({reason})", where=where)
    if not parsed.get("version"):
        raise InputError("not an RSS or Atom feed (no feed root element)", where=where)
    return parsed


def feed_entries(response: Response, *, where: str) -> list[FeedEntry]:
    """The entries of an RSS or Atom feed, or raise InputError naming the feed."""
    parsed = _parse_feed(response, where)
    feed_title = parsed.feed.get("title") or None
    return [
        FeedEntry(
            url=_entry_link(entry, response.url),
            title=entry.get("title") or None,
            date=_entry_date(entry),
            summary=_plain_text(entry.get("summary")),
            feed_title=feed_title,
        )
        for entry in parsed.entries
    ]


def _entry_article(entry: FeedEntry, link: str, fetcher: Fetcher, feed: str) -> RawArticle:
    """The article an entry links to, with the feed's title and date as fallbacks.

    When the page has no extractable text (a script-only page, a teaser behind a
    login) but the feed's summary is itself an article-sized text, the summary is
    used: some feeds carry the whole story in the summary. Errors propagate.
    """
    response = fetcher.fetch(link)
    try:
        article = page_article(response, where=link, article_id=link)
    except InputError:
        summary = entry.summary or ""
        if len(summary.split()) < MIN_ARTICLE_WORDS or not _is_html_like(response):
            raise
        article = RawArticle(where=link, id=link, text=summary, url=response.url,
                             publisher=_publisher_from_host(response.url))
    return dataclasses.replace(
        article,
        feed=feed,
        title=article.title or entry.title,
        date=article.date or entry.date,
    )


def _is_html_like(response: Response) -> bool:
    return response.content_type in _PAGE_TYPES


def _iter_feed(
    response: Response, url: str, fetcher: Fetcher, is_known: Callable[[str], bool]
) -> Iterator[SourceItem]:
    try:
        entries = feed_entries(response, where=url)
    except InputError as err:
        yield err
        return
    for number, entry in enumerate(entries, start=1):
        if entry.url is None:
            label = f" ({entry.title})" if entry.title else ""
            yield InputError(f"feed entry {number}{label} has no link", where=url)
            continue
        if is_known(entry.url):
            continue
        try:
            yield _entry_article(entry, entry.url, fetcher, url)
        except InputError as err:
            yield err


def iter_url(
    url: str, fetcher: Fetcher, *, is_known: Callable[[str], bool] = lambda u: False
) -> Iterator[SourceItem]:
    """Articles (or errors) from one URL: a page gives one, a feed one per new entry.

    A feed entry whose link ``is_known`` is skipped without being fetched: that is
    how a store ingests only what is new. ``is_known`` is not asked about ``url``
    itself; callers that want to skip a known page check it before calling.
    Every failure (fetch, broken feed, page without text) is yielded as an
    InputError whose ``where`` is the URL concerned, and the rest goes on.
    """
    try:
        response = fetcher.fetch(url)
    except InputError as err:
        yield err
        return
    if is_feed(response):
        yield from _iter_feed(response, url, fetcher, is_known)
        return
    try:
        yield page_article(response, where=url, article_id=url)
    except InputError as err:
        yield err
