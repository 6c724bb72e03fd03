"""The actor table derived from the knowledge base (``kb_actors.tsv.gz``).

Built by ``scripts/build_kb_actors.py`` from ``shared/data/kb`` (people with dated
positions, parties, armed groups, agencies; licence notices in ``KB_NOTICE.md``). One
actor a line, gzipped::

    Keir Starmer<TAB>GBRGOV@2024-07-05/2026-07-20 GBRLEG@2019-12-12/ GBRGOV

names ``|``-separated, then the codes in lookup order: the first dated code whose dates
cover the day wins, else the undated one (an empty end is open).

The table only fills gaps: an actor of whom an earlier dictionary knows a name is left
to it (the curated tables know the famous names better than a bulk table does).
"""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Iterator

from allegiance.errors import DictionaryError

from ._model import NO_END, NO_START, ActorEntry, DatedCode
from ._tables import TablesBuilder, phrase_keys

__all__ = ["apply_kb", "read_kb"]


def _day(text: str, default: int, path: str, line: int) -> int:
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text).toordinal()
    except ValueError:
        raise DictionaryError(f"{text!r} is not an ISO date (YYYY-MM-DD)",
                              path=path, line=line) from None


def _code(item: str, path: str, line: int) -> DatedCode:
    code, _, dates = item.partition("@")
    if not code.isalnum():
        raise DictionaryError(f"code {code!r} is not a CAMEO actor code", path=path, line=line)
    if not dates:
        return DatedCode(code)
    start, _, end = dates.partition("/")
    return DatedCode(code, _day(start, NO_START, path, line), _day(end, NO_END, path, line))


def read_kb(data: bytes, *, path: str) -> Iterator[ActorEntry]:
    """The entries of a ``kb_actors.tsv.gz`` file (gzipped or plain bytes)."""
    text = (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode("utf-8")
    for line, row in enumerate(text.splitlines(), start=1):
        if not row.strip():
            continue
        names, tab, codes = row.partition("\t")
        if not tab or not codes.strip():
            raise DictionaryError("each line needs names, a tab, then codes", path=path,
                                  line=line)
        yield ActorEntry(tuple(names.split("|")),
                         tuple(_code(c, path, line) for c in codes.split()))


def apply_kb(builder: TablesBuilder, data: bytes, *, path: str) -> None:
    """Add the table's actors of whom no dictionary read before it knows any name (an
    actor the curated tables know keeps their code under every spelling)."""
    known = set(builder.tables.actor_keys)
    for entry in read_kb(data, path=path):
        if not any(key in known for key in phrase_keys(entry.phrases)):
            builder.add_actor(ActorEntry(entry.phrases, entry.codes, merge="replace"))
