"""The document that travels through the coding pipeline, and its parts.

Stages never mutate: each returns a new :class:`CodedDoc` with its own field filled
(``dataclasses.replace``). Offsets everywhere are character offsets into the input
record's ``text``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from allegiance.errors import InputError
from allegiance.pipeline.text import english_score
from allegiance.records import ActorMention, Event, Mode, Span, parse_date

__all__ = ["Article", "CodedDoc", "Frame", "Sentence", "parse_date"]

MAX_TEXT_CHARS = 1_000_000
MIN_ENGLISH_SCORE = 0.3
def _optional_str(record: Mapping[str, Any], key: str, where: str | None) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value
    raise InputError(f"'{key}' must be a string, got {type(value).__name__}", where=where)


@dataclass(frozen=True, slots=True)
class Article:
    """An input record of ``allegiance code``: only ``id`` and ``text`` are required."""

    id: str
    text: str
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None

    @classmethod
    def from_record(cls, record: Mapping[str, Any], *, where: str | None = None) -> Article:
        """Validate a JSON record; raise InputError saying what is wrong and where."""
        doc_id = record.get("id")
        if isinstance(doc_id, int) and not isinstance(doc_id, bool):
            doc_id = str(doc_id)
        if not isinstance(doc_id, str) or not doc_id:
            raise InputError("record needs a non-empty string 'id'", where=where)
        text = record.get("text")
        if not isinstance(text, str):
            raise InputError(f"record {doc_id!r} needs a string 'text'", where=where)
        check_text(text, doc_id=doc_id, where=where)
        return cls(
            id=doc_id, text=text, date=parse_date(record.get("date"), where=where),
            title=_optional_str(record, "title", where), url=_optional_str(record, "url", where),
        )


def check_text(text: str, *, doc_id: str, where: str | None) -> None:
    """Refuse text that cannot be coded: empty, huge, binary or not English."""
    if not text.strip():
        raise InputError(f"record {doc_id!r} has empty text", where=where)
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(
            f"record {doc_id!r} text is {len(text):,} characters, over the "
            f"{MAX_TEXT_CHARS:,} limit; split it into articles", where=where,
        )
    if "\x00" in text:
        raise InputError(f"record {doc_id!r} text contains NUL characters (binary?)", where=where)
    score = english_score(text)
    if score < MIN_ENGLISH_SCORE:
        raise InputError(
            f"record {doc_id!r} does not look like English (score {score:.2f}); "
            "allegiance codes English text only: translate it first", where=where,
        )


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    mentions: tuple[ActorMention, ...] = ()


@dataclass(frozen=True, slots=True)
class Frame:
    """One reported action: a trigger with its sources and targets, then its code and mode."""

    sentence: int
    trigger: Span
    trigger_i: int  # token index in the sentence parse
    sources: tuple[ActorMention, ...]
    targets: tuple[ActorMention, ...]
    # (code, specificity) the verb patterns give, most specific first
    pattern_hits: tuple[tuple[str, int], ...] = ()
    pattern_agrees: bool = False  # the chosen code is one a pattern gave
    cameo: str | None = None
    class_prob: float = 0.0  # of the chosen class, given that the pair is an event
    none_prob: float = 0.0  # the classifier's P(no event between the pair), if it has one
    negated: bool = False
    mode: Mode = "asserted"
    date: str | None = None
    confidence: float = 0.0
    core_roles: bool = True  # actors found as subject/object, not only as loose modifiers
    fallback: bool = False  # the main verb between the first two actors: no parse frame
    located_target: bool = False  # the targets are places named with "in", "near", ...
    pair: bool = False  # a pair frame: two actors no parse frame links (events/pairs.py)


@dataclass(frozen=True)
class CodedDoc:
    article: Article
    sentences: tuple[Sentence, ...] = ()
    # spaCy Docs by sentence index; only sentences with actors are parsed.
    parses: Mapping[int, Any] = field(default_factory=dict, compare=False, repr=False)
    frames: tuple[Frame, ...] = ()
    events: tuple[Event, ...] = ()
