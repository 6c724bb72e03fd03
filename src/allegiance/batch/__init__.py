"""The batch layer: many records through the coder, on one engine or another.

    chunk.py   code_chunk(): the one batch function every engine calls
    local.py   code_records(): in-process, or a local process pool (``-j N``)

Dask (``dask.py``) is the next engine; it calls ``code_chunk`` like the pool does.
"""

from __future__ import annotations

from allegiance.batch.chunk import BatchResult, Item, code_chunk
from allegiance.batch.local import CHUNK_RECORDS, SMALL_BATCH, code_records, default_processes
from allegiance.pipeline.config import CoderConfig

# CoderConfig is re-exported: the layers above the batch (ingest) configure the coder
# through it without reaching into the pipeline.
__all__ = ["CHUNK_RECORDS", "SMALL_BATCH", "BatchResult", "CoderConfig", "Item", "code_chunk",
           "code_records", "default_processes"]
