"""High-precision CAMEO verb patterns over a spaCy dependency parse.

The patterns come from PETRARCH2's CAMEO.2.0.txt (about 8,000 after expansion) and from our curated
``data/verbs/supplement.yaml`` (modern phrasing, event nouns, and at least one pattern for every
CAMEO code); :mod:`allegiance.verbs.verbdict` reads both. They are indexed by trigger lemma, so
matching a token is one dict lookup plus a few set checks on its dependents.

API::

    PatternMatch(code, pattern, trigger_start, trigger_end, specificity, swap=False)
    VerbPatterns.default() -> VerbPatterns                       # shipped patterns, cached
    VerbPatterns(patterns: Iterable[VerbPattern])
    VerbPatterns.match(trigger: Token) -> list[PatternMatch]      # best first, one per code
    VerbPatterns.refine(trigger: Token, root: str) -> str | None  # best code under a CAMEO root
    VerbPatterns.trigger_candidates(sent: Span) -> list[Token]    # tokens that can trigger
    VerbPatterns.codes() -> frozenset[str]                        # every code a pattern yields

Reading the parse (see verbdict for the notation): a *verb* trigger's complement is the subtree of
its children other than subjects, auxiliaries, negation, punctuation, markers and attached
clauses (advcl, relcl, parataxis, verb conjuncts); its ``pre`` region is the subject and left
modifiers. A *noun* trigger's complement is all of its modifiers ("military aid" in "an appeal
for military aid", "air" in "air strikes"). Words match on lemma or lowercase form, so inflection
and modifiers between the verb and its object do not matter; the words of one phrase must come
in order at most three tokens apart.

Ranking: more matched words first (``specificity``: the words of the longest phrase found for
each requirement, plus one per required preposition), curated before PETRARCH2, longer (finer)
codes first. A null pattern (``[---]``: "not an event") that ranks first blocks the trigger.
Negation and modality are not looked at here: "Iran denied sending drones" still matches the
sending (the pipeline marks it negated). ``swap`` means the dictionary codes the event from the
grammatical object to the subject (PETRARCH2's ``[:code]``).

Figures on the dev sets (``scripts/eval_patterns.py``): see ``docs/patterns.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span, Token

from allegiance.verbs.verbdict import Phrase, Slot, VerbPattern, load_default_patterns

__all__ = ["PatternMatch", "VerbPatterns"]

# Dependents that are not part of what a verb does to whom.
_VERB_SKIP = frozenset({
    "nsubj", "nsubjpass", "csubj", "csubjpass", "expl", "aux", "auxpass", "neg", "punct",
    "cc", "mark", "advcl", "relcl", "parataxis", "intj", "meta", "preconj",
})
_SUBJECT = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
_NOUN_SKIP = frozenset({"det", "poss", "punct", "cc", "case", "relcl", "appos", "conj", "predet"})
_PREP_DEPS = frozenset({"prep", "prt", "agent", "dative", "advmod", "mark", "aux"})
_VERB_POS = frozenset({"VERB"})
_NOUN_POS = frozenset({"NOUN", "PROPN"})
_MAX_GAP = 3  # tokens allowed between two words of one phrase ("military and economic aid")

Words = list[tuple[str, str]]  # (lemma, lowercase) per token, in text order


@dataclass(frozen=True, slots=True)
class PatternMatch:
    """A pattern that fits a trigger. Offsets are character offsets into the Doc text."""

    code: str
    pattern: str
    trigger_start: int
    trigger_end: int
    specificity: int
    swap: bool = False

    @property
    def root(self) -> str:
        return self.code[:2]


@dataclass(frozen=True, slots=True)
class _Context:
    """The regions of a trigger's parse that slots look at."""

    post: list[Token]
    pre: list[Token]


def _words(tokens: Iterable[Token]) -> Words:
    return [(t.lemma_.lower(), t.lower_) for t in tokens]


def _subtrees(children: Iterable[Token]) -> list[Token]:
    out = [t for child in children for t in child.subtree]
    out.sort(key=lambda t: t.i)
    return out


def _verb_context(tok: Token) -> _Context:
    post, pre = [], []
    for child in tok.children:
        dep = child.dep_
        if dep == "conj" and child.pos_ in ("VERB", "AUX"):
            continue  # another clause: "arrested X and released Y"
        if dep in _SUBJECT or (child.i < tok.i and dep not in _VERB_SKIP):
            pre.append(child)
        elif dep not in _VERB_SKIP:
            post.append(child)
    return _Context(_subtrees(post), _subtrees(pre))


def _noun_context(tok: Token) -> _Context:
    mods = [c for c in tok.children if c.dep_ not in _NOUN_SKIP]
    return _Context(_subtrees(mods), _subtrees(c for c in mods if c.i < tok.i))


def _phrase_at(words: Words, phrase: Phrase, k: int, prev: int) -> bool:
    forms = phrase[k]
    for j in range(prev + 1, min(prev + 2 + _MAX_GAP, len(words))):
        lemma, lower = words[j]
        if (lemma in forms or lower in forms) and (
            k + 1 == len(phrase) or _phrase_at(words, phrase, k + 1, j)
        ):
            return True
    return False


