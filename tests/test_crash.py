"""Crash safety, for real: kill -9 an ingest twice, run it again, compare databases.

The reference is an uninterrupted run into a SQLite file. The killed-and-resumed
run goes into the store under test (SQLite or PostgreSQL); their dumps must be
equal, row for row: nothing lost, nothing doubled.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from allegiance.store.engine import make_engine
from allegiance.store.schema import articles
from conftest import dump_store
from test_ingest import sample_records, write_jsonl

pytestmark = pytest.mark.slow

N_RECORDS = 80


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
            time.sleep(0.05)
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
    second = _kill_after(corpus, store_url, at_least=first + 12)
    assert 0 < first < second < N_RECORDS
    done = subprocess.run(_command(corpus, store_url), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"duplicates {second:>8,}" in " ".join(done.stdout.split()).replace(
        "duplicates ", "duplicates " + " " * 7, 1) or str(second) in done.stdout
    assert dump_store(store_url) == expected
