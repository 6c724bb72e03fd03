"""The batch layer: many records through the coder, on one engine or another.

    chunk.py   code_chunk(): the one batch function every engine calls
    worker.py  code_in_worker(): the task every engine runs (one coder per process)
    engine.py  Engine: the narrow interface; InProcess
    local.py   code_records(); ProcessPool, local processes (``-j N``)
    dask.py    DaskEngine: a Dask cluster (``--engine dask``; the ``dask`` extra)
"""

from __future__ import annotations

from allegiance.batch.chunk import BatchResult, Item, code_chunk
from allegiance.batch.engine import CHUNK_RECORDS, ENGINES, Engine, InProcess
from allegiance.batch.local import (
    SMALL_BATCH,
    ProcessPool,
    code_records,
    default_processes,
)
from allegiance.pipeline.config import CoderConfig

# CoderConfig is re-exported: the layers above the batch (ingest) configure the coder
# through it without reaching into the pipeline.
__all__ = ["CHUNK_RECORDS", "ENGINES", "SMALL_BATCH", "BatchResult", "CoderConfig", "Engine",
           "InProcess", "Item", "ProcessPool", "code_chunk", "code_records",
           "default_processes"]
