"""Running a gold set through the coder and gathering every figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allegiance.evaluate.gold import GoldRecord, load_gold
from allegiance.evaluate.metrics import Tally, actor_key, count_matches, prf
from allegiance.ontology.cameo import code_class, codebook
from allegiance.pipeline.classify import ClassifyInput, classify_records
from allegiance.pipeline.coder import Coder
from allegiance.pipeline.document import Article, parse_date
from allegiance.records import Event

__all__ = ["EvalReport", "evaluate_file", "render_report"]

# PLOVER naming of the coder's classes: appeals are requests, investigating is ACCUSE.
_PLV_NAME = {"APPEAL": "REQUEST", "INVESTIGATE": "ACCUSE", "DEMAND": "REQUEST"}


def plv_class(code: str) -> str:
    """PLOVER category of a CAMEO code (CAMEO2PLOVER-2021), or a category name itself."""
    name = code_class(code) if code[:1].isdigit() else code
    return _PLV_NAME.get(name, name)


@dataclass
class EvalReport:
    gold: str
    records: int
    tallies: dict[str, Tally] = field(default_factory=dict)
    triples: dict[str, dict[str, float]] = field(default_factory=dict)
    worst: list[dict[str, Any]] = field(default_factory=list)
    # (confidence, right?) of each top event: does sorting by confidence put right first?
    ranked: list[tuple[float, bool]] = field(default_factory=list)

    @property
    def confidence_auc(self) -> float | None:
        """Chance that a right top event outranks a wrong one (ROC AUC); 0.5 = no signal."""
        right = [c for c, ok in self.ranked if ok]
        wrong = [c for c, ok in self.ranked if not ok]
        if not right or not wrong:
            return None
        wins = sum((r > w) + 0.5 * (r == w) for r in right for w in wrong)
        return wins / (len(right) * len(wrong))

    def tally(self, name: str) -> Tally:
        return self.tallies.setdefault(name, Tally.empty())

    def to_dict(self) -> dict[str, Any]:
        metrics = {
            name: {"n": t.n, "accuracy": t.accuracy, "macro_f1": t.macro_f1}
            for name, t in self.tallies.items() if t.n
        }
        confusion = {name: t.confusion() for name, t in self.tallies.items()
                     if name in ("classify_plover", "classify_pentaclass", "e2e_class") and t.n}
        return {"gold": self.gold, "records": self.records, "metrics": metrics,
                "confidence_auc": self.confidence_auc,
                "triples": self.triples, "confusion": confusion, "worst": self.worst}


def _top(events: list[Event]) -> Event | None:
    return max(events, key=lambda e: e.confidence) if events else None


def _score_record(rep: EvalReport, rec: GoldRecord, events: list[Event]) -> None:
    top = _top(events)
    # Does the coder find an event exactly where the gold has one?
    rep.tally("detection").add(not rec.noevents and bool(rec.events), bool(events))
    if rec.noevents or not rec.events:
        return
    g = rec.events[0]
    pred_root = top.root if top else "none"
    if g.code:
        rep.tally("e2e_root").add(g.code[:2], pred_root)
        rep.tally("e2e_code").add(g.code, top.cameo if top else "none")
        rep.tally("e2e_quad").add(codebook()[g.code].quad, top.quad if top else 0)
        rep.tally("e2e_plover").add(codebook()[g.code].plover, top.plover if top else "none")
    if g.root:
        gold_class = plv_class(g.code or g.plover or g.root)
        rep.tally("e2e_class").add(gold_class, plv_class(top.cameo) if top else "none")
    if g.pentaclass is not None:
        pred_penta = codebook()[top.cameo].pentaclass if top else -1
        rep.tally("e2e_pentaclass").add(g.pentaclass, pred_penta)
    if g.source and top:
        rep.tally("e2e_source_country").add(actor_key(g.source),
                                            actor_key(top.source.code if top.source else None))
    if g.target and top:
        rep.tally("e2e_target_country").add(actor_key(g.target),
                                            actor_key(top.target.code if top.target else None))
    _worst_candidate(rep, rec, top)


def _worst_candidate(rep: EvalReport, rec: GoldRecord, top: Event | None) -> None:
    g = rec.events[0]
    gold = g.code or g.plover or g.root
    right = top is not None and gold is not None and plv_class(top.cameo) == plv_class(gold)
    if top is not None and gold is not None:
        rep.ranked.append((top.confidence, right))
    if not right and g.root:
        rep.worst.append({
            "id": rec.id, "text": rec.text[:300], "gold": g.code or g.plover,
            "gold_actors": [g.source, g.target],
            "pred": top.cameo if top else None,
            "pred_actors": [top.source.code if top and top.source else None,
                            top.target.code if top and top.target else None],
            "confidence": round(top.confidence, 3) if top else 0.0,
        })


def _triples(rep: EvalReport, gold: list[GoldRecord], preds: list[list[Event]]) -> None:
    """(source, target, root) triples, and (source, target) dyads whatever the code.

    Dyads score the actor mechanics alone (compound actors, agents, no-event records),
    which is all the PETRARCH unit tests can measure: their codes are WEIS, not CAMEO.
    """
    counts = {"triples": [0, 0, 0], "dyads": [0, 0, 0]}
    for rec, events in zip(gold, preds, strict=True):
        g = [(actor_key(e.source), actor_key(e.target), e.root) for e in rec.events if e.source]
        if not g and not rec.noevents:
            continue
        p = [(actor_key(e.source.code if e.source else None),
              actor_key(e.target.code if e.target else None), e.root) for e in events]
        for name, keep in (("triples", 3), ("dyads", 2)):
            gk = [x[:keep] for x in g if keep == 2 or x[2]]
            c = counts[name]
            c[0] += count_matches(gk, [x[:keep] for x in p])
            c[1] += len(p)
            c[2] += len(gk)
    for name, (tp, n_pred, n_gold) in counts.items():
        if n_gold:
            precision, recall, f1 = prf(tp, n_pred, n_gold)
            rep.triples[name] = {"precision": precision, "recall": recall, "f1": f1,
                                 "gold": n_gold, "predicted": n_pred}


def _actor_resolution(rep: EvalReport, coder: Coder, gold: list[GoldRecord]) -> None:
    """Actor phrase -> country, through the same resolver as `actors resolve`."""
    actors = coder.resources.actors
    for rec in gold:
        date = parse_date(rec.date) if rec.date else None
        for e in rec.events:
            for text, code in ((e.source_text, e.source), (e.target_text, e.target)):
                if text and code:
                    got = actors.resolve(text, date=date, context=rec.text)
                    rep.tally("actor_country").add(actor_key(code),
                                                   actor_key(got.code if got else None))


def _classify(rep: EvalReport, coder: Coder, gold: list[GoldRecord]) -> None:
    inputs, labels = [], []
    for rec in gold:
        if not rec.pairs_given or rec.noevents:
            continue
        g = rec.events[0]
        assert g.source_text and g.target_text
        s = rec.text.find(g.source_text)
        t = rec.text.find(g.target_text, s + len(g.source_text) if s >= 0 else 0)
        if t < 0:
            t = rec.text.find(g.target_text)
        inputs.append(ClassifyInput(rec.id, rec.text,
                                    (s, s + len(g.source_text)) if s >= 0 else None,
                                    (t, t + len(g.target_text)) if t >= 0 else None))
        labels.append(g)
    for g, out in zip(labels, classify_records(coder, inputs), strict=True):
        if g.plover:
            rep.tally("classify_plover").add(plv_class(g.plover), plv_class(out.cameo))
        if g.pentaclass is not None:
            rep.tally("classify_pentaclass").add(g.pentaclass, codebook()[out.cameo].pentaclass)


def evaluate_file(path: Path, *, coder: Coder, limit: int | None = None) -> EvalReport:
    gold = load_gold(path)[:limit]
    rep = EvalReport(gold=str(path), records=len(gold))
    articles = [Article(id=r.id, text=r.text, date=_date(r.date)) for r in gold]
    preds = [list(doc.events) for doc in coder.pipe(articles)]
    for rec, events in zip(gold, preds, strict=True):
        _score_record(rep, rec, events)
    _triples(rep, gold, preds)
    _actor_resolution(rep, coder, gold)
    _classify(rep, coder, gold)
    rep.worst.sort(key=lambda w: -w["confidence"])
    return rep


def _date(value: str | None) -> dt.date | None:
    try:
        return parse_date(value)
    except Exception:
        return None


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def render_report(rep: EvalReport, *, worst: int = 10) -> str:
    lines = [f"gold: {rep.gold}  records: {rep.records}", "",
             f"{'metric':<24} {'n':>5} {'accuracy':>9} {'macro-F1':>9}"]
    for name, t in rep.tallies.items():
        if t.n:
            lines.append(f"{name:<24} {t.n:>5} {_fmt(t.accuracy):>9} {_fmt(t.macro_f1):>9}")
    if rep.confidence_auc is not None:
        lines += [f"confidence ranking of top events (ROC AUC, right vs wrong class): "
                  f"{rep.confidence_auc:.3f}"]
    for name, label in (("triples", "(source, target, root) triples"),
                        ("dyads", "(source, target) dyads")):
        if name in rep.triples:
            tr = rep.triples[name]
            lines += [f"{label}: P {tr['precision']:.3f}  R {tr['recall']:.3f}  "
                      f"F1 {tr['f1']:.3f}  "
                      f"(gold {tr['gold']:.0f}, predicted {tr['predicted']:.0f})"]
    for name in ("classify_plover", "classify_pentaclass", "e2e_class"):
        table = rep.tallies.get(name)
        if table and table.n:
            lines += ["", f"confusion ({name}: gold -> predicted counts)"]
            for g, row in table.confusion().items():
                cells = ", ".join(f"{p}:{n}" for p, n in sorted(row.items(), key=lambda x: -x[1]))
                lines.append(f"  {g:<12} {cells}")
    if rep.worst and worst:
        lines += ["", f"worst examples (confidently wrong first, {min(worst, len(rep.worst))}):"]
        for w in rep.worst[:worst]:
            lines.append(f"  [{w['id']}] gold {w['gold']} {w['gold_actors']} -> pred {w['pred']} "
                         f"{w['pred_actors']} conf {w['confidence']}")
            lines.append(f"      {w['text'][:160]}")
    return "\n".join(lines)
