"""`make bench`, part 4: the REST API under a bounded load while an ingest writes.

Serves the synthetic million-event store of ``scripts/bench_analysis.py`` with
``allegiance serve`` (a real uvicorn process on 127.0.0.1), starts a writer in another
process (``synth_store.py --append`` with another seed: articles through the one write
path), and sends a fixed number of requests, one at a time, cycling through the kinds
below. Prints p50 and p95 latency per kind and whether any request failed. Target
(issue 10): p95 under 100 ms for the event queries, SQLite and PostgreSQL (when
ALLEGIANCE_BENCH_POSTGRES names the database bench_analysis.py filled).

    python scripts/bench_api.py [--requests 600] [--sqlite build/synth/events.db]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

KINDS = {
    "events, first page": "/api/events?limit=50",
    "events of a day": "/api/events?since=2025-06-02&until=2025-06-02&limit=50",
    "events, CAMEO 19 in a month": "/api/events?cameo=19&since=2025-06-01&until=2025-06-30",
    "events, dyad USA-CHN": "/api/events?dyad=USA-CHN&limit=50",
    "events, next page": "NEXT",
    "events, a page mid-store": "DEEP",
    "one event with its reports": "EVENT",
    "dyad series CHN-RUS (monthly)": "/api/dyads/CHN/RUS?freq=month",
}


# A cursor into the middle of the store (the synthetic store spans 2023-2025).
DEEP_CURSOR = base64.urlsafe_b64encode(json.dumps(["2024-07-01", ""]).encode()).decode()


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not answer within {seconds:.0f} s")


def _load(base: str, requests: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {k: [] for k in KINDS}
    failures = 0
    with httpx.Client(base_url=base, timeout=30) as client:
        first = client.get("/api/events?limit=50").json()
        cursor, event_id = first["next"], first["events"][0]["event_id"]
        names = list(KINDS)
        for n in range(requests):
            kind = names[n % len(names)]
            path = KINDS[kind]
            if path == "NEXT":
                path = f"/api/events?limit=50&cursor={cursor}"
            elif path == "EVENT":
                path = f"/api/events/{event_id}"
            elif path == "DEEP":
                path = f"/api/events?limit=50&cursor={DEEP_CURSOR}"
            started = time.perf_counter()
            answer = client.get(path)
            times[kind].append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                failures += 1
                print(f"  {answer.status_code} for {path}: {answer.text[:200]}")
            elif kind == "events, next page":
                cursor = answer.json()["next"] or first["next"]
    print(f"  {requests} requests, {failures} failed")
    return times


def first_page(db: str, base: str, first: float) -> None:
    """The dashboard's first page: computed in this process (cold, then warm), and
    served by the server (``first``: the first request, sent as soon as the server
    answered, while it may still be computing; then from its cache)."""
    from allegiance.analysis.overview import overview
    from allegiance.store.store import Store

    with Store(db, create=False) as store:
        times = []
        for _ in range(4):
            started = time.perf_counter()
            found = overview(store)
            times.append(time.perf_counter() - started)
    print(f"\n{db.split('@')[-1]}: the overview ({found.total:,} events "
          f"{found.window.describe()}, {len(found.dyads):,} dyads, "
          f"{len(found.shifts):,} shifts)")
    print(f"  computed, first in a process {times[0] * 1000:7.0f} ms   "
          f"then median {statistics.median(times[1:]) * 1000:7.0f} ms")
    with httpx.Client(base_url=base, timeout=60) as client:
        page = client.get("/")
        again = []
        for _ in range(20):
            started = time.perf_counter()
            client.get("/")
            again.append(time.perf_counter() - started)
    print(f"  served: the first request {first * 1000:7.0f} ms ({page.status_code}, "
          f"{len(page.content):,} bytes with its chart), "
          f"then median {statistics.median(again) * 1000:5.1f} ms")


def bench(db: str, requests: int, port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen([str(BIN / "allegiance"), "serve", "--db", db, "--port",
                               str(port)], stderr=subprocess.DEVNULL)
    writer = None
    try:
        _wait(base + "/api/events?limit=1")
        answered = time.perf_counter() - started
        asked = time.perf_counter()
        httpx.get(base + "/", timeout=60)
        first = time.perf_counter() - asked
        print(f"\n{db.split('@')[-1]}: the server answered {answered:.1f} s after it was "
              f"started; its first page {first * 1000:.0f} ms after that")
        first_page(db, base, first)
        writer = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "synth_store.py"), "--db", db,
             "--events", "20000", "--seed", str(int(time.time())), "--append", "--quiet"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2)  # the writer is writing before the first timed request
        print(f"\n{db.split('@')[-1]}: while another process ingests")
        for kind, ms in _load(base, requests).items():
            q = statistics.quantiles(ms, n=20)
            print(f"  {kind:34s} p50 {statistics.median(ms):7.1f} ms   p95 {q[18]:7.1f} ms")
        print(f"  the writer was {'still writing' if writer.poll() is None else 'done'} "
              "at the end")
    finally:
        for process in (writer, server):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=700)
    parser.add_argument("--sqlite", default=str(ROOT / "build" / "synth" / "events.db"))
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if not Path(args.sqlite).exists():
        raise SystemExit(f"{args.sqlite} does not exist: run scripts/bench_analysis.py first")
    bench(f"sqlite:///{args.sqlite}", args.requests, args.port)
    pg = os.environ.get("ALLEGIANCE_BENCH_POSTGRES")
    if pg:
        bench(pg, args.requests, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
