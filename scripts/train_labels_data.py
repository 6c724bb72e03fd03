"""Classifier examples from our labelled news (``labels/``): actor pairs that are events,
and pairs that are not (the ``NONE`` class).

Each document of a split goes whole through the stages up to ``events``, with pair frames; every
ordered actor pair the coder would put forward (the dyads of its frames and the pair
frames) becomes an example: the class of the gold event between the same two actors
(compared by country or organisation, as the scores are), else NONE. The gold events
themselves are added with their own spans, and each one's reversed pair as NONE unless
it is an event too. So the classifier learns, on real news, the decision the verb rules
cannot make: whether anything happened between these two actors, in which direction.

Only the train split is ever read for training (the test split never).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from train_data import Example, class_index, class_of_code, log

from allegiance.classifier.markers import mark
from allegiance.evaluate.labelled import code_document, documents
from allegiance.evaluate.metrics import actor_key
from allegiance.pipeline.coder import Coder
from allegiance.pipeline.config import DEFAULT_STAGES

NONE = "NONE"
Key = tuple[str | None, str | None]


def _gold_classes(data: Path, sentence: dict[str, Any]) -> dict[Key, str]:
    out: dict[Key, str] = {}
    for e in sentence["events"]:
        key = (actor_key(e.get("source")), actor_key(e.get("target")))
        out.setdefault(key, class_of_code(data, e["code"]))
    return out


def _gold_examples(data: Path, sentence: dict[str, Any]) -> Iterator[tuple[str, str]]:
    gold = _gold_classes(data, sentence)
    text = sentence["text"]
    for e in sentence["events"]:
        if e.get("source_start") is None:
            continue
        src = (e["source_start"], e["source_end"])
        tgt = (e["target_start"], e["target_end"]) if e.get("target_start") is not None else None
        yield mark(text, src, tgt), class_of_code(data, e["code"])
        if tgt is not None:
            reverse = (actor_key(e.get("target")), actor_key(e.get("source")))
            if reverse not in gold:
                yield mark(text, tgt, src), NONE


def fold_of(doc_id: str, k: int) -> int:
    """The fold (0..k-1) of a labelled document: a stable hash of its id, so the folds of
    scripts/train_classifier.py --labels-fold and scripts/train_acceptance.py agree."""
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % k


def labels_examples(data: Path, split: str = "train", weight: float = 1.0,
                    leave_out: tuple[int, int] | None = None) -> list[Example]:
    """``leave_out`` (i, k): skip the documents of fold i of k (for out-of-fold readings)."""
    # The stages up to "events": every frame, before any is coded (or dropped uncoded).
    stages = DEFAULT_STAGES[:DEFAULT_STAGES.index("events.v1") + 1]
    coder = Coder(min_confidence=0.0, use_classifier=False, pair_frames=True, stages=stages)
    found: dict[str, str] = {}
    for doc in documents(split):
        if leave_out is not None and fold_of(doc.doc_id, leave_out[1]) == leave_out[0]:
            continue
        coded, spans = code_document(coder, doc)
        for f in coded.frames:
            sent = coded.sentences[f.sentence]
            index = next((i for i, (a, b) in enumerate(spans) if a <= sent.start < b), None)
            if index is None:
                continue
            gold = _gold_classes(data, doc.sentences[index])
            for s in f.sources:
                for t in f.targets or (None,):
                    if t is not None and s.code == t.code:
                        continue
                    key = (actor_key(s.code), actor_key(t.code) if t else None)
                    tgt = (t.start - sent.start, t.end - sent.start) if t else None
                    marked = mark(sent.text, (s.start - sent.start, s.end - sent.start), tgt)
                    found.setdefault(marked, gold.get(key, NONE))
        for sentence in doc.sentences:
            for marked, name in _gold_examples(data, sentence):
                if found.get(marked, NONE) == NONE:
                    found[marked] = name
    out = [Example(m, (class_index(name),), weight, f"labels_{split}") for m, name in found.items()]
    none = sum(1 for ex in out if ex.allowed[0] == class_index(NONE))
    log(f"labels/{split}: {len(out)} pair examples, {none} of them NONE")
    return out


if __name__ == "__main__":
    from train_data import LABELS
    DATA = (Path(__file__).resolve().parents[1] / ".." / "shared" / "data").resolve()
    examples = labels_examples(DATA, sys.argv[1] if len(sys.argv) > 1 else "train")
    from collections import Counter
    print(Counter(LABELS[ex.allowed[0]] for ex in examples).most_common())
