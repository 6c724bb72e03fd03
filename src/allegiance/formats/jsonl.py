"""JSON Lines: records in, with an error per bad line; records out, one object per line.

Every reader yields either a record or an :class:`~allegiance.errors.InputError`
naming the line that was wrong, so a batch can report it and go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any, TextIO

from allegiance.errors import InputError
from allegiance.records import StoredEvent

__all__ = ["MAX_LINE_BYTES", "read_jsonl", "write_json_lines", "write_jsonl"]

# One JSON line above this is refused before parsing: it is almost always a dump,
# not an article, and json.loads on it would hold several copies in memory.
MAX_LINE_BYTES = 4 * 1024 * 1024


def _decode_line(raw: bytes, where: str) -> str:
    if len(raw) > MAX_LINE_BYTES:
        raise InputError(
            f"line is {len(raw) / 1e6:.1f} MB, over the {MAX_LINE_BYTES / 1e6:.0f} MB limit; "
            "split the article into smaller records",
            where=where,
        )
    if b"\x00" in raw:
        raise InputError("line contains NUL bytes: binary data, not JSON text", where=where)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 (byte {exc.start}); re-encode the file as UTF-8", where=where
        ) from None


def _parse_line(text: str, where: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON ({exc.msg} at column {exc.colno})", where=where) from None
    if not isinstance(value, dict):
        raise InputError(
            f"expected a JSON object, got {type(value).__name__}", where=where
        )
    return value


def read_jsonl(
    stream: IO[bytes] | Iterable[bytes], *, name: str = ""
) -> Iterator[tuple[int, dict[str, Any] | InputError]]:
    """Yield ``(line_number, record_or_error)`` for each non-blank line of a byte stream."""
    prefix = f"{name}: " if name else ""
    for number, raw in enumerate(stream, start=1):
        where = f"{prefix}line {number}"
        if not raw.strip():
            continue
        try:
            yield number, _parse_line(_decode_line(raw.rstrip(b"\r\n"), where), where)
        except InputError as err:
            yield number, err


def write_json_lines(records: Iterable[dict[str, Any]], fh: TextIO) -> int:
    count = 0
    for record in records:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_jsonl(events: Iterable[StoredEvent], fh: TextIO) -> int:
    """StoredEvent.to_dict, one object per line."""
    return write_json_lines((e.to_dict() for e in events), fh)
