"""Running the batch function on a Dask cluster (``pip install 'allegiance[dask]'``).

``DaskEngine(scheduler="tcp://host:8786")`` joins a running cluster (a plain
``dask scheduler`` with ``dask worker`` processes, dask-kubernetes, dask-jobqueue);
without a scheduler it starts a ``LocalCluster`` of ``workers`` processes with one
thread each. Each chunk is one task running :func:`~allegiance.batch.worker.code_in_worker`,
the task every engine runs, so the events are the same as on local processes.

Exactly once: the driver keeps a bounded window of submitted chunks and takes their
results in submission order. A worker that dies mid-chunk loses its tasks to the
scheduler, which runs them again on another worker (up to Dask's
``distributed.scheduler.allowed-failures``); the driver receives each chunk's result
once, and the store is written from the driver through its one write path. So an
article is coded again after a crash, never stored twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from types import TracebackType
from typing import Any

from allegiance.batch.chunk import BatchResult, Item
from allegiance.batch.engine import CHUNK_RECORDS
from allegiance.batch.worker import code_in_worker, warm_worker
from allegiance.errors import ConfigError
from allegiance.pipeline.coder import CoderConfig
from allegiance.records import coder_version

__all__ = ["DaskEngine", "require_dask"]

log = logging.getLogger(__name__)

INSTALL = "pip install 'allegiance[dask]'"
# A cluster we start is tuned for long CPU-bound tasks. Every Dask server (the scheduler,
# each nanny, each worker) wakes up 50 times a second to check that its event loop is not
# blocked, the nannies poll their workers' memory 10 times a second, and the workers sample
# their threads' stacks every 10 ms for the dashboard's profiler: on a small machine each
# wake-up takes the GIL, or a core, from the coder. Once a second is plenty for work whose
# tasks take seconds. docs/scale.md says how to set the same on a cluster we join.
LOCAL_CONFIG = {
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.tick.limit": "30s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.worker.profile.enabled": False,
}


def require_dask() -> None:
    """Raise ConfigError saying what to install when Dask's scheduler is missing."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ConfigError(f"--engine dask needs Dask's distributed scheduler: {INSTALL}") \
            from None


class DaskEngine:
    """Chunks as Dask tasks (module doc). A context manager: closing it closes the
    client, and the LocalCluster it started (a joined cluster keeps running)."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, *, workers: int | None = None,
                 in_flight: int | None = None, chunk_records: int = CHUNK_RECORDS,
                 connect_timeout: float = 30.0, worker_timeout: float = 600.0) -> None:
        require_dask()
        if scheduler is not None and workers is not None:
            raise ConfigError("--workers starts a local cluster; a cluster joined with "
                              "--scheduler has the workers it was started with")
        if workers is not None and workers < 1:
            raise ConfigError(f"--workers must be 1 or more, got {workers}")
        self.scheduler = scheduler
        self.workers = workers
        self.in_flight = in_flight
        self.chunk_records = chunk_records
        self.connect_timeout = connect_timeout
        # A batch system (dask-jobqueue) may take minutes to start the first worker.
        self.worker_timeout = worker_timeout
        self.where = scheduler or "the local cluster"
        self._client: Any = None  # distributed.Client (untyped)
        self._cluster: Any = None

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def client(self) -> Any:
        """The client, connecting (or starting the local cluster) on first use."""
        if self._client is None:
            self._client = self._connect()
        return self._client

    def _connect(self) -> Any:
        import dask
        import distributed

        client: Any = distributed.Client  # untyped: called through Any
        cluster: Any = distributed.LocalCluster

        if self.scheduler is None:
            from allegiance.batch.local import default_processes

            with dask.config.set(LOCAL_CONFIG):  # the nannies pass it to their workers
                self._cluster = cluster(
                    n_workers=self.workers or default_processes(), threads_per_worker=1,
                    processes=True, dashboard_address=None, silence_logs=logging.WARNING)
            return client(self._cluster)
        try:
            return client(self.scheduler, timeout=f"{self.connect_timeout}s")
        except OSError as exc:
            raise ConfigError(f"--scheduler {self.scheduler}: cannot reach a Dask scheduler "
                              f"there ({exc}); start one with `dask scheduler`, or leave "
                              "--scheduler out to start a local cluster") from None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def warm_up(self, config: CoderConfig) -> list[int]:
        """Load the models on every worker at once; return their process ids. Refuses
        workers that run another version of allegiance than this process."""
        try:
            self.client.wait_for_workers(1, timeout=self.worker_timeout)
        except TimeoutError:
            raise ConfigError(f"no worker joined the Dask cluster at {self.where} within "
                              f"{self.worker_timeout:g} s: start some (`dask worker "
                              f"{self.where} --nthreads 1`)") from None
        # One task pinned to each worker, so the models load on the thread that will use
        # them, not on the worker's event loop (which would miss its heartbeats meanwhile).
        workers = list(self.client.nthreads())  # every worker address
        futures = [self.client.submit(warm_worker, config, workers=[w], pure=False,
                                      allow_other_workers=False) for w in workers]
        found: dict[str, tuple[int, str]] = dict(zip(workers, self.client.gather(futures),
                                                     strict=True))
        mine = coder_version()
        if stale := {w: v for w, (_, v) in found.items() if v != mine}:
            worker, version = next(iter(stale.items()))
            raise ConfigError(f"Dask worker {worker} runs allegiance {version}, this process "
                              f"{mine}: install the same version on every worker")
        return [pid for pid, _ in found.values()]

    def map_chunks(self, chunks: Iterator[list[Item]], config: CoderConfig
                   ) -> Iterator[list[BatchResult]]:
        """Results in chunk order. A new chunk goes out as soon as any chunk comes back,
        so a slow chunk holds back what is yielded, never what the workers do; at most
        ``in_flight`` chunks are out, and at most four times that are held (memory stays
        bounded on an endless ingest)."""
        import distributed

        completed: Any = distributed.as_completed  # untyped: called through Any
        client = self.client
        self.warm_up(config)
        version = coder_version()  # a worker that joins later is checked by its tasks
        def window() -> int:  # a cluster that grows (adaptive, jobqueue) gets a wider one
            return self.in_flight or max(4, 2 * sum(client.nthreads().values()))

        limit = window()
        source = enumerate(chunks)
        running = completed()
        index: dict[str, int] = {}  # future key -> chunk number
        back: dict[int, list[BatchResult]] = {}
        sent = taken = out = 0

        def send() -> None:
            nonlocal sent
            while sent - taken < limit and sent - out < 4 * limit:
                try:
                    number, chunk = next(source)
                except StopIteration:
                    return
                future = client.submit(code_in_worker, config, chunk, version, pure=False)
                index[future.key] = number
                running.add(future)
                sent += 1

        send()
        while sent > out:
            future = next(running)
            back[index.pop(future.key)] = future.result()
            taken += 1
            if taken % 32 == 0:
                limit = window()
            while out in back:
                yield back.pop(out)
                out += 1
            send()
