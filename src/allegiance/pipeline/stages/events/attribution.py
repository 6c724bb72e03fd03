"""Who did it to whom: sources and targets of a trigger from the dependency parse.

Works on one parsed sentence (a spaCy ``Doc``) and the actor mentions found in it by
the dictionary. Handles subjects and objects, prepositional targets, passive voice
("was attacked by"), subjects shared along xcomp/conj/participle chains, compound
actors ("Russia, China, and Iran"), including lists the parser breaks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from allegiance.pipeline.lexicon import words
from allegiance.records import ActorMention

__all__ = ["CO_ACTOR_VERBS", "ActorIndex", "Roles", "is_co_actor_frame", "roles_of"]

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "dative", "obj", "iobj", "attr", "oprd"})
# Prepositions whose object is the target of the action ("appealed to X", "clashed
# with X", "sanctions on X", "struck at X"); "from" marks the one asked ("sought aid
# from X"). Locative "in" only counts when nothing better is found. The lists are in
# data/lexicon/*_preps.txt.
TARGET_PREPS = words("target_preps")
NOUN_TARGET_PREPS = words("noun_target_preps")
WEAK_TARGET_PREPS = words("weak_target_preps")
# "evacuated its diplomats to Ankara": a destination is a place, not a target.
MOTION_VERBS = words("motion_verbs")
DESTINATION_PREPS = frozenset({"to", "into", "toward", "towards"})
# "X joined Y in condemning Z": Y acts with X (data/lexicon/co_actor_verbs.txt).
CO_ACTOR_VERBS = words("co_actor_verbs")
MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod", "nn", "npadvmod"})
SHARED_SUBJECT_DEPS = frozenset({"xcomp", "conj", "advcl", "acl", "pcomp", "ccomp", "relcl"})
_LIST_GLUE = re.compile(r"^\s*(,\s*(and|or)?|and|or|&|as well as)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Roles:
    sources: tuple[ActorMention, ...]
    targets: tuple[ActorMention, ...]
    core: bool  # both found in core syntactic roles (not only via loose modifiers)
    # The targets were found only as the object of a place preposition ("in Doha"): a
    # venue for most events, the people hit for an attack ("air strikes in Gaza").
    located: bool = False


class ActorIndex:
    """Which actor mention a token belongs to, and the actor lists in a sentence."""

    def __init__(self, doc: Doc, mentions: Sequence[ActorMention], offset: int) -> None:
        self.doc = doc
        spans = [(m, [t for t in doc if m.start <= t.idx + offset < m.end]) for m in mentions]
        kept = [(m, toks) for m, toks in spans if toks]
        self.mentions = tuple(m for m, _ in kept)
        self._by_token: dict[int, int] = {
            tok.i: k for k, (_, toks) in enumerate(kept) for tok in toks
        }
        self._groups = self._list_groups(doc.text, offset)

    def _list_groups(self, text: str, offset: int) -> dict[int, tuple[int, ...]]:
        """Mentions joined only by commas/"and" form one compound actor."""
        groups: dict[int, tuple[int, ...]] = {}
        order = sorted(range(len(self.mentions)), key=lambda k: self.mentions[k].start)
        run: list[int] = []
        for k in order:
            if run:
                prev = self.mentions[run[-1]]
                glue = text[prev.end - offset : self.mentions[k].start - offset]
                if _LIST_GLUE.match(glue):
                    run.append(k)
                    continue
                self._close(run, groups)
            run = [k]
        if run:
            self._close(run, groups)
        return groups

    @staticmethod
    def _close(run: list[int], groups: dict[int, tuple[int, ...]]) -> None:
        for k in run:
            groups[k] = tuple(run)

    def mention_of(self, tok: Token) -> int | None:
        return self._by_token.get(tok.i)

    def group(self, k: int) -> tuple[int, ...]:
        return self._groups.get(k, (k,))

    def actors_at(self, tok: Token, *, loose: bool) -> tuple[int, ...]:
        """Mentions an argument token stands for: itself, its conjuncts, its list.

        With ``loose``, a non-actor head ("jets", "embassy") stands for an actor
        among its modifiers ("Israeli jets", "Russia's embassy").
        """
        found: list[int] = []
        for t in _with_conjuncts(tok):
            k = self.mention_of(t)
            if k is None and loose:
                k = self._modifier_actor(t)
            if k is not None:
                found.extend(self.group(k))
        return tuple(dict.fromkeys(found))

    def _modifier_actor(self, tok: Token) -> int | None:
        for child in tok.children:
            if child.dep_ in MODIFIER_DEPS:
                k = self.mention_of(child)
                if k is None:
                    k = next((self.mention_of(t) for t in child.subtree
                              if self.mention_of(t) is not None), None)
                if k is not None:
                    return k
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and self.mention_of(pobj) is not None:
                        return self.mention_of(pobj)
        return None


def _with_conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for t in tok.conjuncts:
        if t.i > tok.i:
            out.append(t)
    return out


def _children(tok: Token, deps: Iterable[str]) -> list[Token]:
    wanted = frozenset(deps)
    return [c for c in tok.children if c.dep_ in wanted]


def _prep_objects(tok: Token, preps: frozenset[str]) -> list[Token]:
    out: list[Token] = []
    for child in tok.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in preps:
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def _agent_objects(tok: Token) -> list[Token]:
    return [c for a in tok.children if a.dep_ == "agent" for c in a.children if c.dep_ == "pobj"]


def _is_passive(tok: Token) -> bool:
    return any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in tok.children)


def _subject_tokens(verb: Token) -> list[Token]:
    """The subject, inherited along xcomp/conj/participle chains when absent."""
    cur = verb
    for _ in range(4):
        subj = _children(cur, SUBJECT_DEPS)
        if subj:
            if cur.i != verb.i and cur.lemma_ in CO_ACTOR_VERBS:
                subj += _children(cur, ("dobj",))  # "joined the US in condemning"
            return subj
        if _is_passive(cur):
            return _agent_objects(cur)
        if cur.dep_ not in SHARED_SUBJECT_DEPS or cur.head.i == cur.i:
            return []
        # "Caracas's willingness to deepen ties": the owner of the governing noun acts.
        owner = [c for c in cur.head.children if c.dep_ == "poss"]
        if cur.dep_ in ("acl", "xcomp") and cur.head.pos_ == "NOUN" and owner:
            return owner
        # A participle hanging off a noun ("Iran requesting aid") really belongs to
        # the clause's verb: climb to the nearest verb.
        cur = cur.head
        while cur.pos_ not in ("VERB", "AUX") and cur.head.i != cur.i:
            cur = cur.head
    return []


def _object_tokens(verb: Token) -> tuple[list[Token], list[Token]]:
    """Objects of a verb frame (with its xcomp/particle chain): strong, then weak."""
    strong: list[Token] = []
    weak: list[Token] = []
    frame = [verb] + [c for c in verb.children if c.dep_ in ("xcomp", "prt", "acl", "advcl")]
    for part in frame:
        if part.i != verb.i and part.dep_ == "advcl" and _children(part, SUBJECT_DEPS):
            continue  # a subordinate clause with its own subject is its own event
        if part.i == verb.i and _is_passive(verb):
            strong.extend(_children(verb, PASSIVE_SUBJECT_DEPS))
        objects = _children(part, OBJECT_DEPS)
        strong.extend(objects)
        if part.lemma_ in MOTION_VERBS:
            weak.extend(_prep_objects(part, DESTINATION_PREPS))
            strong.extend(_prep_objects(part, TARGET_PREPS - DESTINATION_PREPS))
        else:
            strong.extend(_prep_objects(part, TARGET_PREPS))
        # "signed an agreement with China", "imposed sanctions on Iran": the recipient
        # hangs off the object noun.
        for obj in objects:
            if obj.pos_ == "NOUN":
                strong.extend(_prep_objects(obj, NOUN_TARGET_PREPS))
        weak.extend(_prep_objects(part, WEAK_TARGET_PREPS))
    return strong, weak


def roles_of(trigger: Token, index: ActorIndex) -> Roles:
    """Sources and targets of a verb or event-noun trigger."""
    if trigger.pos_ in ("NOUN", "PROPN"):
        return _noun_roles(trigger, index)
    subj = [k for t in _subject_tokens(trigger) for k in index.actors_at(t, loose=True)]
    strong, weak = _object_tokens(trigger)
    objs = [k for t in strong for k in index.actors_at(t, loose=True)]
    located = False
    if not objs:
        objs = [k for t in weak for k in index.actors_at(t, loose=False)]
        located = bool(objs)
    core = bool(subj) and all(index.mention_of(t) is not None for t in strong[:1])
    return _as_roles(index, subj, objs, core, located=located)


def _noun_roles(noun: Token, index: ActorIndex) -> Roles:
    """An event noun: "Venezuela's appeal to Russia", "US airstrikes on Syria"."""
    subj: list[int] = []
    for child in noun.children:
        if child.dep_ in MODIFIER_DEPS:
            subj.extend(index.actors_at(child, loose=True))
    subj.extend(k for t in _prep_objects(noun, frozenset({"by"}))
                for k in index.actors_at(t, loose=True))
    preps = (TARGET_PREPS - {"of"}) | {"between"}
    objs = [k for t in _prep_objects(noun, preps) for k in index.actors_at(t, loose=True)]
    return _as_roles(index, subj, objs, core=False)


def _as_roles(index: ActorIndex, subj: list[int], objs: list[int], core: bool, *,
              located: bool = False) -> Roles:
    subj = list(dict.fromkeys(subj))
    objs = [k for k in dict.fromkeys(objs) if k not in subj]
    # "sent drones to Russia": a bare role beside a named country is the thing acted
    # with, not the recipient.
    if any(index.mentions[k].actor.country for k in objs):
        objs = [k for k in objs if index.mentions[k].actor.country]
    return Roles(
        sources=tuple(index.mentions[k] for k in subj),
        targets=tuple(index.mentions[k] for k in objs),
        core=core, located=located and bool(objs),
    )


def is_co_actor_frame(verb: Token) -> bool:
    """ "joined the US in condemning ...": the joining is no event between the two."""
    return verb.lemma_ in CO_ACTOR_VERBS and any(
        c.dep_ == "prep" and c.lower_ == "in" and any(g.dep_ == "pcomp" for g in c.children)
        for c in verb.children)
