"""Writing stored events out, so existing GDELT and POLECAT tooling reads our data.

Formats (``allegiance export --format ...``):

- ``gdelt``: the GDELT 2.0 event table, 61 tab-separated columns, no header
  (:func:`~allegiance.formats.gdelt.gdelt_row`; the mapping is in ``docs/gdelt.md``).
- ``plover``: PLOVER JSON, one record per action with ``actor`` and ``recipient``
  lists (:func:`~allegiance.formats.plover.plover_records`), written as JSON Lines.
- ``csv``, ``parquet``: one flat row per event (:data:`~allegiance.formats.flat.FLAT_COLUMNS`).
- ``jsonl``: :meth:`StoredEvent.to_dict`, one object per line.

Every writer takes an iterable and streams it, so an export of the whole store
holds one event (a PLOVER action, a Parquet row group) in memory at a time.
Writers return how many records they wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from allegiance.errors import ConfigError
from allegiance.formats.flat import write_csv, write_parquet
from allegiance.formats.gdelt import write_gdelt
from allegiance.formats.jsonl import write_jsonl
from allegiance.formats.plover import write_plover
from allegiance.records import StoredEvent

__all__ = ["EXPORT_FORMATS", "export_events"]

EXPORT_FORMATS = ("gdelt", "plover", "csv", "jsonl", "parquet")

_TEXT_WRITERS: dict[str, Callable[[Iterable[StoredEvent], TextIO], int]] = {
    "gdelt": write_gdelt, "plover": write_plover, "csv": write_csv, "jsonl": write_jsonl,
}


def export_events(events: Iterable[StoredEvent], fmt: str, out: Path | TextIO) -> int:
    """Write ``events`` in format ``fmt`` to a file path or an open text stream.

    Returns the number of records written (PLOVER: actions, others: events).
    Raises ConfigError for an unknown format, or for Parquet to a stream.
    """
    if fmt == "parquet":
        if not isinstance(out, Path):
            raise ConfigError("parquet export needs a file path (-o FILE), not a stream")
        return write_parquet(events, out)
    writer = _TEXT_WRITERS.get(fmt)
    if writer is None:
        raise ConfigError(
            f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}"
        )
    if isinstance(out, Path):
        # newline="": the csv module writes its own line endings.
        with out.open("w", encoding="utf-8", newline="") as fh:
            return writer(events, fh)
    return writer(events, out)
