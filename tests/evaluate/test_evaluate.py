"""`allegiance evaluate` on small gold files of each dev-set format."""

from __future__ import annotations

import json
from pathlib import Path

from allegiance.evaluate import evaluate_file, render_report
from allegiance.evaluate.metrics import Tally, actor_key, macro_f1, prf
from allegiance.pipeline.coder import Coder


def write(tmp_path: Path, name: str, records: list[dict[str, object]]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_metrics_helpers() -> None:
    assert macro_f1([("a", "a"), ("b", "a")]) == (2 / 3 + 0) / 2
    assert prf(1, 2, 4) == (0.5, 0.25, 1 / 3)
    assert actor_key("VENGOV") == "VEN" and actor_key("IGOUNOIAE") == "IGOUNO"
    assert actor_key("ITL") == "ITA" and actor_key("SCGSRBMIL") == "SRB"
    t = Tally.empty()
    t.add("x", "x")
    t.add("x", "y")
    assert t.accuracy == 0.5 and t.confusion() == {"x": {"x": 1, "y": 1}}


def test_event_gold_with_codes_and_actors(tmp_path: Path, coder: Coder) -> None:
    gold = write(tmp_path, "gold.jsonl", [
        {"id": "g1", "text": "Israeli jets bombed Hamas positions in Gaza on Monday.",
         "events": [{"source": "ISR", "target": "PSE", "code": "195",
                     "source_text": "Israeli jets", "target_text": "Hamas"}]},
        {"id": "g2", "text": "The weather was mild in the capital.", "events": [],
         "noevents": True},
        {"id": "g3", "text": "Brazil signed a trade agreement with Argentina.",
         "events": [{"source": "BRA", "target": "ARG", "code": "057"}]},
    ])
    rep = evaluate_file(gold, coder=coder)
    assert rep.records == 3
    assert rep.tallies["e2e_root"].accuracy == 1.0
    assert rep.tallies["e2e_code"].n == 2
    assert rep.tallies["detection"].accuracy == 1.0
    assert rep.triples["triples"]["recall"] == 1.0
    assert rep.tallies["actor_country"].n == 2
    text = render_report(rep, worst=5)
    assert "e2e_root" in text and "triples" in text
    assert json.dumps(rep.to_dict())


def test_plv_style_pairs_are_scored_as_classification(tmp_path: Path, coder: Coder) -> None:
    gold = write(tmp_path, "plv.jsonl", [
        {"id": "p1", "text": "Kenya and Tanzania agreed to hold joint naval patrols.",
         "source_text": "Kenya", "target_text": "Tanzania", "plover": "AGREE", "quad": 1},
        {"id": "p2", "text": "Russian artillery shelled Ukrainian positions near Kharkiv.",
         "source_text": "Russian artillery", "target_text": "Ukrainian positions",
         "plover": "ASSAULT", "quad": 4},
    ])
    rep = evaluate_file(gold, coder=coder)
    plover = rep.tallies["classify_plover"]
    assert plover.n == 2 and plover.accuracy == 1.0
    assert rep.tallies["classify_pentaclass"].n == 2
