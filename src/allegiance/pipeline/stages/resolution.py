"""Stage ``resolution``: role words read in their parsed context."""

from __future__ import annotations

import dataclasses
from typing import Any

from allegiance.ontology.actors import is_state
from allegiance.pipeline.document import CodedDoc, Sentence
from allegiance.pipeline.stages.base import Stage
from allegiance.records import ActorMention

__all__ = ["Resolution"]


class Resolution(Stage):
    """Role words in context: adjectives dropped, bare roles given the sentence's country.

    "military aid" names no actor. "Police arrested protesters in Nairobi" -> KENCOP,
    KENOPP; with two countries in the sentence the role stays bare: a wrong country is
    worse than none.
    """

    name = "resolution"
    requires = ("sentences.mentions", "parses")
    assigns = ("sentences.mentions",)

    def __call__(self, doc: CodedDoc) -> CodedDoc:
        sents = tuple(
            self._sentence(s, doc.parses[s.index]) if s.index in doc.parses else s
            for s in doc.sentences
        )
        return dataclasses.replace(doc, sentences=sents)

    def _sentence(self, sent: Sentence, parsed: Any) -> Sentence:
        kept = tuple(m for m in sent.mentions if not _adjectival_role(m, sent, parsed))
        sent = dataclasses.replace(sent, mentions=kept)
        states = {m.actor.country for m in sent.mentions if is_state(m.actor.country)}
        bare = [m for m in sent.mentions if m.actor.country is None and m.actor.agent]
        if len(states) != 1 or not bare:
            return sent
        state = next(iter(states)) or ""
        named = {m.actor.code for m in sent.mentions}
        mentions = tuple(self._resolved(m, state, named, _owned(m, sent, parsed))
                         for m in sent.mentions)
        return dataclasses.replace(sent, mentions=mentions)

    def _resolved(self, m: ActorMention, state: str, named: set[str], owned: bool
                  ) -> ActorMention:
        if m.actor.country is not None or m.actor.agent is None or owned:
            return m
        actor = self.res.actors.code(state + m.actor.code)
        # "New Mexico's chief justice defends state judges": giving the judges the
        # justice's own code would make a self-event; the bare role says more.
        if actor.code in named:
            return m
        return ActorMention(m.text, m.start, m.end, actor)


def _adjectival_role(m: ActorMention, sent: Sentence, parsed: Any) -> bool:
    """A bare role word used as a modifier ("military aid", "police cars")."""
    if m.actor.country is not None:
        return False
    toks = [t for t in parsed if m.start <= t.idx + sent.start < m.end]
    return len(toks) == 1 and toks[0].dep_ in ("amod", "compound") and toks[0].head.pos_ == "NOUN"


def _owned(m: ActorMention, sent: Sentence, parsed: Any) -> bool:
    """The role has a proper-name modifier the dictionary did not know ("the Korean
    government", "Taliban fighters"): its country is that name's, not the sentence's."""
    toks = [t for t in parsed if m.start <= t.idx + sent.start < m.end]
    return any(c.dep_ in ("amod", "compound", "poss", "nmod") and c.text[:1].isupper()
               and not (m.start <= c.idx + sent.start < m.end)
               for t in toks for c in t.children)

