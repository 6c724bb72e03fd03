"""`make bench`, part 5: the coder on one process, two local processes and a two-worker
Dask LocalCluster: throughput, scaling, start-up, peak memory per worker, Dask's overhead.

Each engine runs in a fresh Python process of its own (`--one ENGINE`), on the same news
items from the bench file, through `code_records` (the batch layer every ingest uses; no
store, so the engines are compared and not the database). Every process is held to one
thread of BLAS/OpenMP work (the classifier's onnxruntime session has one already), so a
worker is a core. Reported per engine:

    start-up    seconds from the engine's start to the first chunk's results (processes
                or cluster started, models loaded, one chunk coded)
    throughput  items per second over the middle of the run (from the 25th to the 90th
                percentile of items back): the steady state, start-up left out
    peak        the largest resident memory of each process: the driver, each worker

Targets (issue 11): 2 workers reach at least 1.7x one worker, and Dask costs at most 10%
over local processes.

    python scripts/bench_scale.py [--items 2000] [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENGINES = {
    "local-1": "one process (in-process)",
    "local-2": "two local processes",
    "dask-2": "Dask LocalCluster, two workers",
}
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                     "MKL_NUM_THREADS")}


class PeakSampler(threading.Thread):
    """The peak resident memory of this process and each of its descendants (psutil)."""

    def __init__(self, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        import psutil

        self.me = psutil.Process()
        self.every = every
        self.peak: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.done.is_set():
            for p in [self.me, *self.me.children(recursive=True)]:
                try:
                    mb = p.memory_info().rss / 2**20
                except psutil.Error:
                    continue
                self.peak[p.pid] = max(self.peak.get(p.pid, 0.0), mb)
            self.done.wait(self.every)


def _engine(name: str) -> tuple[Any, Any]:
    """(engine, closer) for an engine name."""
    from allegiance.batch import InProcess, ProcessPool

    if name == "local-1":
        return InProcess(), None
    if name == "local-2":
        return ProcessPool(2), None
    from allegiance.batch.dask import DaskEngine

    engine = DaskEngine(workers=2)
    return engine, engine


def one(name: str, items_file: Path) -> dict[str, Any]:
    """Run one engine here; return its figures."""
    from allegiance.batch import code_records

    records = [json.loads(line) for line in items_file.open(encoding="utf-8")]
    items = [(f"item {n}", r) for n, r in enumerate(records)]
    sampler = PeakSampler()
    sampler.start()
    started = time.perf_counter()
    engine, closer = _engine(name)
    first_at, done, sentences, events = None, 0, 0, 0
    back: list[float] = []  # when each item's result came back
    workers: list[int] = []
    try:
        for result in code_records(items, engine=engine):
            back.append(time.perf_counter())
            done += 1
            sentences += result.sentences
            events += len(result.events)
            if first_at is None:
                first_at = back[-1]
                if closer is not None:
                    workers = list(closer.client.run(os.getpid).values())
        ended = time.perf_counter()
    finally:
        if closer is not None:
            closer.close()
        sampler.done.set()
        sampler.join()
    assert first_at is not None
    me = os.getpid()
    if name == "local-1":
        workers = [me]
    elif name == "local-2":
        workers = [p for p, mb in sampler.peak.items() if p != me and mb > 300]
    low, high = int(done * 0.25), int(done * 0.9) - 1
    rate = (high - low) / (back[high] - back[low])
    return {
        "engine": name, "items": done, "sentences": sentences, "events": events,
        "startup_s": round(first_at - started, 2), "total_s": round(ended - started, 2),
        "rate": round(rate, 2), "sentence_rate": round(rate * sentences / done, 1),
        "driver_peak_mb": round(sampler.peak.get(me, 0.0)),
        "worker_peak_mb": sorted(round(sampler.peak.get(p, 0.0)) for p in workers),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--items", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5,
                    help="runs of each engine, alternating; the median run is reported")
    ap.add_argument("--one", choices=list(ENGINES), help=argparse.SUPPRESS)
    ap.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.file)))
        return 0
    source = args.shared / "bench" / "world_news_sentences.jsonl"
    corpus = ROOT / "build" / "bench_scale.jsonl"
    corpus.parent.mkdir(exist_ok=True)
    with source.open(encoding="utf-8") as fh:
        corpus.write_text("".join(line for _, line in zip(range(args.items), fh,
                                                          strict=False)), encoding="utf-8")
    print(f"{args.items:,} news items from {source.name}; {os.cpu_count()} cores, "
          f"{platform.python_implementation()} {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in ENGINES}
    for _ in range(args.repeat):  # alternating, so a slow spell of the machine hits all
        for name in ENGINES:
            out = subprocess.run([sys.executable, __file__, "--one", name, "--file",
                                  str(corpus)], capture_output=True, text=True,
                                 env={**os.environ, **ONE_THREAD}, check=False)
            if out.returncode != 0:
                print(out.stderr[-3000:])
                return 1
            runs[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
    figures = {name: sorted(found, key=lambda f: f["rate"])[len(found) // 2]
               for name, found in runs.items()}
    for name, found in runs.items():
        print(f"  {name}: items/s of each run {[f['rate'] for f in found]}")
    print(f"\n{'engine':34s} {'start-up':>9s} {'items/s':>8s} {'sent/s':>7s} "
          f"{'driver MB':>9s}  worker peak MB")
    for name, f in figures.items():
        print(f"{ENGINES[name]:34s} {f['startup_s']:8.1f}s {f['rate']:8.1f} "
              f"{f['sentence_rate']:7.1f} {f['driver_peak_mb']:9d}  {f['worker_peak_mb']}")
    single, pool, dask = (figures[n]["rate"] for n in ENGINES)
    events = {f["events"] for f in figures.values()}
    print(f"\nscaling, two local processes: {pool / single:.2f}x one "
          f"(efficiency {pool / single / 2:.0%}; target 1.7x)")
    print(f"scaling, two Dask workers:    {dask / single:.2f}x one")
    print(f"Dask against local processes: {1 - dask / pool:+.1%} slower (target at most 10%)")
    print(f"the same events from every engine: {len(events) == 1} ({sorted(events)})")
    return sizing(args.shared, dask / pool)


# GDELT's daily volume, and how much busier the busiest hours are than the day's mean.
DAY_ARTICLES = 250_000
PEAK = 2.0


def sizing(shared: Path, dask_share: float) -> int:
    """Whole articles (Voice of America, news_text/) on one process: the per-core rate
    a sizing for GDELT's day starts from."""
    voa = shared / "news_text" / "voa_news_2009_2017.jsonl"
    corpus = ROOT / "build" / "bench_scale_articles.jsonl"
    with voa.open(encoding="utf-8") as fh, corpus.open("w", encoding="utf-8") as out:
        for line in fh:
            record = json.loads(line)
            out.write(json.dumps({"id": record["id"], "date": record["date"],
                                  "text": "\n".join(record["sentences"])}) + "\n")
    run = subprocess.run([sys.executable, __file__, "--one", "local-1", "--file", str(corpus)],
                         capture_output=True, text=True, env={**os.environ, **ONE_THREAD},
                         check=False)
    if run.returncode != 0:
        print(run.stderr[-3000:])
        return 1
    f = json.loads(run.stdout.strip().splitlines()[-1])
    per_core = f["rate"] * dask_share  # on Dask, with its measured cost
    mean = DAY_ARTICLES / 86_400
    print(f"\nwhole articles ({voa.name}, {f['items']} articles, "
          f"{f['sentences'] / f['items']:.1f} sentences each): {f['rate']:.2f} articles/s "
          f"= {f['sentence_rate']:.0f} sentences/s on one core")
    print(f"{DAY_ARTICLES:,} articles a day = {mean:.2f}/s on average, {mean * PEAK:.2f}/s at "
          f"{PEAK:g}x in the busiest hours: {mean / per_core:.1f} Dask worker cores on "
          f"average, {mean * PEAK / per_core:.1f} at the peak")
    return 0


if __name__ == "__main__":
    sys.exit(main())
