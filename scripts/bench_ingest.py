"""`make bench`, part 2: ingest throughput and the cost of storing, SQLite and PostgreSQL.

Articles are built from the bench file's real news sentences: consecutive items of
one day, grouped eight at a time (a short wire story each). Two measurements per
backend:

* end to end: ``allegiance ingest corpus.jsonl --db URL`` as a whole process
  (start-up, reading, dedup, coding on every core, storing), articles/s;
* storing alone: the corpus is coded once in-process, then dedup + writes of the
  coded articles into an empty store are timed; storing time / coding time is the
  figure the target (at most 10%) is about.

PostgreSQL is measured when ALLEGIANCE_BENCH_POSTGRES (or ALLEGIANCE_TEST_POSTGRES)
names a database; its tables are dropped first.

    python scripts/bench_ingest.py [--articles N] [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from allegiance.batch import code_records, default_processes  # noqa: E402
from allegiance.ingest.dedup import Copy, Deduper, Duplicate  # noqa: E402
from allegiance.ingest.run import DEDUP_CHUNK  # noqa: E402
from allegiance.records import RawArticle  # noqa: E402
from allegiance.store.schema import metadata  # noqa: E402
from allegiance.store.store import Store  # noqa: E402
from allegiance.store.writer import ArticleRecord  # noqa: E402

SENTENCES_PER_ARTICLE = 8


def build_corpus(bench_file: Path, n_articles: int, offset: int) -> list[dict[str, str]]:
    items = (json.loads(line) for line in bench_file.open())
    items = itertools.islice(items, offset, None)
    articles: list[dict[str, str]] = []
    for date, group in itertools.groupby(items, key=lambda r: r["date"]):
        rows = list(group)
        for at in range(0, len(rows), SENTENCES_PER_ARTICLE):
            chunk = rows[at:at + SENTENCES_PER_ARTICLE]
            if len(chunk) < 3:
                continue
            articles.append({"id": chunk[0]["id"], "date": date,
                             "text": " ".join(r["text"] for r in chunk)})
            if len(articles) >= n_articles:
                return articles
    return articles


def fresh(url: str) -> str:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return url
    from sqlalchemy import text

    from allegiance.store.engine import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS schema_migrations"))
    engine.dispose()
    return url


def end_to_end(corpus: Path, url: str, n: int) -> dict[str, float]:
    exe = str(Path(sys.executable).with_name("allegiance"))
    start = time.perf_counter()
    done = subprocess.run([exe, "ingest", str(corpus), "--db", fresh(url), "--no-progress"],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(done.stderr[-2000:])
    share = re.search(r"storing (\d+)%", done.stdout)
    return {"seconds": seconds, "articles_s": n / seconds,
            "storing_pct_of_run": float(share[1]) if share else float("nan")}


def storing_alone(raws: list[RawArticle], results: list, url: str) -> dict[str, float]:
    store = Store(fresh(url))
    dedup = Deduper(store)
    start = time.perf_counter()
    batch: list[ArticleRecord] = []
    events = 0
    decisions = [d for at in range(0, len(raws), DEDUP_CHUNK)
                 for d in dedup.decide_many(raws[at:at + DEDUP_CHUNK])]
    for raw, result, decision in zip(raws, results, decisions, strict=True):
        if isinstance(decision, Duplicate) or result.error:
            continue
        if isinstance(decision, Copy):
            batch.append(ArticleRecord(raw, decision.fingerprint, decision.url,
                                       duplicate_of=decision.original))
        else:
            batch.append(ArticleRecord(raw, decision.fingerprint, decision.url, result.events,
                                       result.spans))
            events += len(result.events)
        if len(batch) >= 64:
            store.write(batch)
            batch = []
    store.write(batch)
    seconds = time.perf_counter() - start
    store.close()
    return {"seconds": seconds, "articles_s": len(raws) / seconds, "events_s": events / seconds,
            "events": events}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--offset", type=int, default=60000, help="start this far into the file "
                    "(recent years: more political news)")
    args = ap.parse_args()
    records = build_corpus(args.shared / "bench" / "world_news_sentences.jsonl",
                           args.articles, args.offset)
    raws = [RawArticle(where=r["id"], id=r["id"], text=r["text"], date=r["date"])
            for r in records]
    backends = {"SQLite": None}
    pg = os.environ.get("ALLEGIANCE_BENCH_POSTGRES") or os.environ.get("ALLEGIANCE_TEST_POSTGRES")
    if pg:
        backends["PostgreSQL"] = pg
    with tempfile.TemporaryDirectory() as tmpdir:
        corpus = Path(tmpdir) / "articles.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in records))
        start = time.perf_counter()
        results = list(code_records(((r.where, r.to_record()) for r in raws),
                                    processes=default_processes()))
        coding = time.perf_counter() - start
        rows = []
        for name, url in backends.items():
            url = url or f"sqlite:///{Path(tmpdir) / 'bench.db'}"
            alone = storing_alone(raws, results, url)
            e2e = end_to_end(corpus, url, len(records))
            rows.append((name, e2e, alone))
    sentences = sum(r.sentences for r in results)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; {time.strftime('%Y-%m-%d')}")
    print(f"corpus: {len(records)} articles, {sentences} sentences; coding alone "
          f"{coding:.1f} s ({len(records) / coding:.1f} articles/s, {default_processes()} "
          "processes)")
    print("| store | ingest end to end s (articles/s) | storing alone s | articles/s written "
          "| events/s written | storing / coding time |")
    print("|---|---|---|---|---|---|")
    for name, e2e, alone in rows:
        print(f"| {name} | {e2e['seconds']:.1f} ({e2e['articles_s']:.1f}) | "
              f"{alone['seconds']:.2f} | {alone['articles_s']:.0f} | {alone['events_s']:.0f} | "
              f"{100 * alone['seconds'] / coding:.1f}% |")


if __name__ == "__main__":
    main()
