"""Choosing the CAMEO code of a frame, and how sure we are of it.

The learned classifier gives a probability per coder class (a CAMEO root, roots 18-20
together); the verb patterns give exact codes where they are sure. A pattern whose
class the classifier also finds plausible wins and fixes the full code; otherwise the
classifier's class is refined to the most specific code the patterns support under it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from allegiance.codebook import CODER_CLASSES, class_of_root

__all__ = ["DEFAULT_CODES", "Decision", "confidence", "decide"]

# The code a class falls back to when no pattern says more: the root's residual
# "not specified below" code, except ASSAULT whose commonest root is 19.
DEFAULT_CODES: dict[str, str] = {
    name: ("190" if name == "ASSAULT" else roots[0] + "0") for name, roots in CODER_CLASSES.items()
}
# A pattern is trusted against the classifier when the classifier gives its class at
# least this much probability.
PATTERN_AGREEMENT = 0.08


@dataclass(frozen=True, slots=True)
class Decision:
    cameo: str
    class_prob: float  # the classifier's probability for the chosen class (None -> prior)
    pattern_code: str | None  # the pattern code that was used, if any
    pattern_agrees: bool


def decide(
    probs: Mapping[str, float] | None,
    pattern_codes: Sequence[str],
    refine: Callable[[str], str | None],
) -> Decision | None:
    """The code for one frame, or None when neither source has anything to say."""
    if probs is None:
        if not pattern_codes:
            return None
        return Decision(pattern_codes[0], 0.5, pattern_codes[0], True)
    for code in pattern_codes:
        p = probs.get(class_of_root(code[:2]), 0.0)
        if p >= PATTERN_AGREEMENT:
            return Decision(code, p, code, True)
    best = max(probs, key=lambda c: probs[c])
    for root in CODER_CLASSES[best]:
        refined = refine(root)
        if refined is not None:
            return Decision(refined, probs[best], refined, False)
    return Decision(DEFAULT_CODES[best], probs[best], None, False)


def confidence(
    decision: Decision, *, has_source: bool, has_target: bool, core_roles: bool, mode: str
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
    return 1.0 / (1.0 + math.exp(-x))
