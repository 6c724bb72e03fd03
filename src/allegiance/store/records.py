"""Frozen records read back from the store.

A stored event is one real-world action between one source and one target: the
coder's record of its first report (all the contract fields), plus GDELT-style
counts of the mentions, sources and articles that reported it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["StoredActor", "StoredEvent"]


@dataclass(frozen=True, slots=True)
class StoredActor:
    """An event's actor. Offsets (into the article text) are None for foreign coders."""

    code: str
    country: str | None
    agent: str | None
    text: str | None = None
    start: int | None = None
    end: int | None = None
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end,
                "code": self.code, "country": self.country, "agent": self.agent}


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One event in the store (``coder`` = "allegiance" or a foreign coder like "gdelt").

    ``doc_id`` is the store id of the first article that reported it, ``sentence``
    and the offsets come from that first report. ``confidence`` is the highest over
    its mentions (None for coders that give none).
    """

    id: str
    coder: str
    coder_version: str
    source: StoredActor | None
    target: StoredActor | None
    cameo: str
    root: str
    plover: str | None
    quad: int
    goldstein: float
    negated: bool
    mode: str
    date: str | None
    location: str | None
    confidence: float | None
    doc_id: str | None
    sentence: str | None
    sentence_start: int | None
    trigger_text: str | None
    trigger_start: int | None
    trigger_end: int | None
    num_mentions: int
    num_sources: int
    num_articles: int
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The contract's event shape, plus the store's own fields."""
        trigger = None
        if self.trigger_text is not None:
            trigger = {"text": self.trigger_text, "start": self.trigger_start,
                       "end": self.trigger_end}
        return {
            "event_id": self.id, "coder": self.coder, "coder_version": self.coder_version,
            "doc_id": self.doc_id, "sentence": self.sentence,
            "sentence_start": self.sentence_start,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "cameo": self.cameo, "root": self.root, "plover": self.plover,
            "quad": self.quad, "goldstein": self.goldstein,
            "negated": self.negated, "mode": self.mode, "date": self.date,
            "location": self.location,
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "trigger": trigger,
            "num_mentions": self.num_mentions, "num_sources": self.num_sources,
            "num_articles": self.num_articles,
            "url": self.url, "title": self.title, "publisher": self.publisher,
            "published": self.published,
        }
