"""Is this event right? A learned, calibrated probability for each coded dyad.

The coder proposes events from the parse, the classifier and the verb patterns; most
wrong records on real news are wrong in ways those parts cannot see alone (a bare role
as target, a fallback frame, a caption-like sentence, a verbal event with no named
source). A logistic model over a small set of such facts, trained on our own labelled
news (``labels/``, train split; ``scripts/train_acceptance.py``), turns them into the
event's ``confidence``: the probability that its source, target and root are right.

The weights are data (``data/model/acceptance.json``); without the file the coder
falls back to the hand-set score of ``stages.classification.confidence``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from allegiance.errors import ModelError
from allegiance.ontology.actors import NON_STATE_PREFIXES, is_state
from allegiance.pipeline.document import Frame, Sentence
from allegiance.pipeline.syntax import head_of, path_length
from allegiance.records import ActorMention

__all__ = ["FEATURES", "AcceptanceModel", "features"]

_QUADS = {"01": 1, "02": 1, "03": 1, "04": 1, "05": 1, "06": 2, "07": 2, "08": 2,
          "09": 3, "10": 3, "11": 3, "12": 3, "13": 3, "14": 3, "15": 4, "16": 4,
          "17": 4, "18": 4, "19": 4, "20": 4}

# How an actor's head word hangs in the parse, in groups.
_DEP_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("subj", frozenset({"nsubj", "nsubjpass", "csubj"})),
    ("obj", frozenset({"dobj", "dative", "attr", "oprd"})),
    ("pobj", frozenset({"pobj"})),
    ("mod", frozenset({"poss", "compound", "amod", "nmod", "npadvmod"})),
    ("list", frozenset({"conj", "appos"})),
)
# The preposition an actor is the object of: one that points an action at it, one of
# origin or purpose, a place, "by" (a passive's agent), "of".
_PREP_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("toward", frozenset({"to", "with", "against", "on", "toward", "towards", "at", "into",
                          "over", "upon"})),
    ("from", frozenset({"from", "for"})),
    ("venue", frozenset({"in", "near", "inside", "across", "throughout", "outside",
                         "within", "around"})),
    ("by", frozenset({"by"})),
    ("of", frozenset({"of", "between", "among"})),
)
_REPORTING = frozenset({"say", "tell", "report", "announce", "claim", "state", "add",
                        "write", "quote", "cite", "confirm", "note", "insist"})

FEATURES: tuple[str, ...] = (
    "class_prob", "pattern_agrees", "pattern_specific", "fallback", "core_roles",
    "located_target", "no_source", "no_target", "reciprocal",
    "source_state", "source_bare_role", "source_group", "source_has_agent",
    "target_state", "target_bare_role", "target_group", "target_has_agent",
    "domestic", "mode_reported", "mode_future", "mode_hypothetical", "negated",
    "quad_1", "quad_2", "quad_3", "quad_4", "first_sentence", "sentence_index",
    "mentions_in_sentence", "long_sentence", "specific_code",
    # the parse around the dyad (a sentence that was not parsed gives zeros)
    "pair", "any_pattern",
    *(f"source_{g}" for g, _ in _DEP_GROUPS), *(f"source_prep_{g}" for g, _ in _PREP_GROUPS),
    *(f"target_{g}" for g, _ in _DEP_GROUPS), *(f"target_prep_{g}" for g, _ in _PREP_GROUPS),
    "path_length", "source_first", "trigger_verb", "trigger_noun", "trigger_reporting",
    "trigger_root", "trigger_is_head", "source_under_trigger", "target_under_trigger",
    "quoted", "has_number", "pattern_specificity", "none_prob",
    *(f"root_{r:02d}" for r in range(1, 21)),
)


def _actor(m: ActorMention | None) -> tuple[float, float, float, float]:
    """(a state, a bare role, an organisation or group, has a role) for one side."""
    if m is None:
        return 0.0, 0.0, 0.0, 0.0
    code = m.actor.code
    return (float(is_state(m.actor.country)), float(m.actor.country is None),
            float(code[:3] in NON_STATE_PREFIXES), float(m.actor.agent is not None))


def _head(m: ActorMention, sent: Sentence, parsed: Any) -> Any:
    return head_of([t for t in parsed if m.start <= t.idx + sent.start < m.end])


def _role(tok: Any) -> list[float]:
    """Dependency group and governing-preposition group of an actor's head word."""
    if tok is None:
        return [0.0] * (len(_DEP_GROUPS) + len(_PREP_GROUPS))
    deps = [float(tok.dep_ in group) for _, group in _DEP_GROUPS]
    prep = tok.head.lower_ if tok.dep_ == "pobj" else ""
    if tok.dep_ == "pobj" and tok.head.dep_ == "agent":
        prep = "by"
    return deps + [float(prep in group) for _, group in _PREP_GROUPS]


