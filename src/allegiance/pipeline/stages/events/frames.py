"""Event detection: find triggers in a parsed sentence and build their frames.

A frame is a trigger (a verb, or an event noun known to the verb patterns) with the
actors the parse gives it. Non-finite dependents that add no actor of their own
("reached out to X requesting aid") fold into the frame that governs them, so one
reported action is one frame, whose trigger words all count for its code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from allegiance.pipeline.lexicon import words
from allegiance.pipeline.stages.events.attribution import (
    ActorIndex,
    Roles,
    is_co_actor_frame,
    roles_of,
)
from allegiance.records import ActorMention

__all__ = ["RawFrame", "fallback_frame", "find_frames"]

# Verbs that link or describe rather than report an action ("represents a shift"):
# data/lexicon/non_event_verbs.txt.
NON_EVENT_VERBS = words("non_event_verbs")
# Prepositions of place: their object is where something happened, not who it was done to.
WEAK_TARGET_PREPS = words("weak_target_preps")
FOLD_DEPS = frozenset(
    {
        "xcomp",
        "acl",
        "advcl",
        "pcomp",
        "dobj",
        "pobj",
        "prep",
        "ccomp",
        "conj",
        "appos",
        "npadvmod",
    }
)


@dataclass(frozen=True, slots=True)
class RawFrame:
    trigger: Token
    triggers: tuple[Token, ...]  # the trigger and what folded into it
    roles: Roles


def _is_candidate(tok: Token, nouns: set[int]) -> bool:
    if tok.i in nouns:
        return True
    return tok.pos_ == "VERB" and tok.dep_ not in ("aux", "auxpass", "amod")


def _codes(mentions: Sequence[ActorMention]) -> set[tuple[int, int]]:
    return {(m.start, m.end) for m in mentions}


def _governor(frame: RawFrame, by_token: dict[int, RawFrame]) -> RawFrame | None:
    """The frame this one folds into: a governing trigger within two heads, same clause."""
    tok = frame.trigger
    for _ in range(6):
        if tok.head.i == tok.i or tok.dep_ not in FOLD_DEPS:
            return None
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) and tok.i != frame.trigger.i:
            return None
        tok = tok.head
        if tok.i in by_token:
            return by_token[tok.i]
    return None


def _folds(child: RawFrame, parent: RawFrame) -> bool:
    own = _codes(child.roles.sources) | _codes(child.roles.targets)
    return own <= (_codes(parent.roles.sources) | _codes(parent.roles.targets))


def find_frames(doc: Doc, index: ActorIndex, event_nouns: Sequence[Token],
                specific: frozenset[int] | set[int] = frozenset()) -> list[RawFrame]:
    """Frames with at least one actor, in sentence order, dependents folded in.

    ``specific``: verbs of NON_EVENT_VERBS that a specific verb pattern fits, which are
    triggers after all ("gave Ukraine military aid").
    """
    nouns = {t.i for t in event_nouns} | set(specific)
    frames: dict[int, RawFrame] = {}
    for tok in doc:
        if not _is_candidate(tok, nouns):
            continue
        if tok.pos_ == "VERB" and tok.lemma_ in NON_EVENT_VERBS and tok.i not in nouns:
            continue
        if tok.pos_ == "VERB" and is_co_actor_frame(tok):
            continue
        roles = roles_of(tok, index)
        if roles.sources or roles.targets:
            frames[tok.i] = RawFrame(tok, (tok,), roles)
    # Fold deepest first so chains collapse into their top frame.
    for i in sorted(frames, key=lambda i: -_depth(doc[i])):
        frame = frames.get(i)
        if frame is None:
            continue
        parent = _governor(frame, frames)
        if parent is not None and _folds(frame, parent):
            frames[parent.trigger.i] = RawFrame(
                parent.trigger, parent.triggers + frame.triggers, parent.roles
            )
            del frames[i]
    return [frames[i] for i in sorted(frames)]


def _depth(tok: Token) -> int:
    depth = 0
    while tok.head.i != tok.i and depth < 50:
        tok = tok.head
        depth += 1
    return depth


def _country(m: ActorMention) -> str:
    return m.actor.country or m.actor.code


def fallback_frame(doc: Doc, index: ActorIndex) -> RawFrame | None:
    """The sentence's main verb between its first two actors of different countries.

    Used only when the parse gave no frame with both a source and a target: news
    sentences naming two states mostly report something between them, and the
    classifier reads the pair. Its confidence is kept low (``core`` is False).
    """
    mentions = sorted(index.mentions, key=lambda m: m.start)
    if len({_country(m) for m in mentions}) < 2:
        return None
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ != "VERB" or root.lemma_ in NON_EVENT_VERBS:
        return None
    subject = [t for c in root.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree]
    found = {k for t in subject if (k := index.mention_of(t)) is not None}
    in_subject = [index.mentions[k] for k in sorted(found)]
    if not in_subject:
        return None
    first = min(in_subject, key=lambda m: m.start)
    group = {index.mentions[k] for k in index.group(index.mentions.index(first))}
    # "The UN and NATO condemned ...": every listed actor of the subject acts.
    subjects = tuple(m for m in in_subject if m in group) or (first,)
    other = next((m for m in mentions if _country(m) != _country(first) and m not in group
                  and m not in in_subject and not _venue(m, doc, index)), None)
    if other is None:
        return None
    if _is_passive_root(root):
        # "Four civilians were killed in an Israeli airstrike": the subject was acted on.
        return RawFrame(root, (root,), Roles((other,), subjects, core=False))
    return RawFrame(root, (root,), Roles(subjects, (other,), core=False))


def _is_passive_root(root: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in root.children)


def _venue(m: ActorMention, doc: Doc, index: ActorIndex) -> bool:
    """A place named as where something happened ("signed the accord in Doha")."""
    k = index.mentions.index(m)
    toks = [t for t in doc if index.mention_of(t) == k]
    head = next((t for t in toks if t.head not in toks), None)
    return head is not None and head.dep_ == "pobj" and head.head.lower_ in WEAK_TARGET_PREPS
