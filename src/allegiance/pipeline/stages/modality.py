"""Negation and mode (asserted, future, hypothetical, reported, historical) of a trigger.

Rules over the dependency parse, applied to the trigger's own clause and, for
non-finite triggers ("united by", "requesting"), to the clause that governs them.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from spacy.tokens import Token

from allegiance.pipeline.document import CodedDoc
from allegiance.pipeline.lexicon import words
from allegiance.pipeline.stages.base import Stage
from allegiance.records import Mode

__all__ = ["Modality", "ModeReading", "modality_of"]

# Word lists: data/lexicon/<name>.txt (see its README.md).
NEGATING_HEADS = words("negating_heads")
REPORTING_HEADS = words("reporting_heads")
FUTURE_AUX = words("future_aux")
FUTURE_HEADS = words("future_heads")
HYPOTHETICAL_AUX = words("hypothetical_aux")
HYPOTHETICAL_MARKS = words("hypothetical_marks")
HYPOTHETICAL_WORDS = words("hypothetical_words")
HISTORICAL_WORDS = words("historical_words")
STATIVE = words("stative_verbs")
REPORTING_ADVERBS = words("reporting_adverbs")
YEAR_PREPS = words("year_preps")
_HIST_PHRASE = re.compile(
    r"\b(in (the )?recent (years|decades)|over the (years|decades|past)|in the past|for (many )?"
    r"(years|decades)|since (the )?(19|20)\d\d|during the cold war|at the time)\b",
    re.IGNORECASE,
)
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "csubj", "parataxis"})
NONFINITE_DEPS = frozenset({"xcomp", "acl", "advcl", "pcomp", "conj"})


@dataclass(frozen=True, slots=True)
class ModeReading:
    negated: bool
    mode: Mode


def _clause_tokens(head: Token) -> list[Token]:
    """The head's clause: its subtree minus nested clauses with their own subject."""
    out: list[Token] = []
    stack = [head]
    while stack:
        tok = stack.pop()
        out.append(tok)
        for child in tok.children:
            if child.dep_ in CLAUSE_DEPS and any(
                c.dep_ in ("nsubj", "nsubjpass") for c in child.children
            ):
                continue
            stack.append(child)
    return out


def _negated(trigger: Token) -> bool:
    if any(c.dep_ == "neg" for c in trigger.children):
        return True
    # "Iran denied sending drones": the frame's trigger is the denial, its action folded in.
    if trigger.lemma_ in NEGATING_HEADS and any(
        c.dep_ in ("xcomp", "ccomp", "pcomp") and c.pos_ == "VERB" for c in trigger.children
    ):
        return True
    if any(c.dep_ == "det" and c.lower_ in ("no",) for c in trigger.children):
        return True
    cur = trigger
    for _ in range(3):  # "Iran denied sending drones", "refused to meet"
        if (
            cur.dep_ not in ("xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj")
            or cur.head.i == cur.i
        ):
            return False
        cur = cur.head
        if cur.lemma_ in NEGATING_HEADS and not any(c.dep_ == "neg" for c in cur.children):
            return True
        if cur.pos_ in ("VERB", "AUX") and any(c.dep_ == "neg" for c in cur.children):
            return True
    return False


def _clause_mode(head: Token, pub_year: int | None) -> Mode:
    tokens = _clause_tokens(head)
    lowers = {t.lower_ for t in tokens}
    aux = {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")}
    text = " ".join(t.text for t in sorted(tokens, key=lambda t: t.i))
    if lowers & HISTORICAL_WORDS or _HIST_PHRASE.search(text):
        return "historical"
    if aux & {"has", "have"} and head.lemma_ in STATIVE:
        return "historical"
    if pub_year is not None and _old_year(tokens, pub_year):
        return "historical"
    if (
        aux & HYPOTHETICAL_AUX
        or any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS for c in head.children)
        or any(c.lower_ in HYPOTHETICAL_WORDS for c in head.children)
    ):
        return "hypothetical"
    if aux & FUTURE_AUX or ("to" in aux and head.head.lemma_ in FUTURE_HEADS):
        return "future"
    return "asserted"


def _old_year(tokens: list[Token], pub_year: int) -> bool:
    for t in tokens:
        if t.like_num and len(t.text) == 4 and t.text.isdigit():
            year = int(t.text)
            if 1900 <= year < pub_year - 1 and t.head.lower_ in YEAR_PREPS:
                return True
    return False


def _reported(trigger: Token, sources: tuple[str, ...]) -> bool:
    """Inside a claim by someone other than the event's own source."""
    cur = trigger
    for _ in range(8):
        if cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.lemma_ in REPORTING_HEADS and cur.pos_ == "VERB":
            speakers = {c.text for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")}
            return not any(s in src.split() for s in speakers for src in sources)
    return any(c.lower_ in REPORTING_ADVERBS for c in trigger.children)


def modality_of(
    trigger: Token, *, sources: tuple[str, ...] = (), pub_year: int | None = None
) -> ModeReading:
    """Negation and mode of the event whose trigger is ``trigger``.

    ``sources`` are the texts of the event's source actors: a claim made by the source
    itself ("Iran said it sent aid") is not a third party's.
    """
    mode = _clause_mode(trigger, pub_year)
    governor = trigger
    while mode == "asserted" and governor.dep_ in NONFINITE_DEPS and governor.head.i != governor.i:
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in governor.children):
            break
        governor = governor.head
        if governor.pos_ in ("VERB", "AUX"):
            mode = _clause_mode(governor, pub_year)
    if mode == "asserted" and _reported(trigger, sources):
        mode = "reported"
    return ModeReading(negated=_negated(trigger), mode=mode)


class Modality(Stage):
    name = "modality"
    requires = ("frames", "parses")
    assigns = ("frames.negated", "frames.mode")

    def __call__(self, doc: CodedDoc) -> CodedDoc:
        year = doc.article.date.year if doc.article.date else None
        frames = []
        for f in doc.frames:
            trigger = doc.parses[f.sentence][f.trigger_i]
            m = modality_of(trigger, sources=tuple(s.text for s in f.sources), pub_year=year)
            frames.append(dataclasses.replace(f, negated=m.negated, mode=m.mode))
        return dataclasses.replace(doc, frames=tuple(frames))
