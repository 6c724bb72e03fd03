"""Scoring the coder on our own labelled news (``labels/``), document by document.

Each document is coded whole (its sentences joined), as ``allegiance code`` codes an
article, and each event is matched to the labelled sentence it came from. A predicted
event is right when its (source, target, root) triple, actors compared by country (or
organisation), matches a gold event of that sentence that is not background.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allegiance.evaluate.metrics import actor_key
from allegiance.pipeline.acceptance import features
from allegiance.pipeline.coder import Coder
from allegiance.pipeline.document import Article, CodedDoc
from allegiance.pipeline.stages.evidence import candidates
from allegiance.records import parse_date

__all__ = ["LABELS", "Document", "documents", "dyads", "gold_triples", "score"]

# The labelled set in a source checkout (it is not shipped in the package).
LABELS = Path(__file__).resolve().parents[3] / "labels"
Triple = tuple[str | None, str | None, str]


@dataclass
class Document:
    doc_id: str
    date: str | None
    sentences: list[dict[str, Any]]

    def text_and_spans(self) -> tuple[str, list[tuple[int, int]]]:
        spans, parts, pos = [], [], 0
        for s in self.sentences:
            parts.append(s["text"])
            spans.append((pos, pos + len(s["text"])))
            pos += len(s["text"]) + 1
        return " ".join(parts), spans


def gold_triples(sentence: dict[str, Any]) -> Counter[Triple]:
    return Counter((actor_key(e.get("source")), actor_key(e.get("target")), e["code"][:2])
                   for e in sentence["events"] if e.get("mode") != "historical")


def documents(split: str, labels: Path = LABELS) -> list[Document]:
    """The labelled documents of one split ("all" for every one), sentences in order."""
    splits = json.loads((labels / "splits.json").read_text())
    docs: dict[str, Document] = {}
    for path in sorted(labels.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if split != "all" and splits.get(row["doc_id"]) != split:
                continue
            doc = docs.setdefault(row["doc_id"], Document(row["doc_id"], row.get("date"), []))
            doc.sentences.append(row)
    for doc in docs.values():
        doc.sentences.sort(key=lambda r: r["sent_index"])
    return list(docs.values())


def code_document(coder: Coder, doc: Document) -> tuple[CodedDoc, list[tuple[int, int]]]:
    text, spans = doc.text_and_spans()
    article = Article(id=doc.doc_id, text=text, date=parse_date(doc.date))
    return coder.code(article, keep_parses=True), spans


def _sentence_of(start: int, spans: list[tuple[int, int]]) -> int | None:
    return next((i for i, (a, b) in enumerate(spans) if a <= start < b), None)


def dyads(coder: Coder, doc: Document) -> Iterator[tuple[int, Triple, list[float], bool]]:
    """(labelled sentence, predicted triple, features, right?) for every candidate dyad
    (one-sided ones too: the model learns from them what an event is not, though the
    coder does not use its score for them, see ``learned_scores``)."""
    coded, spans = code_document(coder, doc)
    for f, pairs in candidates(coded):
        sent = coded.sentences[f.sentence]
        index = _sentence_of(sent.start, spans)
        if index is None:
            continue
        gold = gold_triples(doc.sentences[index])
        for s, t in pairs:
            triple = (actor_key(s.code if s else None), actor_key(t.code if t else None),
                      (f.cameo or "")[:2])
            yield (index, triple, features(f, s, t, sent, coded.parses.get(f.sentence)),
                   triple in gold)


def score(coder: Coder, docs: list[Document]) -> dict[str, float]:
    """Triples precision/recall/F1 and sentence-level event detection of the coder's output."""
    tp = n_pred = n_gold = 0
    detect: Counter[tuple[bool, bool]] = Counter()
    for doc in docs:
        coded, spans = code_document(coder, doc)
        predicted: defaultdict[int, Counter[Triple]] = defaultdict(Counter)
        for e in coded.events:
            index = _sentence_of(e.sentence_start, spans)
            if index is not None:
                predicted[index][(actor_key(e.source.code if e.source else None),
                                  actor_key(e.target.code if e.target else None), e.root)] += 1
        for i, sentence in enumerate(doc.sentences):
            gold = gold_triples(sentence)
            tp += sum((gold & predicted[i]).values())
            n_pred += sum(predicted[i].values())
            n_gold += sum(gold.values())
            detect[(bool(gold), bool(predicted[i]))] += 1
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    sentences = sum(detect.values()) or 1
    return {"documents": len(docs), "sentences": sum(detect.values()), "gold": n_gold,
            "predicted": n_pred, "right": tp, "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "detection_accuracy": round((detect[(True, True)] + detect[(False, False)])
                                        / sentences, 3)}
