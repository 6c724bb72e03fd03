"""The event classifier: marker insertion, windowing, and the real shipped ONNX model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from allegiance.classifier import (
    MARKERS,
    EventClassifier,
    MarkedEncoder,
    default_model_dir,
    mark,
    window,
)
from allegiance.errors import ModelError
from allegiance.ontology.cameo import CODER_CLASSES

# ---------------------------------------------------------------------------- mark


def test_mark_both_actors() -> None:
    text = "Israeli jets bombed Gaza on Monday."
    assert mark(text, (0, 12), (20, 24)) == "<s>Israeli jets</s> bombed <t>Gaza</t> on Monday."


def test_mark_target_before_source() -> None:
    text = "Gaza was bombed by Israeli jets."
    assert mark(text, (19, 31), (0, 4)) == "<t>Gaza</t> was bombed by <s>Israeli jets</s>."


def test_mark_one_sided_and_none() -> None:
    text = "Russia massed troops on the border."
    assert mark(text, (0, 6), None) == "<s>Russia</s> massed troops on the border."
    assert mark(text, None, None) == text
    assert mark(text, None, (0, 6)) == "<t>Russia</t> massed troops on the border."


def test_mark_span_at_text_end() -> None:
    assert mark("Talks with Iran", (0, 5), (11, 15)) == "<s>Talks</s> with <t>Iran</t>"


def test_mark_same_span_nests() -> None:
    assert mark("Iran rearms", (0, 4), (0, 4)) == "<s><t>Iran</t></s> rearms"


def test_mark_nested_spans() -> None:
    out = mark("Iranian army units moved", (0, 18), (0, 7))
    assert out == "<s><t>Iranian</t> army units</s> moved"
    out = mark("Iranian army units moved", (0, 7), (0, 18))
    assert out == "<t><s>Iranian</s> army units</t> moved"


def test_mark_crossing_spans_are_untangled() -> None:
    text = "Israeli jets bombed Gaza"
    out = mark(text, (0, 12), (8, 19))
    assert out == "<s>Israeli jets</s><t> bombed</t> Gaza"
    assert out.index("</s>") < out.index("<t>")


def test_mark_bad_spans_are_clamped_or_dropped() -> None:
    text = "Israeli jets bombed Gaza"
    assert mark(text, (5, 3), (20, 99)) == "Israeli jets bombed <t>Gaza</t>"
    assert mark(text, (-4, 7), (7, 7)) == "<s>Israeli</s> jets bombed Gaza"


def test_mark_defuses_literal_markers() -> None:
    out = mark("a <s> b </t>", (0, 1), None)
    assert out.count("<s>") == 1 and "</t>" not in out


# ---------------------------------------------------------------------------- window


def test_window_keeps_short_rows() -> None:
    assert window([101, 5, 6, 102], 8, {5}) == [101, 5, 6, 102]


def test_window_centres_on_markers() -> None:
    body = list(range(1000, 1100))
    body[80], body[85] = 1, 2  # the markers, late in a long sentence
    out = window([101, *body, 102], 20, {1, 2})
    assert len(out) == 20 and out[0] == 101 and out[-1] == 102
    assert 1 in out and 2 in out


# ---------------------------------------------------------------------------- model


@pytest.fixture(scope="module")
def clf() -> EventClassifier:
    return EventClassifier.default()


@pytest.mark.slow
def test_labels_are_the_coder_classes_and_none(clf: EventClassifier) -> None:
    assert clf.labels == (*CODER_CLASSES, "NONE")
    assert EventClassifier.default() is clf


@pytest.mark.slow
def test_none_says_nothing_happened_between_the_two(clf: EventClassifier) -> None:
    # Learnt from our labelled news: two actors in a sentence need not be an event.
    none = clf.labels.index("NONE")
    quiet, agreed = clf.predict_proba([
        "<s>Russian</s> tourists flocked to beaches in <t>Turkey</t> this summer.",
        "<s>Kenya</s> and <t>Tanzania</t> agreed to hold joint naval patrols.",
    ])
    assert quiet.argmax() == none
    assert agreed[none] < 0.1


@pytest.mark.slow
def test_probabilities_shape_and_sum(clf: EventClassifier) -> None:
    texts = [
        "<s>Kenya</s> and <t>Tanzania</t> agreed to hold joint naval patrols.",
        "<s>Protesters</s> marched on parliament.",
        "no markers at all",
        "",
    ]
    proba = clf.predict_proba(texts, batch_size=3)
    assert proba.shape == (4, len(clf.labels))
    assert np.allclose(proba.sum(axis=1), 1.0, atol=1e-4)
    assert (proba >= 0).all()
    assert clf.predict_proba([]).shape == (0, len(clf.labels))


@pytest.mark.slow
def test_order_does_not_depend_on_batching(clf: EventClassifier) -> None:
    texts = [f"<s>Country {i}</s> {'very ' * i}strongly condemned <t>its rival</t>."
             for i in range(7)]
    one = clf.predict_proba(texts, batch_size=1)
    many = clf.predict_proba(texts, batch_size=4)
    # Padding changes int8 activation ranges a little (up to 0.07 seen with the model of
    # 2026-12-08); the rows must stay in order and keep their best class.
    assert np.allclose(one, many, atol=0.08)
    assert (one.argmax(axis=1) == many.argmax(axis=1)).all()


@pytest.mark.slow
def test_long_text_keeps_markers(clf: EventClassifier) -> None:
    filler = "In other news, markets were calm and the weather was mild. " * 30
    text = filler + "<s>Rebel fighters</s> shelled <t>the army base</t> overnight."
    encoder = MarkedEncoder(Tokenizer.from_file(str(default_model_dir() / "tokenizer.json")),
                            128)
    ids = encoder.ids([text])[0]
    assert len(ids) == 128
    assert {encoder.tokenizer.token_to_id(m) for m in MARKERS} <= set(ids)
    proba = clf.predict_proba([text])[0]
    top3 = {clf.labels[i] for i in np.argsort(proba)[-3:]}
    assert "ASSAULT" in top3


# The classes follow PLV's labelling (the CAMEO2PLOVER-2021 table): signing an accord is
# SUPPORT (CAMEO 057), agreeing to do something is AGREE, imposing sanctions is COERCE (163),
# cutting ties or aid is SANCTION (16x).
CLEAR_CASES = [
    ("<s>Israeli jets</s> bombed <t>Gaza</t> overnight, killing a dozen people.", {"ASSAULT"}),
    ("<s>Pakistani artillery</s> shelled positions held by <t>Indian troops</t> on Sunday.",
     {"ASSAULT"}),
    ("<s>Chile</s> and <t>Argentina</t> have agreed to open talks on their border dispute "
     "next month.", {"AGREE"}),
    ("<s>Chile</s> and <t>Argentina</t> signed a treaty on Thursday settling their border "
     "dispute.", {"SUPPORT", "AGREE"}),
    ("The foreign minister of <s>Norway</s> met his <t>Brazilian</t> counterpart in Oslo "
     "for talks on trade.", {"CONSULT"}),
    ("<s>Norway</s> froze its development assistance to <t>Uganda</t> over the new law.",
     {"SANCTION"}),
    ("<s>The European Union</s> imposed new sanctions on <t>Belarus</t> over the crackdown.",
     {"COERCE", "SANCTION"}),
    ("<s>Police</s> arrested dozens of <t>opposition activists</t> in the capital.",
     {"COERCE"}),
    ("<s>The prime minister</s> sharply criticized <t>the central bank</t> for raising rates.",
     {"ACCUSE"}),
    # A pledge is CAMEO 033, intent to provide aid (root 03, AGREE); PLOVER calls it AID.
    ("<s>Japan</s> pledged $50 million in humanitarian aid to <t>flood victims in Pakistan</t>.",
     {"AID", "AGREE"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("marked", "expected"), CLEAR_CASES)
def test_clear_sentences(clf: EventClassifier, marked: str, expected: set[str]) -> None:
    (best, p), = clf.predict([marked])
    assert best in expected, (best, p)


# ---------------------------------------------------------------------------- errors


def test_missing_files_raise_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="missing"):
        EventClassifier.load(tmp_path)


def test_bad_config_raises_model_error(tmp_path: Path) -> None:
    src = default_model_dir()
    for name in ("classifier.int8.onnx", "tokenizer.json"):
        shutil.copy(src / name, tmp_path / name)
    (tmp_path / "config.json").write_text(json.dumps({"labels": ["A"], "markers": ["x"]}))
    with pytest.raises(ModelError, match="markers"):
        EventClassifier.load(tmp_path)


def test_shipped_config_matches_markers() -> None:
    config = json.loads((default_model_dir() / "config.json").read_text("utf-8"))
    assert tuple(config["markers"]) == MARKERS
    assert config["labels"] == [*CODER_CLASSES, "NONE"]
