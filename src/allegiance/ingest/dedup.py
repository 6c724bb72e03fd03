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
    Fingerprint,
    best_original,
    canonical_url,
    fingerprint,
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
        return self.decide_many([raw])[0]

    def decide_many(self, raws: list[RawArticle]) -> list[Decision]:
        """Decisions for articles in order, with two store queries for the lot."""
        urls = [canonical_url(r.url) if r.url else None for r in raws]
        fps = [fingerprint(r.text) for r in raws]
        stored = self.store.known_among(urls=[u for u in urls if u],
                                        text_hashes=[f.text_hash for f in fps])
        keys = [k for f in fps for k in (f.bands or ())]
        candidates = self.store.near_candidates(keys)
        return [self._decide(raw, url, fp, stored, candidates)
                for raw, url, fp in zip(raws, urls, fps, strict=True)]

    def _decide(self, raw: RawArticle, url: str | None, fp: Fingerprint, stored: set[str],
                candidates: dict[int, list[tuple[str, set[str]]]]) -> Decision:
        if url and url in self.urls:
            return Duplicate(f"same URL as {self.urls[url]}")
        if fp.text_hash in self.hashes:
            return Duplicate(f"same text as {self.hashes[fp.text_hash]}")
        if (url and url in stored) or fp.text_hash in stored:
            return Duplicate("already stored (same URL or text)")
        if url:
            self.urls[url] = raw.where
        self.hashes[fp.text_hash] = raw.where
        original = self._near_in_run(fp, raw.text) or _near_stored(fp, raw.text, candidates)
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
        return best_original(text, {aid: self.texts.get(aid, set()) for aid in candidates})

    def _remember(self, fp: Fingerprint, text: str) -> None:
        if fp.bands is None or len(self.texts) >= RUN_MEMORY:
            return
        aid = article_id(fp)
        for i, key in enumerate(fp.bands):
            self.bands[(i, key)].append(aid)
        self.texts[aid] = shingles(text)


def _near_stored(fp: Fingerprint, text: str,
                 candidates: dict[int, list[tuple[str, set[str]]]]) -> str | None:
    pool = {aid: theirs for key in fp.bands or () for aid, theirs in candidates.get(key, ())}
    return best_original(text, pool)
