"""``allegiance classify``: the best event between two given actors in a sentence."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from allegiance.errors import InputError
from allegiance.ontology.cameo import codebook
from allegiance.pipeline.coder import Coder
from allegiance.pipeline.stages.classification import confidence, decide
from allegiance.records import ClassifyResult

__all__ = ["ClassifyInput", "classify_records", "parse_classify_record"]

Offsets = tuple[int, int]


@dataclass(frozen=True, slots=True)
class ClassifyInput:
    id: str
    text: str
    source: Offsets | None
    target: Offsets | None


def _locate(text: str, actor: Any, name: str, where: str, avoid: Offsets | None
            ) -> Offsets | None:
    """Offsets of an actor given as {"text", "start"?, "end"?}: given ones, else found."""
    if actor is None:
        return None
    if not isinstance(actor, Mapping) or not isinstance(actor.get("text"), str):
        raise InputError(f"'{name}' must be an object with a string 'text'", where=where)
    start, end = actor.get("start"), actor.get("end")
    if isinstance(start, int) and isinstance(end, int):
        if not 0 <= start < end <= len(text):
            raise InputError(f"'{name}' offsets {start}-{end} fall outside the text", where=where)
        return start, end
    phrase = actor["text"]
    pos = text.find(phrase)
    if avoid is not None and pos == avoid[0]:
        pos = text.find(phrase, avoid[1])
    if pos < 0:
        pos = text.lower().find(phrase.lower())
    return (pos, pos + len(phrase)) if pos >= 0 else None


def parse_classify_record(record: Mapping[str, Any], where: str) -> ClassifyInput:
    doc_id, text = record.get("id"), record.get("text")
    if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool) or doc_id == "":
        raise InputError("record needs an 'id'", where=where)
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"record {doc_id!r} needs a non-empty string 'text'", where=where)
    source = _locate(text, record.get("source"), "source", where, None)
    target = _locate(text, record.get("target"), "target", where, source)
    return ClassifyInput(str(doc_id), text, source, target)


def _trigger(parsed: Any, source: Offsets | None, target: Offsets | None) -> Any:
    """The verb that links the two actors: their lowest common ancestor, else the root."""
    def head_token(span: Offsets | None) -> Any:
        if span is None:
            return None
        toks = [t for t in parsed if span[0] <= t.idx < span[1]]
        return min(toks, key=lambda t: len(list(t.ancestors))) if toks else None

    heads = [h for h in (head_token(source), head_token(target)) if h is not None]
    if not heads:
        return next(iter(parsed.sents)).root
    chains = [[h, *h.ancestors] for h in heads]
    common = [t for t in chains[0] if all(t in c for c in chains[1:])]
    for tok in common:
        if tok.pos_ in ("VERB", "NOUN"):
            return tok
    return chains[0][-1]


def classify_records(coder: Coder, inputs: Iterable[ClassifyInput]) -> Iterator[ClassifyResult]:
    """One result per input, in order."""
    batch = list(inputs)
    res = coder.resources
    probs = res.class_probs([(x.text, x.source, x.target) for x in batch])
    parses = res.nlp.pipe((x.text for x in batch), batch_size=64)
    for x, p, parsed in zip(batch, probs, parses, strict=True):
        trigger = _trigger(parsed, x.source, x.target)
        folded = [trigger, *(c for c in trigger.children if c.dep_ in ("xcomp", "prt", "dobj"))]
        d = decide(p, res.patterns.hits_for(folded))
        code = codebook()[d.cameo if d else "010"]
        conf = confidence(d, has_source=x.source is not None, has_target=x.target is not None,
                          core_roles=True, mode="asserted") if d else 0.1
        yield ClassifyResult(x.id, code.code, code.root, code.plover, code.quad, conf)
