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
from collections import deque
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
                 connect_timeout: float = 30.0) -> None:
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
        import distributed

        client: Any = distributed.Client  # untyped: called through Any
        cluster: Any = distributed.LocalCluster

        if self.scheduler is None:
            from allegiance.batch.local import default_processes

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
        found: dict[str, tuple[int, str]] = self.client.run(warm_worker, config)
        if not found:
            raise ConfigError(f"the Dask cluster at {self.scheduler} has no workers yet")
        mine = coder_version()
        if stale := {w: v for w, (_, v) in found.items() if v != mine}:
            worker, version = next(iter(stale.items()))
            raise ConfigError(f"Dask worker {worker} runs allegiance {version}, this process "
                              f"{mine}: install the same version on every worker")
        return [pid for pid, _ in found.values()]

    def map_chunks(self, chunks: Iterator[list[Item]], config: CoderConfig
                   ) -> Iterator[list[BatchResult]]:
        client = self.client
        self.warm_up(config)
        threads = sum(client.nthreads().values())
        # Enough chunks queued to keep every worker busy while the driver stores the
        # oldest; few enough that memory stays bounded on an endless ingest.
        window: deque[Any] = deque()
        limit = self.in_flight or max(2, 2 * threads)
        for chunk in chunks:
            window.append(client.submit(code_in_worker, config, chunk, pure=False))
            if len(window) >= limit:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
