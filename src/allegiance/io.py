"""Reading input: JSON Lines records with per-line errors, and plain article files.

Every reader yields either a record or an :class:`~allegiance.errors.InputError`
naming the line (or file) that was wrong, so a batch can report it and go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from allegiance.errors import InputError

__all__ = [
    "ARTICLE_SUFFIXES",
    "MAX_LINE_BYTES",
    "iter_article_files",
    "read_article_file",
    "read_jsonl",
]

# One JSON line above this is refused before parsing: it is almost always a dump,
# not an article, and json.loads on it would hold several copies in memory.
MAX_LINE_BYTES = 4 * 1024 * 1024
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
MIN_ARTICLE_WORDS = 5


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


def iter_article_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand directories (recursively) into the article files they contain, sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
            )
        else:
            yield path


def _html_to_text(html: str) -> tuple[str, str | None, str | None]:
    """Main text, title and date of an HTML page (trafilatura), or raise InputError."""
    import trafilatura  # imported lazily: it is slow to import and only HTML needs it

    doc = trafilatura.bare_extraction(html, with_metadata=True)
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    # Menus and cookie banners survive extraction as a few words: not an article.
    if len(text.split()) < MIN_ARTICLE_WORDS:
        raise InputError("no article text found in the HTML page (navigation or empty page?)")
    return text, getattr(doc, "title", None), getattr(doc, "date", None)


def read_article_file(path: Path) -> dict[str, Any]:
    """A plain article (.txt, .md, .html) as a contract input record; id = the file path."""
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", where=where) from None
    if b"\x00" in raw[:8192]:
        raise InputError("binary file, not text", where=where)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 (byte {exc.start})", where=where) from None
    record: dict[str, Any] = {"id": path.name}
    if path.suffix.lower() in (".html", ".htm"):
        try:
            text, title, date = _html_to_text(text)
        except InputError as err:
            raise InputError(str(err), where=where) from None
        record.update({k: v for k, v in (("title", title), ("date", date)) if v})
    record["text"] = text
    return record

