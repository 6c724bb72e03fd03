"""Our labelled news set: batches for annotators, validation, agreement, splits.

    python scripts/labels.py batches --voa-docs 40 --wcep 800      # .bench/labels/batches/
    python scripts/labels.py merge OUT.jsonl [OUT2.jsonl ...] -o labels/voa.jsonl
    python scripts/labels.py merge-all                             # labels/raw/ -> labels/*.jsonl
    python scripts/labels.py agree A.jsonl B.jsonl                 # two annotators, same batch
    python scripts/labels.py disagreements A.jsonl B.jsonl -o D.jsonl   # for adjudication
    python scripts/labels.py split                                 # labels/splits.json (frozen)
    python scripts/labels.py stats

Annotators (helpers given docs/annotation.md and whole documents) write, per sentence,
``{"id", "events": [{"source", "source_text", "target", "target_text", "code", "trigger",
"mode", "negated"}]}``; ``merge`` checks every field, finds the spans in the sentence and
writes the final records in the dev-set format with character offsets. Sources:
Voice of America articles (public domain, whole documents) and Wikipedia Current Events
summaries from ``bench/`` (CC BY-SA 4.0), never an item of the demo corpus.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
LABELS = ROOT / "labels"
# The sentences as given to annotators (kept: merge reads them, agreement is over them).
BATCHES = LABELS / "raw" / "batches"
MODES = ("asserted", "reported", "future", "hypothetical", "historical")
ACTOR_CODE = re.compile(r"^[A-Z]{3}([A-Z0-9]{3})*$")
SOURCES = {
    "voa": {"origin": "news_text/voa_news_2009_2017.jsonl (M2E2 text, limanling/m2e2)",
            "licence": "public domain (works of the US government, Voice of America)"},
    "wcep": {"origin": "bench/world_news_sentences.jsonl (Wikipedia Current Events portal)",
             "licence": "CC BY-SA 4.0 (Wikipedia contributors)"},
}
# Splits by document, decided once by a hash of the document id and then frozen in
# labels/splits.json: a document never moves, so the test split never leaks.
SPLIT_SHARES = (("test", 0.30), ("dev", 0.15), ("train", 0.55))


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _digest(key: str) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest()[:12], 16)


# --- batches ------------------------------------------------------------------------------


def voa_documents(n: int, skip: set[str]) -> list[list[dict[str, Any]]]:
    """``n`` whole VOA articles (3-40 sentences), in a fixed pseudo-random order."""
    docs = sorted(read_jsonl(SHARED / "news_text" / "voa_news_2009_2017.jsonl"),
                  key=lambda d: _digest(d["id"]))
    out = []
    for doc in docs:
        doc_id = f"voa:{doc['id']}"
        if doc_id in skip or not 3 <= len(doc["sentences"]) <= 40:
            continue
        out.append([{"id": f"{doc_id}:{i}", "doc_id": doc_id, "sent_index": i,
                     "date": doc.get("date"), "text": s}
                    for i, s in enumerate(doc["sentences"])])
        if len(out) == n:
            break
    return out


def wcep_items(n: int, skip: set[str], seed: int) -> list[dict[str, Any]]:
    """``n`` bench items spread over years and categories, none from the demo corpus."""
    demo = {_norm(r["text"]) for r in read_jsonl(SHARED / "samples" / "world_news_demo.jsonl")}
    strata: defaultdict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for item in read_jsonl(SHARED / "bench" / "world_news_sentences.jsonl"):
        doc_id = f"wcep:{item['id']}"
        if doc_id in skip or _norm(item["text"]) in demo or len(item["text"]) < 40:
            continue
        strata[(item["date"][:4], item.get("category") or "")].append(item)
    rng = random.Random(seed)
    for items in strata.values():
        rng.shuffle(items)
    keys = sorted(strata)
    chosen: list[dict[str, Any]] = []
    while len(chosen) < n and any(strata.values()):
        for key in keys:  # round-robin over (year, category): every stratum gets its share
            if strata[key] and len(chosen) < n:
                chosen.append(strata[key].pop())
    return [{"id": f"wcep:{i['id']}", "doc_id": f"wcep:{i['id']}", "sent_index": 0,
             "date": i["date"], "text": i["text"], "category": i.get("category")}
            for i in sorted(chosen, key=lambda i: _digest(i["id"]))]


def make_batches(args: argparse.Namespace) -> int:
    skip = {r["doc_id"] for p in LABELS.glob("*.jsonl") for r in read_jsonl(p)}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    batch: list[dict[str, Any]] = []
    number = args.first
    for doc in voa_documents(args.voa_docs, skip):
        batch.extend(doc)
        if len(batch) >= args.per_batch:
            write_jsonl(out / f"voa-{number:03d}.jsonl", batch)
            batch, number = [], number + 1
    if batch:
        write_jsonl(out / f"voa-{number:03d}.jsonl", batch)
        number += 1
    items = wcep_items(args.wcep, skip, args.seed)
    for start in range(0, len(items), args.per_batch):
        write_jsonl(out / f"wcep-{number:03d}.jsonl", items[start:start + args.per_batch])
        number += 1
    print(f"batches {args.first:03d}-{number - 1:03d} in {out}", file=sys.stderr)
    return 0


# --- merge: validate and place spans ------------------------------------------------------


def _codebook() -> set[str]:
    rows = (ROOT / "src" / "allegiance" / "data" / "cameo_codes.tsv").read_text().splitlines()
    return {r.split("\t")[0] for r in rows[1:] if r.strip()}


def _place(text: str, phrase: str | None, after: int = 0) -> tuple[int, int] | None:
    """Offsets of ``phrase`` in ``text``: exact, else ignoring case; None if absent."""
    if not phrase:
        return None
    for hay, needle in ((text, phrase), (text.lower(), phrase.lower())):
        pos = hay.find(needle, after)
        if pos < 0:
            pos = hay.find(needle)
        if pos >= 0:
            return pos, pos + len(needle)
    return None


def _event(ev: dict[str, Any], text: str, codes: set[str], where: str,
           problems: list[str]) -> dict[str, Any] | None:
    code = str(ev.get("code") or "")
    if code not in codes:
        problems.append(f"{where}: unknown CAMEO code {code!r}")
        return None
    mode = ev.get("mode") or "asserted"
    if mode not in MODES:
        problems.append(f"{where}: mode {mode!r} is not one of {', '.join(MODES)}")
        return None
    out: dict[str, Any] = {}
    for side in ("source", "target"):
        actor = ev.get(side)
        if actor is not None and not ACTOR_CODE.match(str(actor)):
            problems.append(f"{where}: {side} {actor!r} is not a CAMEO actor code")
            return None
        span = _place(text, ev.get(f"{side}_text"))
        out.update({side: actor, f"{side}_text": ev.get(f"{side}_text") if span else None,
                    f"{side}_start": span[0] if span else None,
                    f"{side}_end": span[1] if span else None})
    trigger = _place(text, ev.get("trigger"))
    out.update({"code": code, "trigger": ev.get("trigger") if trigger else None,
                "trigger_start": trigger[0] if trigger else None,
                "trigger_end": trigger[1] if trigger else None,
                "mode": mode, "negated": bool(ev.get("negated", False))})
    return out


def merge(args: argparse.Namespace) -> int:
    batches = {r["id"]: r for p in sorted(BATCHES.glob("*.jsonl")) for r in read_jsonl(p)}
    codes = _codebook()
    problems: list[str] = []
    rows = []
    for path in map(Path, args.files):
        for label in read_jsonl(path):
            if args.only and not str(label.get("id", "")).startswith(args.only):
                continue
            sent = batches.get(label.get("id", ""))
            if sent is None:
                problems.append(f"{path}: unknown sentence id {label.get('id')!r}")
                continue
            where = f"{path.name}:{sent['id']}"
            events = [e for ev in label.get("events") or []
                      if (e := _event(ev, sent["text"], codes, where, problems)) is not None]
            source = sent["doc_id"].split(":")[0]
            rows.append({**{k: sent[k] for k in ("id", "doc_id", "sent_index", "date", "text")},
                         "events": events, "noevents": not events,
                         "annotator": label.get("annotator") or path.stem.split(".")[-1],
                         **SOURCES[source]})
    for problem in problems:
        print(problem, file=sys.stderr)
    out = Path(args.output)
    old = {r["id"]: r for r in read_jsonl(out)} if out.exists() and not args.replace else {}
    old.update({r["id"]: r for r in rows})
    ordered = sorted(old.values(), key=lambda r: (r["doc_id"], r["sent_index"]))
    n = write_jsonl(out, ordered)
    print(f"{out}: {n} sentences ({len(rows)} merged now, {len(problems)} problems)",
          file=sys.stderr)
    return 1 if problems and args.strict else 0


def merge_all(args: argparse.Namespace) -> int:
    """Rebuild labels/voa.jsonl and labels/wcep.jsonl from labels/raw/: for each batch the
    first annotator's file (by name: A1 before A5, B2...), then every adjudication on top."""
    raw = LABELS / "raw"
    adjudicated = sorted(str(p) for p in raw.glob("adjudicated-*.ADJ.jsonl"))
    status = 0
    for source in ("voa", "wcep"):
        files = []
        for batch in sorted(BATCHES.glob(f"{source}-*.jsonl")):
            done = sorted(raw.glob(f"{batch.stem}.*.jsonl"))
            if done:
                files.append(str(done[0]))
            else:
                print(f"{batch.stem}: not labelled yet, left out", file=sys.stderr)
        ns = argparse.Namespace(files=files + adjudicated, output=str(LABELS / f"{source}.jsonl"),
                                replace=True, strict=True, only=f"{source}:")
        status |= merge(ns)
    return status


