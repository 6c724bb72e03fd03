"""Plain article files (.txt, .md, .html) as contract input records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from allegiance.errors import InputError

__all__ = ["ARTICLE_SUFFIXES", "MIN_ARTICLE_WORDS", "read_article_file"]

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
MIN_ARTICLE_WORDS = 5


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