def _under(tok: Any, trigger: Any) -> float:
    """Whether the actor's head word hangs (within four steps) under the trigger."""
    for _ in range(4):
        if tok is None or tok.head.i == tok.i:
            return 0.0
        tok = tok.head
        if tok.i == trigger.i:
            return 1.0
    return 0.0


def parse_facts(f: Frame, source: ActorMention | None, target: ActorMention | None,
                sent: Sentence, parsed: Any) -> list[float]:
    """The parse facts of FEATURES, "source_subj" to "target_under_trigger"."""
    n = 2 * (len(_DEP_GROUPS) + len(_PREP_GROUPS)) + 9
    if parsed is None or f.trigger_i >= len(parsed):
        return [0.0] * n
    hs = _head(source, sent, parsed) if source else None
    ht = _head(target, sent, parsed) if target else None
    trig = parsed[f.trigger_i]
    length = 0.0
    if hs is not None and ht is not None:
        length = min(path_length(hs, ht)[0], 10) / 10
    return [
        *_role(hs), *_role(ht), length,
        float(source is not None and target is not None and source.start < target.start),
        float(trig.pos_ == "VERB"), float(trig.pos_ in ("NOUN", "PROPN")),
        float(trig.lemma_ in _REPORTING), float(trig.dep_ == "ROOT"),
        float(hs is not None and hs.head.i == trig.i), _under(hs, trig), _under(ht, trig),
    ]


def features(f: Frame, source: ActorMention | None, target: ActorMention | None,
             sent: Sentence, parsed: Any = None) -> list[float]:
    """The facts about one dyad of one frame, in FEATURES order (``parsed``: the
    sentence's spaCy parse, when it has one)."""
    root = (f.cameo or "")[:2]
    quad = _QUADS.get(root, 0)
    domestic = (source is not None and target is not None
                and source.actor.country is not None
                and source.actor.country == target.actor.country)
    return [
        f.class_prob, float(f.pattern_agrees),
        float(any(spec > 0 for _, spec in f.pattern_hits)), float(f.fallback),
        float(f.core_roles), float(f.located_target), float(source is None),
        float(target is None), float(not f.targets and len(f.sources) >= 2),
        *_actor(source), *_actor(target), float(domestic),
        float(f.mode == "reported"), float(f.mode == "future"),
        float(f.mode == "hypothetical"), float(f.negated),
        *(float(quad == q) for q in (1, 2, 3, 4)),
        float(f.sentence == 0), min(f.sentence, 20) / 20, min(len(sent.mentions), 10) / 10,
        float(len(sent.text) > 250), float(len(f.cameo or "") >= 3),
        float(f.pair), float(bool(f.pattern_hits)),
        *parse_facts(f, source, target, sent, parsed),
        float(any(q in sent.text for q in ('"', "\u201c", "\u201d"))),
        float(any(ch.isdigit() for ch in sent.text)),
        min(max((spec for code, spec in f.pattern_hits if code == f.cameo), default=0), 4) / 4,
        f.none_prob,
        *(float(root == f"{r:02d}") for r in range(1, 21)),
    ]


@dataclass(frozen=True, slots=True)
class AcceptanceModel:
    """Logistic weights over FEATURES (standardised with ``mean`` and ``scale``)."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    info: dict[str, Any]
    threshold: float = 0.1  # the default minimum confidence, chosen on dev

    def probability(self, x: Sequence[float]) -> float:
        z = self.bias + sum(w * (v - m) / s for w, v, m, s
                            in zip(self.weights, x, self.mean, self.scale, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(FEATURES), "weights": list(self.weights), "bias": self.bias,
                "mean": list(self.mean), "scale": list(self.scale),
                "threshold": self.threshold, "info": self.info}

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, where: str) -> AcceptanceModel:
        if data.get("features") != list(FEATURES):
            raise ModelError(f"{where} was trained on other features than this version of "
                             "allegiance computes; retrain it with `make train`")
        return cls(tuple(data["weights"]), float(data["bias"]), tuple(data["mean"]),
                   tuple(data["scale"]), dict(data.get("info") or {}),
                   float(data.get("threshold", 0.1)))

    @classmethod
    def load(cls, path: Path) -> AcceptanceModel:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read the acceptance model {path}: {exc}") from exc
        return cls.from_dict(data, where=str(path))

    @classmethod
    def default(cls) -> AcceptanceModel | None:
        """The shipped model, or None when the package has none."""
        item = resources.files("allegiance.data").joinpath("model", "acceptance.json")
        if not item.is_file():
            return None
        return cls.from_dict(json.loads(item.read_text(encoding="utf-8")),
                             where="allegiance/data/model/acceptance.json")
