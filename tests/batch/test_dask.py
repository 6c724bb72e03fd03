"""The coder on a real Dask cluster (a LocalCluster of worker processes): the same store
as a local ingest, row by row, and exactly once when a worker dies mid-run."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from allegiance.batch.dask import DaskEngine
from allegiance.cli import main
from allegiance.errors import ConfigError
from allegiance.ingest.api import IngestOptions, ingest
from allegiance.pipeline.config import CoderConfig
from allegiance.store.store import Store
from conftest import dump_store
from helpers.factories import sample_records, write_jsonl

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow

N_RECORDS = 120


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("dask") / "corpus.jsonl",
                       sample_records(N_RECORDS))


@pytest.fixture(scope="module")
def local_dump(corpus: Path, tmp_path_factory: pytest.TempPathFactory
               ) -> dict[str, list[tuple[object, ...]]]:
    """The reference: the corpus ingested in this process."""
    url = f"sqlite:///{tmp_path_factory.mktemp('local') / 'events.db'}"
    with Store(url) as store:
        summary = ingest([str(corpus)], store, options=IngestOptions(processes=1))
    assert summary.added == N_RECORDS - summary.duplicates - summary.copies
    assert summary.events_added > 20
    return dump_store(url)


def test_dask_stores_what_a_local_ingest_stores(corpus: Path, store_url: str,
                                                local_dump: dict[str, list[tuple[object, ...]]]
                                                ) -> None:
    """On SQLite and PostgreSQL (the store for many writers), against the local SQLite run."""
    url = store_url
    result = CliRunner().invoke(main, ["ingest", str(corpus), "--db", url, "--engine", "dask",
                                       "--workers", "2", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert dump_store(url) == local_dump


def test_code_on_dask_writes_what_code_writes_here(corpus: Path) -> None:
    runner = CliRunner()
    here = runner.invoke(main, ["code", str(corpus), "--format", "jsonl", "-j", "1"])
    there = runner.invoke(main, ["code", str(corpus), "--format", "jsonl", "--engine", "dask",
                                 "--workers", "2"])
    assert here.exit_code == there.exit_code == 0, there.output
    assert there.stdout == here.stdout and here.stdout.count("\n") > 20


def test_dask_to_parquet_then_load_is_the_same_store(
        corpus: Path, tmp_path: Path, local_dump: dict[str, list[tuple[object, ...]]]) -> None:
    out, url = tmp_path / "coded", f"sqlite:///{tmp_path / 'events.db'}"
    runner = CliRunner()
    coded = runner.invoke(main, ["ingest", str(corpus), "--db", f"sqlite:///{tmp_path}/d.db",
                                 "--engine", "dask", "--workers", "2", "--parquet", str(out),
                                 "--no-progress"])
    assert coded.exit_code == 0, coded.output
    loaded = runner.invoke(main, ["db", "load", str(out), "--db", url, "--no-progress"])
    assert loaded.exit_code == 0, loaded.output
    assert dump_store(url) == local_dump


def test_a_worker_killed_mid_run_loses_nothing_and_doubles_nothing(
        corpus: Path, tmp_path: Path, local_dump: dict[str, list[tuple[object, ...]]]) -> None:
    url = f"sqlite:///{tmp_path / 'events.db'}"
    # Small chunks, all in flight at once: the killed worker is holding some of them.
    with DaskEngine(workers=2, chunk_records=6, in_flight=64) as engine, Store(url) as store:
        killed: list[int] = []

        def kill_one() -> None:
            if not killed:  # the first article is back: the others are being coded
                pid = next(iter(engine.client.run(os.getpid).values()))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        summary = ingest([str(corpus)], store, engine=engine, on_article=kill_one)
        survivors = set(engine.client.run(os.getpid).values())
        removed = [m for _, m in engine.client.get_events("all")
                   if isinstance(m, dict) and m.get("action") == "remove-worker"]
    assert killed and killed[0] not in survivors
    # The dead worker held chunks (running, or done and not yet fetched): coded again.
    assert any(m["processing-tasks"] or m["lost-computed-tasks"] for m in removed), removed
    assert not summary.failed
    assert dump_store(url) == local_dump


def test_engine_options_are_checked_before_any_work(corpus: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'events.db'}"
    runner = CliRunner()
    for args, message in [(["--workers", "2"], "--engine dask"),
                          (["--engine", "dask", "-j", "2"], "--workers"),
                          (["--scheduler", "tcp://127.0.0.1:1"], "--engine dask")]:
        result = runner.invoke(main, ["ingest", str(corpus), "--db", url, *args])
        assert result.exit_code == 2 and message in result.output, result.output
    with pytest.raises(ConfigError, match="--workers starts a local cluster"):
        DaskEngine("tcp://127.0.0.1:1", workers=2)
    with pytest.raises(ConfigError, match="cannot reach a Dask scheduler"), \
            DaskEngine("tcp://127.0.0.1:1", connect_timeout=2) as engine:
        engine.warm_up(CoderConfig())


def test_a_cluster_without_workers_is_named_after_a_wait() -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as bare, \
            DaskEngine(bare.scheduler_address, worker_timeout=1) as engine, \
            pytest.raises(ConfigError, match=r"no worker joined .* within 1 s"):
        engine.warm_up(CoderConfig())


def test_a_worker_of_another_version_refuses_the_task() -> None:
    from allegiance.batch.worker import code_in_worker

    with pytest.raises(ConfigError, match=r"the driver 0\.0\.0-other"):
        code_in_worker(CoderConfig(), [], "0.0.0-other")
