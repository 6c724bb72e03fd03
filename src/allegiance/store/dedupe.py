"""Exact and near-duplicate articles.

Exact: the same text after normalising whitespace and case hashes the same
(:func:`text_hash`). Near: a syndicated wire copy differs by a dateline, a byline
or a trimmed last paragraph. A 64-bit simhash over word 3-shingles puts such copies
within a few bits of each other; four 16-bit bands find the candidates with an
index lookup (any two hashes at most 3 bits apart share a band), and the word
shingles' Jaccard similarity confirms them, so two different stories never merge
on a hash accident.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

__all__ = [
    "MIN_NEAR_WORDS",
    "NEAR_JACCARD",
    "Fingerprint",
    "bands",
    "canonical_url",
    "fingerprint",
    "hamming",
    "jaccard",
    "normalise",
    "shingles",
    "text_hash",
]

SHINGLE = 3
MAX_BITS = 3  # simhash distance for a candidate
NEAR_JACCARD = 0.7  # shingle overlap that confirms a near-duplicate
MIN_NEAR_WORDS = 40  # shorter texts match exactly or not at all: too little to compare
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(text: str) -> set[str]:
    words = _words(text)
    return {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}


def _h64(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "big")


def simhash(features: set[str]) -> int:
    """64-bit simhash, as a signed integer (the columns are signed BIGINT)."""
    hashes = np.array(sorted(_h64(f) for f in features), dtype="<u8")
    # Row i, column j = bit j of hash i (little-endian bytes, little bit order).
    bits = np.unpackbits(hashes.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - len(hashes)
    value = sum(1 << int(bit) for bit in np.flatnonzero(votes > 0))
    return value - (1 << 64) if value >= 1 << 63 else value


def bands(value: int) -> tuple[int, int, int, int]:
    unsigned = value & 0xFFFFFFFFFFFFFFFF
    return (unsigned & 0xFFFF, unsigned >> 16 & 0xFFFF, unsigned >> 32 & 0xFFFF,
            unsigned >> 48 & 0xFFFF)


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & 0xFFFFFFFFFFFFFFFF).bit_count()


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What the store keeps to recognise an article again."""

    text_hash: str
    simhash: int | None  # None: too short for near-duplicate matching

    @property
    def bands(self) -> tuple[int, int, int, int] | tuple[None, None, None, None]:
        return bands(self.simhash) if self.simhash is not None else (None, None, None, None)

    def near(self, other: int | None) -> bool:
        return (self.simhash is not None and other is not None
                and hamming(self.simhash, other) <= MAX_BITS)


def fingerprint(text: str) -> Fingerprint:
    words = _words(text)
    near = simhash(shingles(text)) if len(words) >= MIN_NEAR_WORDS else None
    return Fingerprint(text_hash(text), near)


_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


def canonical_url(url: str) -> str:
    """The same page under one spelling: no fragment, no tracking parameters."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(_TRACKING)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       urlencode(query), ""))
