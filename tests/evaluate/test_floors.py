"""Regression guards: the coder on the dev gold sets, with floors at the figures reached.

Accuracy floors, not timings. A change that drops a figure below its floor fails here
and must say why in its commit (or raise the floor when a figure rises for good).
The figures and how they were reached: BENCHMARKS.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from allegiance.evaluate import evaluate_file
from allegiance.evaluate.labelled import documents, score
from allegiance.pipeline.coder import Coder, CoderConfig
from conftest import SHARED

EVAL = SHARED / "eval"

# (set, metric, floor): the figure on 2026-12-08 less about two points of slack.
# Since 2026-12-08 the default keeps only events the learned confidence (trained on our
# labelled news, threshold chosen for precision) passes: detection and the per-sentence
# figures fell (ConfliBERT detection 0.89 -> 0.63, PLOVER GSR 0.93 -> 0.62) while the
# triples' precision rose (PLOVER GSR 0.35 -> 0.60, CAMEO manual 0.38 -> 0.56). The
# hand-set confidence (use_acceptance=False) keeps the earlier figures (BENCHMARKS.md).
FLOORS = [
    ("cameo_manual_examples", "e2e_root", 0.38),
    ("cameo_manual_examples", "detection", 0.39),
    ("conflibert_cameo_mixed", "e2e_pentaclass", 0.58),
    ("conflibert_cameo_mixed", "detection", 0.60),
    ("plover_gsr", "e2e_root", 0.54),
    ("plover_gsr", "e2e_target_country", 0.72),
    ("plover_gsr", "detection", 0.60),
]
# plover_gsr: 0.41 until co-actors stopped being read as each other's targets (only
# agreements, meetings, cooperation and fighting are reciprocal now), 0.388 since, 0.50
# with the learned confidence.
TRIPLE_FLOORS = {"cameo_manual_examples": 0.30, "plover_gsr": 0.47}  # triples F1

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not EVAL.is_dir(), reason=f"the dev sets live in {EVAL}"),
]


@pytest.fixture(scope="module")
def reports(coder: Coder) -> dict[str, object]:
    names = {name for name, _, _ in FLOORS} | set(TRIPLE_FLOORS)
    return {name: evaluate_file(EVAL / f"{name}.jsonl", coder=coder) for name in names}


@pytest.mark.parametrize(("name", "metric", "floor"), FLOORS)
def test_dev_set_figure_holds(reports: dict[str, object], name: str, metric: str,
                              floor: float) -> None:
    tally = reports[name].tallies[metric]  # type: ignore[attr-defined]
    assert tally.accuracy is not None and tally.accuracy >= floor, (
        f"{name} {metric} {tally.accuracy:.3f} < floor {floor}")


@pytest.mark.parametrize(("name", "floor"), sorted(TRIPLE_FLOORS.items()))
def test_dev_set_triples_hold(reports: dict[str, object], name: str, floor: float) -> None:
    f1 = reports[name].triples["triples"]["f1"]  # type: ignore[attr-defined]
    assert f1 >= floor, f"{name} triples F1 {f1:.3f} < floor {floor}"


def test_petrarch_mechanics_hold() -> None:
    # PETRARCH's unit tests check the parse mechanics on made-up sentences with their own
    # dictionaries: the hand-set confidence, which keeps what the mechanics find.
    validate = EVAL.parent / "petrarch"
    coder = Coder(CoderConfig(actor_files=(validate / "PETR.Validate.actors.txt",
                                           validate / "PETR.Validate.agents.txt"),
                              default_actors=False, use_acceptance=False))
    report = evaluate_file(EVAL / "petrarch_unittest.jsonl", coder=coder)
    assert report.tallies["detection"].accuracy >= 0.81  # 0.827 since the co-actor rule
    assert report.tallies["e2e_source_country"].accuracy >= 0.79


LABELS = Path(__file__).resolve().parents[2] / "labels"


@pytest.mark.skipif(not (LABELS / "splits.json").is_file(), reason="labels/ is not here")
def test_our_labelled_dev_split_holds(coder: Coder) -> None:
    """Our own labelled news, dev split, documents coded whole (scripts/label_eval.py):
    precision 0.464, recall 0.096 on 2026-12-08."""
    result = score(coder, documents("dev"))
    assert result["precision"] >= 0.43, result
    assert result["recall"] >= 0.08, result
