"""The coder of a worker process, built once per process and configuration.

Every engine ships the same task to its workers, :func:`code_in_worker` (a pool's
process, a Dask worker, this process): it finds the process's :class:`Coder` for the
configuration, building it on first use (the models load once per worker, not once
per task), and calls :func:`~allegiance.batch.chunk.code_chunk`. A Coder is not
thread-safe, so a worker that runs tasks on several threads codes one chunk at a time
with each coder (give Dask workers one thread each and more processes instead).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict

from allegiance.batch.chunk import BatchResult, Item, code_chunk
from allegiance.errors import ConfigError
from allegiance.pipeline.coder import Coder, CoderConfig
from allegiance.records import coder_version

__all__ = ["KEEP", "WorkerInfo", "code_in_worker", "warm_worker", "worker_coder"]

# A worker codes with one configuration; a long-lived process (a test run, the web
# app's ingest) may meet a few. The newest KEEP coders stay loaded (about 1 GB each).
KEEP = 2
_coders: OrderedDict[CoderConfig, tuple[Coder, threading.Lock]] = OrderedDict()
_building = threading.Lock()


def _entry(config: CoderConfig) -> tuple[Coder, threading.Lock]:
    with _building:  # two threads asking at once build one coder
        entry = _coders.get(config)
        if entry is None:
            coder = Coder(config)
            coder.warm_up()
            entry = _coders[config] = (coder, threading.Lock())
            while len(_coders) > KEEP:
                _coders.popitem(last=False)
        _coders.move_to_end(config)
        return entry


def worker_coder(config: CoderConfig) -> Coder:
    """This process's coder for ``config``, loaded and warmed up on first use."""
    return _entry(config)[0]


def code_in_worker(config: CoderConfig, chunk: list[Item],
                   version: str | None = None) -> list[BatchResult]:
    """The task every engine runs: one chunk through this process's coder. ``version``:
    the driver's allegiance version, for workers that joined a cluster after it checked
    them (another version codes differently: refuse, never mix)."""
    if version is not None and version != coder_version():
        raise ConfigError(f"this worker (process {os.getpid()}) runs allegiance "
                          f"{coder_version()}, the driver {version}: install the same "
                          "version on every worker")
    coder, lock = _entry(config)
    with lock:
        return code_chunk(coder, chunk)


WorkerInfo = tuple[int, str]  # (process id, allegiance version)


def warm_worker(config: CoderConfig) -> WorkerInfo:
    """Load the models now (before the first task), and say who this worker is: engines
    check that every worker runs the driver's version of allegiance."""
    worker_coder(config)
    return os.getpid(), coder_version()
