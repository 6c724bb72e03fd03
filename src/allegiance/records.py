"""Frozen records that travel through the pipeline and out of it.

The JSON shapes of :class:`Event`, :class:`ClassifyResult` and :class:`ResolvedActor`
are fixed by the coding contract (``allegiance code``, ``classify``, ``actors resolve``);
``to_dict`` writes exactly those shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "MODES",
    "ActorCode",
    "ActorMention",
    "ClassifyResult",
    "Event",
    "Mode",
    "ResolvedActor",
    "Span",
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
