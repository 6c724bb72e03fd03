"""Pair frames: every ordered pair of actors in a sentence that no parse frame links.

The parse frames find an event only where the dependency tree puts both actors in a
verb's roles. On real news most missed events have both actors in the sentence but in
places the role rules do not read ("Russia's strikes on Ukraine", "in talks with",
a participle far from its subject). A pair frame puts forward each such ordered pair,
with the word that joins them in the parse as its trigger; only the learned acceptance
model decides whether one is an event (the hand-set score never keeps them).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from spacy.tokens import Doc, Token

from allegiance.ontology.actors import actor_key
from allegiance.pipeline.stages.events.attribution import ActorIndex
from allegiance.pipeline.syntax import head_of, path_length
from allegiance.records import ActorMention

__all__ = ["MAX_PAIR_MENTIONS", "MAX_PATH", "PairCandidate", "pair_candidates"]

# The first actors of a sentence that pairs are formed from (6 give at most 30 pairs),
# and the longest dependency path between two actors still worth a look.
MAX_PAIR_MENTIONS = 6
MAX_PATH = 7

PairCandidate = tuple[ActorMention, ActorMention, Token]


def _head(index: ActorIndex, k: int) -> Token | None:
    """The mention's syntactic head."""
    head: Token | None = head_of([t for t in index.doc if index.mention_of(t) == k])
    return head


def pair_candidates(doc: Doc, index: ActorIndex, covered: set[tuple[int, int]]
                    ) -> Iterator[PairCandidate]:
    """(source, target, joining word) for ordered actor pairs not in ``covered``.

    ``covered`` holds the pairs of mention starts that a parse frame already links
    (either way round counts). A pair whose joining word is one of the actors
    ("Russian President Putin") is one actor phrase, not an event.
    """
    heads: list[tuple[ActorMention, Token]] = []
    seen: set[str] = set()
    for k, m in enumerate(index.mentions):
        head = _head(index, k)
        key = actor_key(m.actor.code)
        if head is None or key in seen:
            continue
        seen.add(key)
        heads.append((m, head))
        if len(heads) == MAX_PAIR_MENTIONS:
            break
    for (s, hs), (t, ht) in itertools.permutations(heads, 2):
        if (s.start, t.start) in covered or (t.start, s.start) in covered:
            continue
        length, join = path_length(hs, ht)
        if length > MAX_PATH or index.mention_of(join) is not None:
            continue
        yield s, t, join
