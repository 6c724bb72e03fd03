"""Crash safety, for real: kill -9 an ingest twice, run it again, compare databases.

The reference is an uninterrupted run into a SQLite file. The killed-and-resumed
run goes into the store under test (SQLite or PostgreSQL); their dumps must be
equal, row for row: nothing lost, nothing doubled.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from allegiance.store.engine import make_engine
from allegiance.store.schema import articles, events, mentions
from conftest import dump_store
from helpers.factories import sample_records, write_jsonl

pytestmark = pytest.mark.slow

N_RECORDS = 150


def _command(corpus: Path, url: str) -> list[str]:
    return [sys.executable, "-m", "allegiance", "ingest", str(corpus), "--db", url,
            "--batch", "4", "-j", "1", "--no-progress"]


def _stored(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())
    except Exception:  # the store may not exist yet
        return 0
    finally:
        engine.dispose()


def _kill_after(corpus: Path, url: str, at_least: int, timeout: float = 120) -> int:
    """Start an ingest; kill -9 it once ``at_least`` articles are stored."""
    proc = subprocess.Popen(_command(corpus, url), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if _stored(url) >= at_least:
                break
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the ingest ended before it could be killed"
    return _stored(url)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    folder = tmp_path_factory.mktemp("crash")
    corpus = write_jsonl(folder / "news.jsonl", sample_records(N_RECORDS, start=100))
    url = f"sqlite:///{folder / 'reference.db'}"
    subprocess.run(_command(corpus, url), check=True, capture_output=True)
    return corpus, dump_store(url)


def test_kill_9_twice_then_rerun_gives_the_same_database(
        reference: tuple[Path, dict[str, object]], store_url: str) -> None:
    corpus, expected = reference
    first = _kill_after(corpus, store_url, at_least=4)
    second = _kill_after(corpus, store_url, at_least=first + 8)
    assert 0 < first < second < N_RECORDS
    done = subprocess.run(_command(corpus, store_url), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    repeats = N_RECORDS - len({r["url"] for r in sample_records(N_RECORDS, start=100)})
    skipped = re.search(r"duplicates\s+(\d+)", done.stdout)
    assert skipped and int(skipped[1]) == second + repeats  # what the killed runs stored
    assert dump_store(store_url) == expected


def test_two_ingests_at_once_share_one_store(store_url: str, tmp_path: Path) -> None:
    """Writers take turns (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock)."""
    first = write_jsonl(tmp_path / "a.jsonl", sample_records(40, start=200))
    second = write_jsonl(tmp_path / "b.jsonl", sample_records(40, start=220))  # 20 shared
    procs = [subprocess.Popen(_command(corpus, store_url), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for corpus in (first, second)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    unique = len({r["url"] for r in sample_records(60, start=200)})  # two items share a URL
    stored = sum(int(n) for out, _ in outputs
                 for n in re.findall(r"(?:added and coded|syndicated copies)\s+(\d+)", out))
    assert stored == unique == 59  # each article stored by exactly one of the two
    engine = make_engine(store_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(articles)).scalar_one() == 59
        per_event = conn.execute(select(events.c.num_mentions, func.count(mentions.c.id))
                                 .join(mentions, mentions.c.event_id == events.c.id)
                                 .group_by(events.c.id, events.c.num_mentions)).all()
    engine.dispose()
    assert per_event and all(n == counted for n, counted in per_event)
