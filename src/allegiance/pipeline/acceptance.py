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
from allegiance.records import ActorMention

__all__ = ["FEATURES", "AcceptanceModel", "features"]

_QUADS = {"01": 1, "02": 1, "03": 1, "04": 1, "05": 1, "06": 2, "07": 2, "08": 2,
          "09": 3, "10": 3, "11": 3, "12": 3, "13": 3, "14": 3, "15": 4, "16": 4,
          "17": 4, "18": 4, "19": 4, "20": 4}

FEATURES: tuple[str, ...] = (
    "class_prob", "pattern_agrees", "pattern_specific", "fallback", "core_roles",
    "located_target", "no_source", "no_target", "reciprocal",
    "source_state", "source_bare_role", "source_group", "source_has_agent",
    "target_state", "target_bare_role", "target_group", "target_has_agent",
    "domestic", "mode_reported", "mode_future", "mode_hypothetical", "negated",
    "quad_1", "quad_2", "quad_3", "quad_4", "first_sentence", "sentence_index",
    "mentions_in_sentence", "long_sentence", "specific_code",
)


def _actor(m: ActorMention | None) -> tuple[float, float, float, float]:
    """(a state, a bare role, an organisation or group, has a role) for one side."""
    if m is None:
        return 0.0, 0.0, 0.0, 0.0
    code = m.actor.code
    return (float(is_state(m.actor.country)), float(m.actor.country is None),
            float(code[:3] in NON_STATE_PREFIXES), float(m.actor.agent is not None))


def features(f: Frame, source: ActorMention | None, target: ActorMention | None,
             sent: Sentence) -> list[float]:
    """The facts about one dyad of one frame, in FEATURES order."""
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
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")), where=str(path))

    @classmethod
    def default(cls) -> AcceptanceModel | None:
        """The shipped model, or None when the package has none."""
        item = resources.files("allegiance.data").joinpath("model", "acceptance.json")
        if not item.is_file():
            return None
        return cls.from_dict(json.loads(item.read_text(encoding="utf-8")),
                             where="allegiance/data/model/acceptance.json")