def _longest_phrase(words: Words, phrases: tuple[Phrase, ...]) -> int:
    """The word count of the longest phrase found in ``words`` (0: none)."""
    best = 0
    for phrase in phrases:
        if len(phrase) <= best:
            continue
        first = phrase[0]
        for i, (lemma, lower) in enumerate(words):
            if (lemma in first or lower in first) and (
                len(phrase) == 1 or _phrase_at(words, phrase, 1, i)
            ):
                best = len(phrase)
                break
    return best


def _prep_score(post: list[Token], slot: Slot) -> int:
    best = 0
    for tok in post:
        if tok.dep_ in _PREP_DEPS and tok.lower_ == slot.prep:
            if not slot.phrases:
                return 1
            inside = [t for t in tok.subtree if t.i != tok.i]
            found = _longest_phrase(_words(inside), slot.phrases)
            best = max(best, 1 + found if found else 0)
    return best


class _Fitter:
    """Scores slots against one trigger, computing each region's words once."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.post_words = _words(ctx.post)
        self.pre_words = _words(ctx.pre)
        # Every form present, to rule out most patterns before scoring them.
        self.bag = {w for pair in self.post_words + self.pre_words for w in pair}

    def score(self, slots: tuple[Slot, ...]) -> int:
        """Words matched by all ``slots`` together, or -1 if one is not met."""
        total = 0
        for slot in slots:
            if slot.where == "prep":
                found = _prep_score(self.ctx.post, slot)
            else:
                words = self.post_words if slot.where == "post" else self.pre_words
                found = _longest_phrase(words, slot.phrases)
            if not found:
                return -1
            total += found
        return total


_Indexed = tuple[VerbPattern, tuple[frozenset[str], ...]]


def _needs(p: VerbPattern) -> tuple[frozenset[str], ...]:
    """Per slot, the forms one of which must be present for the slot to be met."""
    needs = []
    for slot in p.slots:
        if slot.where == "prep":
            needs.append(frozenset({slot.prep or ""}))
        else:
            needs.append(frozenset().union(*(phrase[0] for phrase in slot.phrases)))
    return tuple(needs)


def _rank(item: tuple[int, VerbPattern]) -> tuple[int, bool, int]:
    spec, p = item
    return (spec, p.curated, len(p.code or ""))


class VerbPatterns:
    """Verb and event-noun patterns indexed by trigger lemma."""

    def __init__(self, patterns: Iterable[VerbPattern]) -> None:
        verbs: dict[str, list[_Indexed]] = {}
        nouns: dict[str, list[_Indexed]] = {}
        for p in patterns:
            item = (p, _needs(p))
            if p.pos in ("VERB", "ANY"):
                verbs.setdefault(p.lemma, []).append(item)
            if p.pos in ("NOUN", "ANY"):
                nouns.setdefault(p.lemma, []).append(item)
        self._verbs = {k: tuple(v) for k, v in verbs.items()}
        self._nouns = {k: tuple(v) for k, v in nouns.items()}

    @classmethod
    def default(cls) -> VerbPatterns:
        """The shipped patterns (built once per process)."""
        return _default()

    def _candidates(self, tok: Token) -> tuple[_Indexed, ...]:
        pos = tok.pos_
        if pos in _VERB_POS:
            return self._verbs.get(tok.lemma_.lower(), ())
        if pos in _NOUN_POS:
            return self._nouns.get(tok.lemma_.lower(), ())
        return ()

    def match(self, trigger: Token) -> list[PatternMatch]:
        """Codes the trigger's phrase supports, best first, one match per code."""
        candidates = self._candidates(trigger)
        if not candidates:
            return []
        is_verb = trigger.pos_ in _VERB_POS
        fitter = _Fitter(_verb_context(trigger) if is_verb else _noun_context(trigger))
        bag = fitter.bag
        scored = [
            (spec, p) for p, needs in candidates
            if all(not need.isdisjoint(bag) for need in needs)
            and (spec := fitter.score(p.slots)) >= 0
        ]
        scored.sort(key=_rank, reverse=True)  # stable: ties keep dictionary order
        start, end = trigger.idx, trigger.idx + len(trigger.text)
        out: list[PatternMatch] = []
        seen: set[str] = set()
        for spec, p in scored:
            if p.code is None:
                if not out:
                    return []  # "not an event" is the best reading of this phrase
                continue
            if p.code not in seen:
                seen.add(p.code)
                out.append(PatternMatch(p.code, f"{p.origin} {p.text}", start, end, spec, p.swap))
        return out

    def refine(self, trigger: Token, root: str) -> str | None:
        """The most specific code under CAMEO root ``root`` ("02") the trigger supports."""
        for m in self.match(trigger):
            if m.code.startswith(root):
                return m.code
        return None

    def trigger_candidates(self, sent: Span) -> list[Token]:
        """Tokens of ``sent`` that the dictionary knows as event triggers."""
        return [t for t in sent if self._candidates(t)]

    def codes(self) -> frozenset[str]:
        """Every CAMEO code some pattern can produce."""
        return frozenset(
            p.code for group in (self._verbs, self._nouns) for items in group.values()
            for p, _ in items if p.code is not None
        )


@cache
def _default() -> VerbPatterns:
    return VerbPatterns(load_default_patterns())
