"""Deciding, in input order, what each incoming article is: new, a duplicate, or a copy.

Checked against the store and against what this run has already seen (those
articles may still be waiting to be coded and written). The decisions depend only
on the input order and the stored rows, so a re-run after a crash decides the same.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Protocol

from allegiance.records import RawArticle
from allegiance.store.dedupe import (
    Fingerprint,
    Shingles,
    best_original,
    canonical_url,
    fingerprint,
    shingles,
)
from allegiance.store.writer import article_id

__all__ = ["Copy", "Decision", "Deduper", "Duplicate", "Either", "Lookup", "New"]

RUN_MEMORY = 5_000  # articles of this run remembered (a few MB)


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


class Lookup(Protocol):
    """What the deduper asks of what is already written: a :class:`Store`, or
    ``store.seen.SeenArticles`` for a run that writes elsewhere."""

    def known_among(self, *, urls: list[str], text_hashes: list[str]) -> set[str]: ...

    def near_candidates(self, keys: list[int]) -> dict[int, list[tuple[str, Shingles]]]: ...


class Either:
    """Two lookups asked as one: written in either counts as written."""

    def __init__(self, first: Lookup, second: Lookup) -> None:
        self.first, self.second = first, second

    def known_among(self, *, urls: list[str], text_hashes: list[str]) -> set[str]:
        return (self.first.known_among(urls=urls, text_hashes=text_hashes)
                | self.second.known_among(urls=urls, text_hashes=text_hashes))

    def near_candidates(self, keys: list[int]) -> dict[int, list[tuple[str, Shingles]]]:
        out = self.first.near_candidates(keys)
        for key, found in self.second.near_candidates(keys).items():
            merged = dict(out.get(key, []))
            for aid, theirs in found:
                merged.setdefault(aid, theirs)
            out[key] = sorted(merged.items(), key=lambda pair: pair[0])
        return out


class Deduper:
    """Decides each article, remembering the last :data:`RUN_MEMORY` it let through.

    What it forgets has long been written (coding lags the decisions by a few hundred
    articles at most) where its lookup finds it: the store, or for a run that writes a
    Parquet dataset the run's ``SeenArticles`` beside the store; so the memory stays
    bounded on endless ingests and the decisions do not depend on timing.
    """

    def __init__(self, store: Lookup) -> None:
        self.store = store
        self.urls: dict[str, str] = {}  # canonical URL -> where first seen
        self.hashes: dict[str, str] = {}
        self.bands: defaultdict[tuple[int, int], list[str]] = defaultdict(list)
        self.texts: dict[str, Shingles] = {}
        self.recent: deque[tuple[str | None, str, str, tuple[int, ...]]] = deque()

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
                candidates: dict[int, list[tuple[str, Shingles]]]) -> Decision:
        if url and url in self.urls:
            return Duplicate(f"same URL as {self.urls[url]}")
        if fp.text_hash in self.hashes:
            return Duplicate(f"same text as {self.hashes[fp.text_hash]}")
        if (url and url in stored) or fp.text_hash in stored:
            return Duplicate("already stored (same URL or text)")
        mine = shingles(raw.text) if fp.bands is not None else None
        original = None
        if mine is not None:
            original = self._near_in_run(fp, mine) or _near_stored(fp, mine, candidates)
        self._remember(raw.where, url, fp, mine if original is None else None)
        if original is not None:
            return Copy(fp, url, original)
        return New(fp, url)

    def _near_in_run(self, fp: Fingerprint, mine: Shingles) -> str | None:
        found = {aid for i, key in enumerate(fp.bands or ())
                 for aid in self.bands.get((i, key), ())}
        return best_original(mine, {aid: self.texts[aid] for aid in found}) if found else None

    def _remember(self, where: str, url: str | None, fp: Fingerprint,
                  mine: Shingles | None) -> None:
        aid = article_id(fp)
        if url:
            self.urls[url] = where
        self.hashes[fp.text_hash] = where
        keys: tuple[int, ...] = ()
        if mine is not None and fp.bands is not None:  # an original: copies may follow
            keys = fp.bands
            for i, key in enumerate(keys):
                self.bands[(i, key)].append(aid)
            self.texts[aid] = mine
        self.recent.append((url, fp.text_hash, aid, keys))
        if len(self.recent) > RUN_MEMORY:
            self._forget(*self.recent.popleft())

    def _forget(self, url: str | None, text_hash: str, aid: str, keys: tuple[int, ...]) -> None:
        if url:
            self.urls.pop(url, None)
        self.hashes.pop(text_hash, None)
        self.texts.pop(aid, None)
        for i, key in enumerate(keys):
            ids = self.bands.get((i, key))
            if ids is not None:
                ids.remove(aid)
                if not ids:
                    del self.bands[(i, key)]


def _near_stored(fp: Fingerprint, mine: Shingles,
                 candidates: dict[int, list[tuple[str, Shingles]]]) -> str | None:
    pool = {aid: theirs for key in fp.bands or () for aid, theirs in candidates.get(key, ())}
    return best_original(mine, pool)
