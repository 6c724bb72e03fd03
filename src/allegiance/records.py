"""Frozen records that travel through the pipeline and out of it.

The JSON shapes of :class:`Event`, :class:`ClassifyResult` and :class:`ResolvedActor`
are fixed by the coding contract (``allegiance code``, ``classify``, ``actors resolve``);
``to_dict`` writes exactly those shapes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.metadata
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from allegiance.errors import InputError

__all__ = [
    "ALERT_KINDS",
    "ANALYSED_MODES",
    "CODER",
    "EVENT_COLUMNS",
    "GDELT_CODER",
    "GDELT_CODER_VERSION",
    "MODES",
    "ActorCode",
    "ActorMention",
    "Alert",
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
    "StoredMention",
    "coder_version",
    "gdelt_event_id",
    "parse_date",
    "stored_view",
]

Mode = Literal["asserted", "future", "hypothetical", "reported", "historical"]
MODES: tuple[Mode, ...] = ("asserted", "future", "hypothetical", "reported", "historical")
# What the analyses count as events of their window: what happened or was announced.
# Background (historical) and hypothetical events are not; negated ones neither.
ANALYSED_MODES: tuple[Mode, ...] = ("asserted", "reported", "future")


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

# StoredEvent is the one definition of an event row: the store's columns, the flat
# exports and the DataFrames all derive from its fields. A field marked _JOINED comes
# from the event's article; "column" renames a field in the store.
_JOINED = {"joined": True}
_ACTOR_COLUMNS = ("code", "country", "agent", "text", "start", "end")

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

    @classmethod
    def of(cls, mention: ActorMention | None) -> StoredActor | None:
        if mention is None:
            return None
        return cls(code=mention.code, country=mention.country, agent=mention.agent,
                   text=mention.text, start=mention.start, end=mention.end,
                   name=mention.actor.name)

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
    doc_id: str | None = field(metadata={"column": "article_id"})
    sentence: str | None
    sentence_start: int | None
    trigger_text: str | None
    trigger_start: int | None
    trigger_end: int | None
    num_mentions: int
    num_sources: int
    num_articles: int
    # Read from the event's first article, not stored with the event.
    url: str | None = field(default=None, metadata=_JOINED)
    title: str | None = field(default=None, metadata=_JOINED)
    publisher: str | None = field(default=None, metadata=_JOINED)
    published: str | None = field(default=None, metadata=_JOINED)

    @classmethod
    def from_event(cls, ev: Event, *, id: str, coder: str, coder_version: str,
                   doc_id: str, date: str | None) -> StoredEvent:
        """The first report of a new event, as the store keeps it."""
        trigger = ev.trigger
        return cls(
            id=id, coder=coder, coder_version=coder_version,
            source=StoredActor.of(ev.source), target=StoredActor.of(ev.target),
            cameo=ev.cameo, root=ev.root, plover=ev.plover, quad=ev.quad,
            goldstein=ev.goldstein, negated=ev.negated, mode=ev.mode, date=date,
            location=ev.location, confidence=ev.confidence, doc_id=doc_id,
            sentence=ev.sentence, sentence_start=ev.sentence_start,
            trigger_text=trigger.text if trigger else None,
            trigger_start=trigger.start if trigger else None,
            trigger_end=trigger.end if trigger else None,
            num_mentions=1, num_sources=1, num_articles=1,
        )

    def to_row(self) -> dict[str, Any]:
        """The event as one flat row: the store's ``events`` columns (see EVENT_COLUMNS)."""
        row: dict[str, Any] = {}
        for f in _EVENT_FIELDS:
            value = getattr(self, f.name)
            if f.name in ("source", "target"):
                row.update(_actor_columns(f.name, value))
            else:
                row[f.metadata.get("column", f.name)] = value
        return row

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> StoredEvent:
        """The event of a row of ``to_row`` columns (plus the joined article fields)."""
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name in ("source", "target"):
                values[f.name] = _actor_of(f.name, row)
            else:
                values[f.name] = row.get(f.metadata.get("column", f.name))
        values["negated"] = bool(values["negated"])
        return cls(**values)

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


