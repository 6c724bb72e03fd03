"""Running the batch function on this machine: in-process, or on a process pool.

The pool's workers each build one :class:`Coder` (the models load once per worker,
not per chunk) and call :func:`~allegiance.batch.chunk.code_chunk` on each chunk.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator

from allegiance.batch.chunk import BatchResult, Item, code_chunk
from allegiance.pipeline.coder import Coder, CoderConfig

__all__ = ["CHUNK_RECORDS", "SMALL_BATCH", "code_records", "default_processes"]

CHUNK_RECORDS = 48  # large enough to fill the parser's and the classifier's batches
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


_WORKER: Coder | None = None


def _init_worker(config: CoderConfig) -> None:
    global _WORKER  # one Coder per worker process, built once
    _WORKER = Coder(config)
    _WORKER.warm_up()


def _work(chunk: list[Item]) -> list[BatchResult]:
    assert _WORKER is not None, "worker used before _init_worker ran"
    return code_chunk(_WORKER, chunk)


def code_records(
    items: Iterable[Item], *, config: CoderConfig | None = None, processes: int = 1,
    chunk_size: int = CHUNK_RECORDS,
) -> Iterator[BatchResult]:
    """Code ``(where, record_or_error)`` items; yields one result per item, in order."""
    config = config or CoderConfig()
    items = iter(items)
    # Workers each load the models (seconds): not worth it for a handful of records.
    head = list(itertools.islice(items, SMALL_BATCH))
    if processes <= 1 or len(head) < SMALL_BATCH:
        coder = Coder(config)
        for chunk in _chunks(itertools.chain(head, items), chunk_size):
            yield from code_chunk(coder, chunk)
        return
    ctx = mp.get_context("spawn" if os.name == "nt" else "forkserver")
    with ctx.Pool(processes, initializer=_init_worker, initargs=(config,)) as pool:
        for results in pool.imap(_work, _chunks(itertools.chain(head, items), chunk_size)):
            yield from results
