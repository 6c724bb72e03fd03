"""Frozen records that travel through the pipeline and out of it.

The JSON shapes of :class:`Event`, :class:`ClassifyResult` and :class:`ResolvedActor`
are fixed by the coding contract (``allegiance code``, ``classify``, ``actors resolve``);
``to_dict`` writes exactly those shapes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from allegiance.errors import InputError

__all__ = [
    "GDELT_CODER",
    "GDELT_CODER_VERSION",
    "MODES",
    "ActorCode",
    "ActorMention",
    "ClassifyResult",
    "Event",
    "GdeltEvent",
    "GdeltMention",
    "Mode",
    "RawArticle",
    "ResolvedActor",
    "SourceItem",
    "Span",
    "StoredActor",
    "StoredEvent",
    "gdelt_event_id",
    "parse_date",
]

Mode = Literal["asserted", "future", "hypothetical", "reported", "historical"]
MODES: tuple[Mode, ...] = ("asserted", "future", "hypothetical", "reported", "historical")


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the input text: character offsets into the record's ``text``."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class ActorCode:
    """A CAMEO actor code split into its parts: ``VENMIL`` = country VEN, agent MIL.

    ``country`` is an ISO alpha-3 code, ``"IGO"`` for international organisations,
    or None (a bare role such as "rebels" with no country known).
    """

    code: str
    country: str | None
    agent: str | None
    name: str | None = None

    def with_agent(self, agent: str) -> ActorCode:
        """Add a role: VEN + MIL -> VENMIL (an existing role is kept first)."""
        if self.agent == agent:
            return self
        return ActorCode(self.code + agent, self.country, self.agent or agent, self.name)


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in the text and what it resolved to."""

    text: str
    start: int
    end: int
    actor: ActorCode

    @property
    def code(self) -> str:
        return self.actor.code

    @property
    def country(self) -> str | None:
        return self.actor.country

    @property
    def agent(self) -> str | None:
        return self.actor.agent

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "start": self.start, "end": self.end,
            "code": self.actor.code, "country": self.actor.country, "agent": self.actor.agent,
        }


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event between one source and one target (one dyad)."""

    doc_id: str
    event_id: str
    sentence: str
    sentence_start: int
    source: ActorMention | None
    target: ActorMention | None
    cameo: str
    root: str
    plover: str | None
    quad: int
    goldstein: float
    negated: bool
    mode: Mode
    date: str | None
    location: str | None
    confidence: float
    trigger: Span | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id, "event_id": self.event_id,
            "sentence": self.sentence, "sentence_start": self.sentence_start,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "cameo": self.cameo, "root": self.root, "plover": self.plover,
            "quad": self.quad, "goldstein": self.goldstein,
            "negated": self.negated, "mode": self.mode, "date": self.date,
            "location": self.location, "confidence": round(self.confidence, 4),
            "trigger": self.trigger.to_dict() if self.trigger else None,
        }


@dataclass(frozen=True, slots=True)
class ClassifyResult:
    """The best event between two given actors (``allegiance classify``)."""

    id: str
    cameo: str
    root: str
    plover: str | None
    quad: int
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "cameo": self.cameo, "root": self.root, "plover": self.plover,
            "quad": self.quad, "confidence": round(self.confidence, 4),
        }


@dataclass(frozen=True, slots=True)
class ResolvedActor:
    """An actor phrase resolved to a code (``allegiance actors resolve``).

    All fields None means unknown: the resolver never guesses.
    """

    id: str
    code: str | None
    country: str | None
    agent: str | None
    name: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "code": self.code, "country": self.country,
                "agent": self.agent, "name": self.name}


# --- the input side: dates and raw articles, before coding ---

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def parse_date(value: Any, *, where: str | None = None) -> dt.date | None:
    """An ISO date (``2026-11-24`` or a timestamp starting with one), or None if absent."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not (m := _DATE.match(value)):
        raise InputError(f"'date' must be an ISO date like 2026-11-24, got {value!r}", where=where)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise InputError(f"'date' {value!r} is not a real calendar date", where=where) from None


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One article as read from its source.

    ``where`` says where it came from (``file.jsonl line 3``, a URL), for messages.
    ``id`` is the source's own id when it has one (the JSONL ``id``, the file name,
    the URL); the store keys articles by content, not by this id.
    ``date`` is an ISO date ``YYYY-MM-DD`` (the publication date) or None.
    """

    where: str
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    date: str | None = None
    language: str | None = None
    feed: str | None = None

    def to_record(self) -> dict[str, Any]:
        """The contract input record ``allegiance code`` takes."""
        record: dict[str, Any] = {"id": self.id, "text": self.text}
        for key in ("date", "title", "url"):
            if (value := getattr(self, key)) is not None:
                record[key] = value
        return record


SourceItem = RawArticle | InputError


# --- the store side: events as stored, ours and foreign coders' ---

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


GDELT_CODER = "gdelt"
GDELT_CODER_VERSION = "2.0"


def gdelt_event_id(global_id: str) -> str:
    """The store id of a GDELT event: mentions link to their event through it."""
    return f"{GDELT_CODER}:{global_id}"


@dataclass(frozen=True, slots=True)
class GdeltEvent:
    """One row of a GDELT 2.0 events file.

    ``date`` is SQLDATE as ``YYYY-MM-DD``; ``date_added`` is DATEADDED as
    ``YYYY-MM-DDTHH:MM:SSZ`` (GDELT times are UTC). Codes keep their leading zeros.
    ``plover`` comes from our codebook for ``cameo`` (None for a code it lacks).
    """

    global_id: str
    date: str
    source: StoredActor | None
    target: StoredActor | None
    is_root: bool
    cameo: str
    root: str
    quad: int
    goldstein: float
    num_mentions: int
    num_sources: int
    num_articles: int
    avg_tone: float
    location: str | None
    lat: float | None
    long: float | None
    date_added: str
    url: str
    plover: str | None

    def to_stored(self) -> StoredEvent:
        """This event as the store keeps it: coder "gdelt", GDELT's own counts and scores.

        GDELT gives no sentence, offsets, mode or confidence: the event is taken as
        asserted and not negated, confidence None. ``published`` is DATEADDED, the
        time GDELT first saw the report, so an export writes it back unchanged.
        """
        return StoredEvent(
            id=gdelt_event_id(self.global_id), coder=GDELT_CODER,
            coder_version=GDELT_CODER_VERSION, source=self.source, target=self.target,
            cameo=self.cameo, root=self.root, plover=self.plover, quad=self.quad,
            goldstein=self.goldstein, negated=False, mode="asserted", date=self.date,
            location=self.location, confidence=None, doc_id=None, sentence=None,
            sentence_start=None, trigger_text=None, trigger_start=None, trigger_end=None,
            num_mentions=self.num_mentions, num_sources=self.num_sources,
            num_articles=self.num_articles, url=self.url or None,
            published=self.date_added,
        )


@dataclass(frozen=True, slots=True)
class GdeltMention:
    """One row of a GDELT 2.0 mentions file: an article that reported an event.

    Times are ``YYYY-MM-DDTHH:MM:SSZ``. Offsets are None where GDELT writes -1.
    ``url`` is MentionIdentifier (a URL for web articles, a citation otherwise).
    """

    global_id: str
    event_time: str
    mention_time: str
    mention_type: int
    source_name: str
    url: str
    sentence_id: int | None
    actor1_offset: int | None
    actor2_offset: int | None
    action_offset: int | None
    in_raw_text: bool
    confidence: int
    doc_len: int
    doc_tone: float
    translation: str | None = None
