"""Actor phrase -> country accuracy on the dev gold sets, and find_mentions speed.

    .venv/bin/python scripts/eval_actors.py [--data ../shared/data] [--show-errors]

Gold: every event actor with a phrase and a code in eval/plover_gsr.jsonl and
eval/cameo_manual_examples.jsonl. Speed: find_mentions over the first 5,000 items of
bench/world_news_sentences.jsonl on one core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

from allegiance.actors import ActorDictionary

# Old CAMEO country codes in the gold files and the ISO codes the dictionaries use.
LEGACY = {"ITL": "ITA", "JAP": "JPN", "VTN": "VNM"}


def gold_actors(data: Path) -> list[tuple[str, str, str, str, str | None]]:
    """(set, phrase, gold code, sentence, date) for every coded actor phrase."""
    found = []
    for name in ("plover_gsr.jsonl", "cameo_manual_examples.jsonl"):
        for line in (data / "eval" / name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            for event in record.get("events", []):
                for side in ("source", "target"):
                    phrase, code = event.get(f"{side}_text"), event.get(side)
                    if isinstance(phrase, str) and isinstance(code, str) and code:
                        found.append((name, phrase, code, record["text"], record.get("date")))
    return found


def country_of(code: str) -> str:
    head = code[:3]
    return LEGACY.get(head, head)


def accuracy(actors: ActorDictionary, data: Path, show_errors: bool) -> None:
    rows = gold_actors(data)
    right_country = right_code = answered = 0
    for name, phrase, gold, context, date in rows:
        day = dt.date.fromisoformat(date[:10]) if date else None
        actor = actors.resolve(phrase, date=day, context=context)
        answered += actor is not None
        got_country = actor.country if actor and actor.country else (actor.code[:3]
                                                                     if actor else None)
        ok = got_country == country_of(gold)
        right_country += ok
        right_code += actor is not None and actor.code == gold
        if show_errors and not ok:
            print(f"  {name[:12]:12} {phrase!r:45} gold {gold:10} got "
                  f"{actor.code if actor else None}")
    n = len(rows)
    print(f"actor phrases: {n}  answered: {answered / n:.3f}  "
          f"country accuracy: {right_country / n:.3f}  exact code: {right_code / n:.3f}")


def speed(actors: ActorDictionary, data: Path, limit: int = 5000) -> None:
    path = data / "bench" / "world_news_sentences.jsonl"
    items = []
    with path.open(encoding="utf-8") as handle:
        for _, line in zip(range(limit), handle, strict=False):
            record = json.loads(line)
            items.append((record["text"], record.get("date")))
    started = time.perf_counter()
    mentions = 0
    for text, date in items:
        day = dt.date.fromisoformat(date[:10]) if date else None
        mentions += len(actors.find_mentions(text, date=day))
    took = time.perf_counter() - started
    print(f"find_mentions: {len(items)} items, {mentions} mentions, {took:.2f} s, "
          f"{len(items) / took:,.0f} items/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2]
                        / "shared" / "data")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    actors = ActorDictionary.default()
    print(f"default dictionary loaded in {time.perf_counter() - started:.3f} s")
    accuracy(actors, args.data, args.show_errors)
    speed(actors, args.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
