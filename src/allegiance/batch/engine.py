"""What runs the batch function: one narrow interface, an engine per place to run it.

An :class:`Engine` takes chunks of input records and gives back each chunk's results,
in the order the chunks came, by running :func:`~allegiance.batch.worker.code_in_worker`
wherever it runs things. ``InProcess`` runs here (and is what tests swap in),
``ProcessPool`` on local processes (``local.py``), ``DaskEngine`` on a Dask cluster
(``dask.py``). Everything above the batch layer (ingest, ``allegiance code``) sees only
this interface, so the same records give the same events on every engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from allegiance.batch.chunk import BatchResult, Item
from allegiance.pipeline.coder import CoderConfig

__all__ = ["CHUNK_RECORDS", "ENGINES", "Engine", "InProcess"]

CHUNK_RECORDS = 48  # large enough to fill the parser's and the classifier's batches

ENGINES = ("local", "dask")  # --engine choices


class Engine(Protocol):
    """Runs chunks of records through the coder; results come back in chunk order.
    ``chunk_records``: how many records make one chunk (one task)."""

    name: str
    chunk_records: int

    def map_chunks(self, chunks: Iterator[list[Item]], config: CoderConfig
                   ) -> Iterator[list[BatchResult]]: ...


class InProcess:
    """Every chunk in this process, one after the other."""

    name = "in-process"

    def __init__(self, chunk_records: int = CHUNK_RECORDS) -> None:
        self.chunk_records = chunk_records

    def map_chunks(self, chunks: Iterator[list[Item]], config: CoderConfig
                   ) -> Iterator[list[BatchResult]]:
        from allegiance.batch.worker import code_in_worker

        for chunk in chunks:
            yield code_in_worker(config, chunk)
