"""Running the batch function on this machine: in-process, or on a process pool.

The pool's workers each build one :class:`Coder` (``batch.worker``: the models load
once per worker, not per chunk) and run the same task as every other engine.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator

from allegiance.batch.chunk import BatchResult, Item
from allegiance.batch.engine import CHUNK_RECORDS, Engine, InProcess
from allegiance.batch.worker import code_in_worker, warm_worker
from allegiance.pipeline.coder import CoderConfig

__all__ = ["SMALL_BATCH", "ProcessPool", "code_records", "default_processes"]

SMALL_BATCH = 200  # fewer records than this are coded in-process


def default_processes() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class ProcessPool:
    """A pool of ``processes`` local processes (forkserver; spawn on Windows), each
    warmed up with the coder before its first chunk."""

    name = "local processes"

    def __init__(self, processes: int, chunk_records: int = CHUNK_RECORDS) -> None:
        self.processes = processes
        self.chunk_records = chunk_records

    def map_chunks(self, chunks: Iterator[list[Item]], config: CoderConfig
                   ) -> Iterator[list[BatchResult]]:
        ctx = mp.get_context("spawn" if os.name == "nt" else "forkserver")
        with ctx.Pool(self.processes, initializer=warm_worker, initargs=(config,)) as pool:
            yield from pool.imap(_Task(config), chunks)


class _Task:
    """``code_in_worker`` with the configuration bound (picklable, unlike a lambda)."""

    def __init__(self, config: CoderConfig) -> None:
        self.config = config

    def __call__(self, chunk: list[Item]) -> list[BatchResult]:
        return code_in_worker(self.config, chunk)


def code_records(
    items: Iterable[Item], *, config: CoderConfig | None = None, processes: int = 1,
    engine: Engine | None = None,
) -> Iterator[BatchResult]:
    """Code ``(where, record_or_error)`` items; yields one result per item, in order.

    ``engine``: where to run (``batch.engine``), in chunks of its ``chunk_records``;
    None: this process, or a pool of ``processes`` when there are enough records to pay
    for starting it."""
    config = config or CoderConfig()
    items = iter(items)
    if engine is None:
        # Workers each load the models (seconds): not worth it for a handful of records.
        head = list(itertools.islice(items, SMALL_BATCH))
        items = itertools.chain(head, items)
        engine = ProcessPool(processes) if processes > 1 and len(head) >= SMALL_BATCH \
            else InProcess()
    for results in engine.map_chunks(_chunks(items, engine.chunk_records), config):
        yield from results
