"""Choosing the CAMEO code of a frame, and how sure we are of it.

The learned classifier gives a probability per coder class (a CAMEO root, roots 18-20
together); the verb patterns give exact codes where they are sure. A pattern whose
class the classifier also finds plausible wins and fixes the full code; otherwise the
classifier's class is refined to the most specific code the patterns support under it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from allegiance.ontology.cameo import CODER_CLASSES, code_class
from allegiance.pipeline.document import CodedDoc, Frame, Sentence
from allegiance.pipeline.stages.base import BatchStage
from allegiance.records import ActorMention

__all__ = ["DEFAULT_CODES", "NONE", "Classification", "Decision", "confidence", "decide",
           "split_none"]

# The classifier's "no event between these two actors" class (a model trained on our
# labelled news has it; an older one does not).
NONE = "NONE"


def split_none(probs: Mapping[str, float]) -> tuple[dict[str, float], float]:
    """The event classes' probabilities given that there is an event, and P(no event)."""
    none = float(probs.get(NONE, 0.0))
    rest = {c: p for c, p in probs.items() if c != NONE}
    total = sum(rest.values()) or 1.0
    return {c: p / total for c, p in rest.items()}, none

# The code a class falls back to when no pattern says more: the root's residual
# "not specified below" code, except ASSAULT whose commonest root is 19.
DEFAULT_CODES: dict[str, str] = {
    name: ("190" if name == "ASSAULT" else roots[0] + "0") for name, roots in CODER_CLASSES.items()
}
# A pattern is trusted against the classifier when the classifier gives its class at
# least this much probability: a little for a pattern that needed words beyond the
# verb ("asked ... for military aid"), more for a bare verb ("said").
SPECIFIC_AGREEMENT = 0.02
BARE_AGREEMENT = 0.15


@dataclass(frozen=True, slots=True)
class Decision:
    cameo: str
    class_prob: float  # the classifier's probability for the chosen class (None -> prior)
    pattern_code: str | None  # the pattern code that was used, if any
    pattern_agrees: bool


def decide(
    probs: Mapping[str, float] | None,
    hits: Sequence[tuple[str, int]],
    *,
    one_sided: bool = False,
) -> Decision | None:
    """The code for one frame from the class probabilities and the pattern hits.

    ``hits`` are (code, specificity) pairs, most specific first; specificity is the
    number of words a pattern needed besides its trigger. Without a target the
    classifier reads the sentence half-blind, so a specific pattern then wins outright.
    Returns None when neither
    the classifier nor a pattern has anything to say.
    """
    if probs is None:
        if not hits:
            return None
        return Decision(hits[0][0], 0.5, hits[0][0], True)
    probs, _ = split_none(probs)
    for code, specificity in hits:
        p = probs.get(code_class(code), 0.0)
        needed = SPECIFIC_AGREEMENT if specificity > 0 else BARE_AGREEMENT
        if p >= needed or (one_sided and specificity > 0):
            return Decision(code, p, code, True)
    best = max(probs, key=lambda c: probs[c])
    for code, _ in hits:
        if code_class(code) == best:  # the most specific code the patterns give the class
            return Decision(code, probs[best], code, False)
    return Decision(DEFAULT_CODES[best], probs[best], None, False)


def confidence(
    decision: Decision, *, has_source: bool, has_target: bool, core_roles: bool, mode: str,
    fallback: bool = False,
) -> float:
    """A score in [0, 1] that orders events by how likely they are right.

    A logistic combination of the evidence; weights set by hand against the dev sets
    (see BENCHMARKS.md for how it sorts there).
    """
    x = -1.6 + 3.0 * decision.class_prob
    x += 1.3 if decision.pattern_agrees else 0.0
    x += 0.5 if core_roles else 0.0
    x += 0.4 if has_target else -0.3
    x += 0.3 if has_source else -0.8
    x -= 0.3 if mode in ("hypothetical", "historical") else 0.0
    x -= 0.8 if fallback else 0.0
    return 1.0 / (1.0 + math.exp(-x))


def _marked_span(m: ActorMention | None, sent: Sentence) -> tuple[int, int] | None:
    return None if m is None else (m.start - sent.start, m.end - sent.start)


class Classification(BatchStage):
    """The CAMEO code of each frame: classifier class + verb patterns."""

    name = "classification"
    requires = ("sentences", "frames")
    assigns = ("frames.cameo",)

    def pipe(self, docs: Sequence[CodedDoc]) -> list[CodedDoc]:
        keys = {k: None for doc in docs for f in doc.frames if (k := self._key(doc, f))}
        probs = dict(zip(keys, self.res.class_probs(list(keys)), strict=True))
        out = []
        for doc in docs:
            frames = []
            for f in doc.frames:
                key = self._key(doc, f)
                if key is None:  # one-sided: only a specific verb pattern can code it
                    decision = decide(None, [h for h in f.pattern_hits if h[1] > 0])
                else:
                    decision = decide(probs[key], f.pattern_hits, one_sided=not f.targets)
                read = probs[key] if key is not None else None
                none = split_none(read)[1] if read is not None else 0.0
                if decision is not None:
                    frames.append(dataclasses.replace(
                        f, cameo=decision.cameo, class_prob=decision.class_prob,
                        pattern_agrees=decision.pattern_agrees, none_prob=none,
                    ))
            out.append(dataclasses.replace(doc, frames=tuple(frames)))
        return out

    @staticmethod
    def _key(doc: CodedDoc, f: Frame) -> tuple[str, Any, Any] | None:
        """The classifier input of a frame; None for one-sided frames.

        The classifier learnt from actor pairs and costs most of the coding time, so it
        reads only frames with two sides; frames sharing a pair share one reading.
        """
        if not f.targets and len(f.sources) < 2:
            return None
        sent = doc.sentences[f.sentence]
        src = f.sources[0] if f.sources else None
        tgt = f.targets[0] if f.targets else f.sources[1]
        return sent.text, _marked_span(src, sent), _marked_span(tgt, sent)
