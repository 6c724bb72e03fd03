"""What a run wrote somewhere other than a store, where its deduplication can ask about it.

An ingest decides duplicates against the store and the articles of the run it remembers
(the last few thousand: older ones are in the store by then). A run that writes a Parquet
dataset instead leaves nothing in the store, so :class:`SeenArticles` keeps what the
deduper needs of every article written (URL, text hash, and for originals the MinHash band
keys and text) in a scratch SQLite file, asked with the store's own two questions
(``known_among``, ``near_candidates``). Disk, not memory: a run of millions of articles
stays small in RAM. The file is deleted on :meth:`close`.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from allegiance.store.dedupe import Shingles, shingles
from allegiance.store.writer import ArticleRecord

__all__ = ["SeenArticles"]

_SCHEMA = """
CREATE TABLE seen (value TEXT PRIMARY KEY);
CREATE TABLE bands (key INTEGER NOT NULL, article_id TEXT NOT NULL);
CREATE INDEX bands_key ON bands (key);
CREATE TABLE originals (article_id TEXT PRIMARY KEY, text TEXT NOT NULL);
"""


class SeenArticles:
    """The articles a run has written elsewhere (module doc); a context manager."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="allegiance-seen-")
        self._db = sqlite3.connect(Path(self._folder.name) / "seen.db",
                                   check_same_thread=False)
        self._db.executescript(_SCHEMA)

    def __enter__(self) -> SeenArticles:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()

    def add(self, records: Iterable[ArticleRecord]) -> None:
        """Remember written records as the store would: every URL and text hash; the band
        keys and text of originals only (copies are never an original)."""
        with self._db:
            for r in records:
                self._db.executemany("INSERT OR IGNORE INTO seen VALUES (?)",
                                     [(v,) for v in (r.url, r.fingerprint.text_hash) if v])
                if r.duplicate_of is None and r.fingerprint.bands is not None:
                    self._db.executemany("INSERT INTO bands VALUES (?, ?)",
                                         [(key, r.id) for key in r.fingerprint.bands])
                    self._db.execute("INSERT OR IGNORE INTO originals VALUES (?, ?)",
                                     (r.id, r.raw.text))

    def known_among(self, *, urls: list[str], text_hashes: list[str]) -> set[str]:
        values = [*urls, *text_hashes]
        if not values:
            return set()
        marks = ",".join("?" * len(values))
        return {v for (v,) in self._db.execute(
            f"SELECT value FROM seen WHERE value IN ({marks})", values)}

    def near_candidates(self, keys: list[int]) -> dict[int, list[tuple[str, Shingles]]]:
        if not keys:
            return {}
        wanted = sorted(set(keys))
        marks = ",".join("?" * len(wanted))
        out: dict[int, list[tuple[str, Shingles]]] = {}
        cache: dict[str, Shingles] = {}
        for key, aid, text in self._db.execute(
                f"SELECT b.key, b.article_id, o.text FROM bands b JOIN originals o "
                f"ON o.article_id = b.article_id WHERE b.key IN ({marks}) "
                f"ORDER BY b.key, b.article_id", wanted):
            if aid not in cache:
                cache[aid] = shingles(text)
            out.setdefault(int(key), []).append((aid, cache[aid]))
        return out