# --- agreement ----------------------------------------------------------------------------


def _triples(events: list[dict[str, Any]]) -> Counter[tuple[str | None, str | None, str]]:
    def country(code: str | None) -> str | None:
        if not code:
            return None
        return code[:6] if code.startswith(("IGO", "NGO", "IMG", "MNC")) else code[:3]

    return Counter((country(e.get("source")), country(e.get("target")), e["code"][:2])
                   for e in events if e.get("mode") != "historical")


def agreement(a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Event/no-event kappa and (source, target, root) triple F1 over shared sentences."""
    shared = sorted(set(a) & set(b))
    ya = [bool(_triples(a[i]["events"])) for i in shared]
    yb = [bool(_triples(b[i]["events"])) for i in shared]
    n = len(shared) or 1
    po = sum(x == y for x, y in zip(ya, yb, strict=True)) / n
    pa, pb = sum(ya) / n, sum(yb) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    kappa = (po - pe) / (1 - pe) if pe < 1 else 1.0
    both = sum(sum((_triples(a[i]["events"]) & _triples(b[i]["events"])).values())
               for i in shared)
    na = sum(sum(_triples(a[i]["events"]).values()) for i in shared)
    nb = sum(sum(_triples(b[i]["events"]).values()) for i in shared)
    f1 = 2 * both / (na + nb) if na + nb else 1.0
    return {"sentences": len(shared), "event_kappa": round(kappa, 3),
            "event_agreement": round(po, 3), "triple_f1": round(f1, 3),
            "triples_a": na, "triples_b": nb, "triples_both": both}


def agree(args: argparse.Namespace) -> int:
    a = {r["id"]: r for r in read_jsonl(Path(args.a))}
    b = {r["id"]: r for r in read_jsonl(Path(args.b))}
    print(json.dumps(agreement(a, b), indent=2))
    return 0


def _strict(events: list[dict[str, Any]]) -> Counter[tuple[Any, ...]]:
    return Counter((e.get("source"), e.get("target"), e.get("code"),
                    e.get("mode") == "historical") for e in events)


def disagreements(args: argparse.Namespace) -> int:
    """Sentences two annotators labelled differently (codes, actors or background)."""
    a = {r["id"]: r for r in read_jsonl(Path(args.a))}
    b = {r["id"]: r for r in read_jsonl(Path(args.b))}
    batches = {r["id"]: r for p in sorted(BATCHES.glob("*.jsonl")) for r in read_jsonl(p)}
    rows = [{"id": i, "doc_id": batches[i]["doc_id"], "text": batches[i]["text"],
             "a": a[i]["events"], "b": b[i]["events"]}
            for i in sorted(set(a) & set(b)) if _strict(a[i]["events"]) != _strict(b[i]["events"])]
    n = write_jsonl(Path(args.output), rows)
    print(f"{args.output}: {n} of {len(set(a) & set(b))} sentences disagree", file=sys.stderr)
    return 0


# --- splits -------------------------------------------------------------------------------


def split(args: argparse.Namespace) -> int:
    path = LABELS / "splits.json"
    splits: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    for p in sorted(LABELS.glob("*.jsonl")):
        for r in read_jsonl(p):
            if r["doc_id"] not in splits:
                x = (_digest("split:" + r["doc_id"]) % 10_000) / 10_000
                acc = 0.0
                for name, share in SPLIT_SHARES:
                    acc += share
                    if x < acc:
                        splits[r["doc_id"]] = name
                        break
    path.write_text(json.dumps(dict(sorted(splits.items())), indent=0) + "\n")
    return stats(args)


def stats(args: argparse.Namespace) -> int:
    splits = json.loads((LABELS / "splits.json").read_text()) \
        if (LABELS / "splits.json").exists() else {}
    table: Counter[tuple[str, str, str]] = Counter()
    for p in sorted(LABELS.glob("*.jsonl")):
        for r in read_jsonl(p):
            split_name = splits.get(r["doc_id"], "unsplit")
            table[(p.stem, split_name, "sentences")] += 1
            table[(p.stem, split_name, "events")] += len(r["events"])
    for key, value in sorted(table.items()):
        print(f"{key[0]:<8} {key[1]:<8} {key[2]:<10} {value:>6}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("batches")
    b.add_argument("--voa-docs", type=int, default=40)
    b.add_argument("--wcep", type=int, default=800)
    b.add_argument("--per-batch", type=int, default=80)
    b.add_argument("--first", type=int, default=1)
    b.add_argument("--seed", type=int, default=7)
    b.add_argument("--out", default=str(BATCHES))
    b.set_defaults(run=make_batches)
    m = sub.add_parser("merge")
    m.add_argument("files", nargs="+")
    m.add_argument("-o", "--output", required=True)
    m.add_argument("--replace", action="store_true", help="Do not keep the file's other rows.")
    m.add_argument("--strict", action="store_true", help="Exit 1 on any problem.")
    m.add_argument("--only", default="", help="Keep only ids with this prefix (voa:, wcep:).")
    m.set_defaults(run=merge)
    a = sub.add_parser("agree")
    a.add_argument("a")
    a.add_argument("b")
    a.set_defaults(run=agree)
    sub.add_parser("merge-all").set_defaults(run=merge_all)
    d = sub.add_parser("disagreements")
    d.add_argument("a")
    d.add_argument("b")
    d.add_argument("-o", "--output", required=True)
    d.set_defaults(run=disagreements)
    sub.add_parser("split").set_defaults(run=split)
    sub.add_parser("stats").set_defaults(run=stats)
    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
