"""Deciding, in input order, what each incoming article is: new, a duplicate, or a copy.

Checked against the store and against what this run has already seen (those
articles may still be waiting to be coded and written). The decisions depend only
on the input order and the stored rows, so a re-run after a crash decides the same.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from allegiance.ingest.items import RawArticle
from allegiance.store.dedupe import (
    NEAR_JACCARD,
    Fingerprint,
    canonical_url,
    fingerprint,
    jaccard,
    shingles,
)
from allegiance.store.store import Store
from allegiance.store.writer import article_id

__all__ = ["Copy", "Decision", "Deduper", "Duplicate", "New"]

RUN_MEMORY = 50_000  # near-duplicate candidates kept from this run


@dataclass(frozen=True, slots=True)
class New:
    fingerprint: Fingerprint
    url: str | None


@dataclass(frozen=True, slots=True)
class Duplicate:
    reason: str


@dataclass(frozen=True, slots=True)
class Copy:
    fingerprint: Fingerprint
    url: str | None
    original: str  # article id


Decision = New | Duplicate | Copy


class Deduper:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.urls: dict[str, str] = {}  # canonical URL -> where first seen
        self.hashes: dict[str, str] = {}
        self.bands: defaultdict[tuple[int, int], list[str]] = defaultdict(list)
        self.texts: dict[str, set[str]] = {}

    def decide(self, raw: RawArticle) -> Decision:
        url = canonical_url(raw.url) if raw.url else None
        if url and (url in self.urls or self.store.known(url=url)):
            return Duplicate(f"same URL as {self.urls.get(url, 'an article already stored')}")
        fp = fingerprint(raw.text)
        if fp.text_hash in self.hashes or self.store.known(text_hash=fp.text_hash):
            first = self.hashes.get(fp.text_hash, "an article already stored")
            return Duplicate(f"same text as {first}")
        if url:
            self.urls[url] = raw.where
        self.hashes[fp.text_hash] = raw.where
        original = self._near_in_run(fp, raw.text) or self.store.near_duplicate(fp, raw.text)
        if original is not None:
            return Copy(fp, url, original)
        self._remember(fp, raw.text)
        return New(fp, url)

    def _near_in_run(self, fp: Fingerprint, text: str) -> str | None:
        if fp.bands is None:
            return None
        candidates = sorted({aid for i, key in enumerate(fp.bands)
                             for aid in self.bands.get((i, key), ())})
        if not candidates:
            return None
        mine = shingles(text)
        for aid in candidates:
            if jaccard(mine, self.texts.get(aid, set())) >= NEAR_JACCARD:
                return aid
        return None

    def _remember(self, fp: Fingerprint, text: str) -> None:
        if fp.bands is None or len(self.texts) >= RUN_MEMORY:
            return
        aid = article_id(fp)
        for i, key in enumerate(fp.bands):
            self.bands[(i, key)].append(aid)
        self.texts[aid] = shingles(text)
