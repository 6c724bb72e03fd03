"""A blind audit of stored events, the way the project's precision figures are made.

    python scripts/audit.py draw --db events.db -n 100 --seed 1 -o audit/items.jsonl
    # give items.jsonl to two judges, each writing judgments (see JUDGE_FIELDS)
    python scripts/audit.py score audit/items.jsonl judge1.jsonl judge2.jsonl

``draw`` samples events of our coder (asserted, not negated) at random from a store
that was filled from text no model trained on, and writes what a judge needs: the
evidence sentence, the article around it, the coded actors and the CAMEO code with its
name, and nothing of the coder's confidence. ``score`` reads each judge's verdicts and
reports, per judge and for both, how many events are right (actors and direction,
root, a real current action), right at the full code, and how often the judges agree.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

from allegiance.ontology.cameo import codebook
from allegiance.store.query import EventFilter
from allegiance.store.store import Store

JUDGE_FIELDS = ("actors_right", "root_right", "code_right", "real_event")
CONTEXT_CHARS = 1200


def _actor(actor: Any) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {"code": actor.code, "text": actor.text}


def draw(args: argparse.Namespace) -> int:
    with Store(args.db, create=False) as store:
        events = [e for e in store.events(EventFilter(coder="allegiance", modes=("asserted",)))
                  if not e.negated]
        rng = random.Random(args.seed)
        sample = rng.sample(events, min(args.n, len(events)))
        book = codebook()
        with Path(args.output).open("w", encoding="utf-8") as out:
            for number, e in enumerate(sample, start=1):
                text = _article_text(store, e.doc_id)
                start = max(0, (e.sentence_start or 0) - CONTEXT_CHARS // 2)
                item = {
                    "item": number, "event_id": e.id, "sentence": e.sentence,
                    "context": text[start:start + CONTEXT_CHARS] if text else None,
                    "date": e.date, "source": _actor(e.source), "target": _actor(e.target),
                    "cameo": e.cameo, "cameo_name": book[e.cameo].name if e.cameo in book
                    else None, "trigger": e.trigger_text,
                }
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(sample)} of {len(events)} events drawn to {args.output}", file=sys.stderr)
    return 0


def _article_text(store: Store, article_id: str | None) -> str | None:
    if article_id is None:
        return None
    from sqlalchemy import select

    from allegiance.store import schema

    with store.engine.connect() as conn:
        row = conn.execute(select(schema.articles.c.text)
                           .where(schema.articles.c.id == article_id)).first()
    return row[0] if row else None


def _right(j: dict[str, Any]) -> bool:
    return bool(j.get("actors_right") and j.get("root_right") and j.get("real_event"))


def score(args: argparse.Namespace) -> int:
    items = [json.loads(line) for line in Path(args.items).read_text().splitlines() if line]
    judges = [{j["item"]: j for j in map(json.loads, Path(p).read_text().splitlines()) if j}
              for p in args.judgments]
    n = len(items)
    report: dict[str, Any] = {"items": n}
    for k, judged in enumerate(judges, start=1):
        report[f"judge{k}"] = {
            "right": sum(_right(judged.get(i["item"], {})) for i in items),
            "right_full_code": sum(_right(judged.get(i["item"], {}))
                                   and bool(judged[i["item"]].get("code_right"))
                                   for i in items),
            **{f: sum(bool(judged.get(i["item"], {}).get(f)) for i in items)
               for f in JUDGE_FIELDS},
        }
    if len(judges) == 2:
        a = [_right(judges[0].get(i["item"], {})) for i in items]
        b = [_right(judges[1].get(i["item"], {})) for i in items]
        agree = sum(x == y for x, y in zip(a, b, strict=True))
        pa, pb = sum(a) / n, sum(b) / n
        pe = pa * pb + (1 - pa) * (1 - pb)
        report["both_right"] = sum(x and y for x, y in zip(a, b, strict=True))
        report["agreement"] = agree
        report["kappa"] = round((agree / n - pe) / (1 - pe), 3) if pe < 1 else 1.0
    print(json.dumps(report, indent=1))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("draw")
    d.add_argument("--db", required=True)
    d.add_argument("-n", type=int, default=100)
    d.add_argument("--seed", type=int, default=1)
    d.add_argument("-o", "--output", required=True)
    d.set_defaults(run=draw)
    s = sub.add_parser("score")
    s.add_argument("items")
    s.add_argument("judgments", nargs="+")
    s.set_defaults(run=score)
    args = ap.parse_args()
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
