"""`make bench`, part 3: the analyses on a synthetic store of a million events.

Builds (once, then reuses) a store with ``scripts/synth_store.py`` (power-law actors
and dyads, bursts, multi-report events) and times, through the Python API with one
open store as the web app will hold it:

* a dyad series (the busiest dyad, and a middling one; weekly, the whole store);
* a month's network (graph, blocs, alignment);
* a brief on the busiest actor for a month, and on a middling actor for the store;
* an actor profile for a month, and shifts with one actor for a month.

Targets (issue 9): a dyad series under 100 ms, a month's network under 1 s, a brief under
2 s, on SQLite and PostgreSQL. Each figure is the median of ``--repeat`` runs after one
warm-up run (the first run's time is printed too). PostgreSQL is measured when
ALLEGIANCE_BENCH_POSTGRES (or ALLEGIANCE_TEST_POSTGRES) names a database; a store
already holding the synthetic events there is reused, any other is dropped first.

    python scripts/bench_analysis.py [--events 1000000] [--sqlite build/synth/events.db]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from synth_store import generate  # noqa: E402

from allegiance.analysis.brief import build_brief  # noqa: E402
from allegiance.analysis.dyad import dyad_series  # noqa: E402
from allegiance.analysis.load import Window  # noqa: E402
from allegiance.analysis.network import network  # noqa: E402
from allegiance.analysis.profile import actor_profile  # noqa: E402
from allegiance.analysis.shifts import shifts  # noqa: E402
from allegiance.store.store import Store  # noqa: E402

MONTH = Window("2025-06-01", "2025-06-30")


def _count(store: Store) -> int:
    return sum(store.stats().events.values())


def _store(url: str, events: int, seed: int) -> Store:
    """The synthetic store at ``url``, generated first when it holds no events."""
    try:
        with Store(url) as store:
            if _count(store) >= events * 0.9:
                return Store(url)
    except Exception as exc:  # an unusable store is rebuilt below
        print(f"  rebuilding {url}: {exc}", file=sys.stderr)
    if url.startswith("postgresql"):
        from sqlalchemy import text

        from allegiance.store.engine import make_engine
        from allegiance.store.schema import metadata

        engine = make_engine(url)
        with engine.begin() as conn:
            metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS schema_migrations"))
        engine.dispose()
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    started = time.perf_counter()
    generate(url, events=events, seed=seed)
    print(f"  generated {url} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if url.startswith("postgresql"):
        _analyze(url)
    return Store(url)


def _analyze(url: str) -> None:
    """PostgreSQL plans from statistics and answers index-only scans from the visibility
    map: both exist only after VACUUM ANALYZE, as on any maintained server."""
    from sqlalchemy import text

    from allegiance.store.engine import make_engine

    engine = make_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def _busiest(store: Store) -> tuple[tuple[str, str], tuple[str, str], str, str]:
    """The busiest dyad, a middling one (the 50th), the busiest actor and a middling
    one (the 40th)."""
    from sqlalchemy import func, select

    from allegiance.store import schema

    e = schema.events.c
    with store.engine.connect() as conn:
        dyads = conn.execute(
            select(e.source_key, e.target_key, func.count().label("n"))
            .where(e.source_key.is_not(None), e.target_key.is_not(None),
                   e.source_key != e.target_key)
            .group_by(e.source_key, e.target_key).order_by(func.count().desc())
            .limit(50)).all()
        actors = conn.execute(
            select(e.source_key, func.count()).where(e.source_key.is_not(None))
            .group_by(e.source_key).order_by(func.count().desc()).limit(40)).all()
    return ((dyads[0][0], dyads[0][1]), (dyads[-1][0], dyads[-1][1]), actors[0][0],
            actors[-1][0])


def _time(fn: Callable[[], Any], repeat: int) -> tuple[float, float, float]:
    """(first run, median, max) in milliseconds."""
    started = time.perf_counter()
    fn()
    first = (time.perf_counter() - started) * 1000
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return first, statistics.median(runs), max(runs)


def bench(url: str, events: int, seed: int, repeat: int) -> list[tuple[str, float, float,
                                                                         float, float]]:
    store = _store(url, events, seed)
    try:
        n = _count(store)
        (a, b), (c, d), top, middling = _busiest(store)
        print(f"\n{store.backend}: {n:,} events; busiest dyad {a}-{b}, middling {c}-{d}; "
              f"busiest actor {top}, middling {middling}")
        cases: list[tuple[str, float, Callable[[], Any]]] = [
            (f"dyad series {a}-{b}, weekly, whole store", 100,
             lambda: dyad_series(store, a, b)),
            (f"dyad series {c}-{d}, weekly, whole store", 100,
             lambda: dyad_series(store, c, d)),
            ("network of June 2025", 1000, lambda: network(store, window=MONTH)),
            (f"brief on {top}, June 2025", 2000,
             lambda: build_brief(store, top, window=MONTH)),
            (f"brief on {middling}, whole store", 2000, lambda: build_brief(store, middling)),
            (f"actor profile {top}, June 2025", 0,
             lambda: actor_profile(store, top, window=MONTH)),
            (f"shifts with {top}, June 2025 (weekly)", 0,
             lambda: shifts(store, since=MONTH.since or "", until=MONTH.until, actor=top)),
        ]
        rows = []
        for name, target, fn in cases:
            first, median, worst = _time(fn, repeat)
            mark = "" if not target else ("  ok" if median <= target else "  OVER TARGET")
            print(f"  {name:48s} median {median:8.1f} ms  max {worst:8.1f}  first "
                  f"{first:8.1f}  target {target or '-'}{mark}")
            rows.append((name, target, first, median, worst))
        return rows
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sqlite", default=str(ROOT / "build" / "synth" / "events.db"))
    args = parser.parse_args()
    Path(args.sqlite).parent.mkdir(parents=True, exist_ok=True)
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")
    bench(f"sqlite:///{args.sqlite}", args.events, args.seed, args.repeat)
    pg = os.environ.get("ALLEGIANCE_BENCH_POSTGRES") or os.environ.get("ALLEGIANCE_TEST_POSTGRES")
    if pg:
        bench(pg, args.events, args.seed, args.repeat)
    else:
        print("\nPostgreSQL: set ALLEGIANCE_BENCH_POSTGRES=postgresql://... to measure it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
