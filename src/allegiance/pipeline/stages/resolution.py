"""Stage ``resolution``: role words read in their parsed context."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from allegiance.ontology.actors import is_state
from allegiance.pipeline.document import CodedDoc, Sentence
from allegiance.pipeline.stages.base import Stage
from allegiance.records import ActorMention

__all__ = ["Resolution", "article_country"]


class Resolution(Stage):
    """Role words in context: adjectives dropped, bare roles given the sentence's country,
    or the article's when the sentence names none.

    "military aid" names no actor. "Police arrested protesters in Nairobi" -> KENCOP,
    KENOPP; with two countries in the sentence the role stays bare: a wrong country is
    worse than none. In an article about Egypt, "Police arrested students" later on is
    EGYCOP -> EGYEDU: news names the country once and then writes "the government",
    "police", "protesters" (see :func:`article_country`).
    """

    name = "resolution"
    requires = ("sentences.mentions", "parses")
    assigns = ("sentences.mentions",)

    def __call__(self, doc: CodedDoc) -> CodedDoc:
        home = article_country(doc.sentences)
        sents = tuple(
            self._sentence(s, doc.parses[s.index], home) if s.index in doc.parses else s
            for s in doc.sentences
        )
        return dataclasses.replace(doc, sentences=sents)

    def _sentence(self, sent: Sentence, parsed: Any, home: str | None) -> Sentence:
        kept = tuple(m for m in sent.mentions if not _adjectival_role(m, sent, parsed))
        sent = dataclasses.replace(sent, mentions=kept)
        states = {m.actor.country for m in sent.mentions if is_state(m.actor.country)}
        if not states and home is not None:
            states = {home}
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


# The article's country: named at least this often, and this many times as often as any
# other state. Below that the article is about several states and a bare role stays bare.
HOME_MIN_MENTIONS = 2
HOME_MARGIN = 2.0


def article_country(sentences: tuple[Sentence, ...]) -> str | None:
    """The one state an article is about, if its mentions make that clear."""
    counts = Counter(m.actor.country for s in sentences for m in s.mentions
                     if is_state(m.actor.country))
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < HOME_MIN_MENTIONS:
        return None
    if len(ranked) == 2 and ranked[0][1] < HOME_MARGIN * ranked[1][1]:
        return None
    return ranked[0][0]


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

