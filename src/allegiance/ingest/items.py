"""What every source yields: a raw article, before dedup and coding.

Files, JSON Lines and CSV rows, web pages and feed entries all become
:class:`RawArticle`; a source that cannot be read yields an
:class:`~allegiance.errors.InputError` instead, naming where and why, and the
batch goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allegiance.errors import InputError

__all__ = ["RawArticle", "SourceItem"]


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One article as read from its source.

    ``where`` says where it came from (``file.jsonl line 3``, a URL), for messages.
    ``id`` is the source's own id when it has one (the JSONL ``id``, the file name,
    the URL); the store keys articles by content, not by this id.
    ``date`` is an ISO date ``YYYY-MM-DD`` (the publication date) or None.
    """

    where: str
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    date: str | None = None
    language: str | None = None
    feed: str | None = None

    def to_record(self) -> dict[str, Any]:
        """The contract input record ``allegiance code`` takes."""
        record: dict[str, Any] = {"id": self.id, "text": self.text}
        for key in ("date", "title", "url"):
            if (value := getattr(self, key)) is not None:
                record[key] = value
        return record


SourceItem = RawArticle | InputError