ALERT_KINDS = ("event", "shift")


@dataclass(frozen=True, slots=True)
class Alert:
    """A rule of an alerts file that matched: one event (``kind`` "event") or one dyad's
    shift score (``kind`` "shift"). ``id`` is a hash of the rule and what matched, so
    evaluating the rules again raises nothing twice; ``raised_at`` is when it was
    first stored (None before)."""

    id: str
    rule: str
    kind: str
    source: str | None  # actor keys (VEN), or the dyad's two sides for a shift
    target: str | None
    date: str | None  # the event's day, or the first day of the shift's window
    message: str
    event_id: str | None = None
    cameo: str | None = None
    score: float | None = None  # Goldstein for an event, the shift score for a shift
    mentions: int | None = None
    url: str | None = None
    raised_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class StoredMention:
    """One report of a stored event: the article, and where in it the event is told.

    Offsets are character offsets into the article's text (None where the coder
    gives none: GDELT gives a few, unpaired). ``sentence`` is the evidence sentence
    (None for foreign coders' mentions, whose articles we do not hold).
    """

    id: str
    event_id: str
    article_id: str
    coder_event_id: str | None
    sentence_start: int | None
    sentence_end: int | None
    source_start: int | None
    source_end: int | None
    target_start: int | None
    target_end: int | None
    trigger_start: int | None
    trigger_end: int | None
    mode: str | None
    negated: bool | None
    date: str | None
    confidence: float | None
    publisher: str | None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    sentence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


CODER = "allegiance"  # the ``coder`` of our own events, beside foreign coders ("gdelt")


def coder_version() -> str:
    """The version stored with each event we code: the installed package's."""
    try:
        return importlib.metadata.version("allegiance")
    except importlib.metadata.PackageNotFoundError:  # running from a source tree
        return "0"


def stored_view(ev: Event) -> StoredEvent:
    """A freshly coded event as one report of a stored event (for flat files and tables)."""
    return StoredEvent.from_event(ev, id=ev.event_id, coder=CODER, coder_version=coder_version(),
                                  doc_id=ev.doc_id, date=ev.date)


_EVENT_FIELDS = tuple(f for f in dataclasses.fields(StoredEvent) if not f.metadata.get("joined"))
_ACTOR_TYPES = {"code": "str", "country": "str | None", "agent": "str | None",
                "text": "str | None", "start": "int | None", "end": "int | None"}


def _actor_columns(side: str, actor: StoredActor | None) -> dict[str, Any]:
    return {f"{side}_{c}": None if actor is None else getattr(actor, c) for c in _ACTOR_COLUMNS}


def _actor_of(side: str, row: Mapping[str, Any]) -> StoredActor | None:
    if row.get(f"{side}_code") is None:
        return None
    values: dict[str, Any] = {c: row.get(f"{side}_{c}") for c in _ACTOR_COLUMNS}
    return StoredActor(**values)


def _event_columns() -> tuple[tuple[str, str, bool], ...]:
    """(column, Python type name, nullable) of each ``events`` column, in field order."""
    out: list[tuple[str, str, bool]] = []
    for f in _EVENT_FIELDS:
        if f.name in ("source", "target"):
            hints = {f"{f.name}_{c}": t for c, t in _ACTOR_TYPES.items()}
        else:
            hints = {f.metadata.get("column", f.name): str(f.type)}
        for column, hint in hints.items():
            parts = [p.strip() for p in hint.split("|")]
            # An actor's own columns are NULL when the side is empty.
            nullable = "None" in parts or column.startswith(("source_", "target_"))
            out.append((column, next(p for p in parts if p != "None"), nullable))
    return tuple(out)


EVENT_COLUMNS = _event_columns()


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
