"""The learned acceptance model: its features, its file, and its use as confidence."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from allegiance.classifier.model import default_model_dir
from allegiance.errors import ModelError
from allegiance.pipeline.acceptance import FEATURES, AcceptanceModel, features
from allegiance.pipeline.coder import Coder
from allegiance.pipeline.document import Article
from allegiance.pipeline.stages.evidence import candidates


def test_the_shipped_model_matches_the_features() -> None:
    model = AcceptanceModel.default()
    assert model is not None and len(model.weights) == len(FEATURES)
    assert "train split" in model.info["data"]  # never the frozen test split
    with pytest.raises(ModelError, match="other features"):
        AcceptanceModel.from_dict({**model.to_dict(), "features": ["x"]}, where="probe")


def test_the_learned_confidence_scores_each_dyad(coder: Coder, seed_text: str) -> None:
    learned = coder.replace(use_acceptance=True, min_confidence=0.0)
    hand_set = coder.replace(use_acceptance=False, min_confidence=0.0)
    doc = learned.code(Article(id="s", text=seed_text, date=dt.date(2026, 11, 24)),
                       keep_parses=True)
    model = AcceptanceModel.default()
    assert model is not None
    scored = {(s.code if s else None, t.code if t else None, f.cameo):
              model.probability(features(f, s, t, doc.sentences[f.sentence],
                                         doc.parses[f.sentence]))
              for f, dyads in candidates(doc) for s, t in dyads}
    by_hand = {(e.source.code if e.source else None, e.cameo): e.confidence
               for e in hand_set.code(Article(id="s", text=seed_text,
                                              date=dt.date(2026, 11, 24))).events}
    for e in doc.events:
        key = (e.source.code if e.source else None, e.target.code if e.target else None,
               e.cameo)
        if e.target is not None:
            assert e.confidence == pytest.approx(scored[key])
        else:  # one-sided events keep the hand-set score (learned_scores)
            assert e.confidence == pytest.approx(by_hand[key[0], key[2]])
    appeals = [e for e in doc.events if e.cameo == "0232"]
    assert len(appeals) == 3 and all(0.0 < e.confidence < 1.0 for e in appeals)
    assert any(e.target is None for e in doc.events)


def test_a_bare_role_counts_against_an_event() -> None:
    model = AcceptanceModel.default()
    assert model is not None
    names = list(FEATURES)
    base = [0.0] * len(FEATURES)
    base[names.index("class_prob")] = 0.8
    base[names.index("source_state")] = base[names.index("target_state")] = 1.0
    bare = list(base)
    bare[names.index("target_state")], bare[names.index("target_bare_role")] = 0.0, 1.0
    assert model.probability(bare) < model.probability(base)
    assert dataclasses.replace(model, bias=model.bias + 1).probability(base) > \
        model.probability(base)


def test_parse_facts_say_how_each_actor_hangs_on_the_trigger(coder: Coder) -> None:
    doc = coder.code(Article(id="p", text="Russia attacked Ukraine with drones."),
                     keep_parses=True)
    (f, [(s, t)]), = candidates(doc)
    x = dict(zip(FEATURES, features(f, s, t, doc.sentences[0], doc.parses[0]), strict=True))
    assert x["source_subj"] == x["target_obj"] == x["source_first"] == 1.0
    assert x["trigger_verb"] == x["trigger_root"] == x["target_under_trigger"] == 1.0
    assert x["root_19"] + x["root_18"] + x["root_20"] == 1.0
    # Without the parse those facts are unknown, not guessed.
    bare = dict(zip(FEATURES, features(f, s, t, doc.sentences[0]), strict=True))
    assert bare["source_subj"] == bare["trigger_verb"] == 0.0


def test_the_learned_confidence_needs_a_classifier_with_none(tmp_path: Path) -> None:
    # An older classifier has no NONE: the model would read P(no event) as 0 and pass
    # almost everything, so it says what to do instead.
    src = default_model_dir()
    for name in ("classifier.int8.onnx", "tokenizer.json"):
        shutil.copy(src / name, tmp_path / name)
    config = json.loads((src / "config.json").read_text("utf-8"))
    config["labels"] = [label for label in config["labels"] if label != "NONE"]
    (tmp_path / "config.json").write_text(json.dumps(config), "utf-8")
    with pytest.raises(ModelError, match="--hand-set-confidence"):
        _ = Coder(classifier_dir=tmp_path).resources.acceptance
    assert Coder(classifier_dir=tmp_path, use_acceptance=False).resources.acceptance is None
