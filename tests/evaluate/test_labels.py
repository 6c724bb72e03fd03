"""Our labelled news set is well formed: codes, spans, splits by document."""

from __future__ import annotations

import json
from pathlib import Path

from allegiance.evaluate.gold import load_gold
from allegiance.evaluate.labelled import LABELS, documents
from allegiance.ontology.cameo import codebook

FILES = sorted(LABELS.glob("*.jsonl"))


def _rows() -> list[dict[str, object]]:
    return [json.loads(line) for p in FILES for line in p.read_text().splitlines() if line]


def test_every_record_is_valid_and_its_spans_point_at_its_words() -> None:
    rows = _rows()
    assert len(rows) >= 1500 and len({r["id"] for r in rows}) == len(rows)
    book = codebook()
    for r in rows:
        assert r["noevents"] == (not r["events"]), r["id"]
        for e in r["events"]:  # type: ignore[attr-defined]
            assert e["code"] in book and e["mode"] in (
                "asserted", "reported", "future", "hypothetical", "historical"), r["id"]
            for side in ("source", "target", "trigger"):
                start = e.get(f"{side}_start")
                if start is not None:
                    text = e[side if side == "trigger" else f"{side}_text"]
                    assert str(r["text"])[start:e[f"{side}_end"]].lower() == text.lower()


def test_splits_are_by_document_and_cover_every_one() -> None:
    splits = json.loads((LABELS / "splits.json").read_text())
    docs = {str(r["doc_id"]) for r in _rows()}
    assert docs <= set(splits)
    parts = {name: {d.doc_id for d in documents(name)} for name in ("train", "dev", "test")}
    assert not parts["train"] & parts["test"] and not parts["dev"] & parts["test"]
    whole = [d for d in documents("test") if d.doc_id.startswith("voa:")]
    assert sum(len(d.sentences) for d in whole) >= 250  # whole articles in the frozen test


def test_the_gold_reader_reads_them(tmp_path: Path) -> None:
    for path in FILES:
        gold = load_gold(path)
        assert gold and any(g.noevents for g in gold) and any(g.events for g in gold)
