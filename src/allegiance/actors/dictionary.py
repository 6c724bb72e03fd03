"""The actor dictionary: find actor mentions in text and resolve phrases to CAMEO codes."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping
from functools import cache
from os import PathLike
from pathlib import Path
from typing import Any

from allegiance.errors import DictionaryError, InputError
from allegiance.records import ActorCode, ActorMention, ResolvedActor

from ._match import Matcher
from ._sources import apply_file, default_tables, kind_of
from ._tables import Tables, TablesBuilder, split_code

__all__ = ["ActorDictionary", "resolve_record"]


def _day(date: dt.date | None) -> int:
    # No date: the codes in force today, so open-ended (current) codes win.
    return (date or dt.date.today()).toordinal()


class ActorDictionary:
    """Actor names and role words compiled into token lookup tables.

    Build one with :meth:`default` (the shipped dictionaries) or :meth:`load` (your own
    files on top of them, or alone).
    """

    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    @classmethod
    def default(cls) -> ActorDictionary:
        """The shipped dictionaries (PETRARCH2 Phoenix files plus allegiance's data)."""
        return _default()

    @classmethod
    def load(cls, paths: Iterable[str | PathLike[str]] | str | PathLike[str], *,
             include_default: bool = True) -> ActorDictionary:
        """Add dictionary files: PETRARCH ``.txt`` (actors or agents), ``.csv`` or ``.yaml``.

        Later files win over earlier ones and over the default dictionary.
        """
        if isinstance(paths, (str, PathLike)):
            paths = [paths]
        base = copy.deepcopy(_default()._tables) if include_default else Tables()
        builder = TablesBuilder(base)
        for item in paths:
            path = Path(item)
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise DictionaryError(f"cannot read the file: {exc}", path=str(path)) from None
            apply_file(builder, text, path=str(path), kind=kind_of(path, text))
        return cls(builder.finish(base.common_words))

    def find_mentions(self, text: str, *, date: dt.date | None = None) -> list[ActorMention]:
        """Every actor named in ``text``, left to right, non-overlapping, longest first.

        Offsets are Python string indices into ``text`` (end exclusive). ``date`` picks
        date-limited codes (office-holders); without it, the codes in force today.
        """
        if not text:
            return []
        return Matcher(self._tables, text, _day(date)).mentions()

    def resolve(self, phrase: str, *, date: dt.date | None = None,
                context: str | None = None) -> ActorCode | None:
        """The code of a whole actor phrase, or None when no actor in it is known.

        The head actor is the first mention with a country; a leading bare role takes
        the country of a later mention ("rebels in Darfur" -> SDNREB). ``context`` is
        accepted for the contract's records but never used to guess a country.
        """
        del context  # deliberately unused: a phrase is resolved on its own words
        mentions = self.find_mentions(phrase, date=date)
        if not mentions:
            return None
        first = mentions[0].actor
        placed = next((m.actor for m in mentions if m.actor.country is not None), None)
        if first.country is None and placed is not None and first.agent is not None:
            country = placed.country or ""
            return self._code(country + first.code)
        return placed or first

    def code(self, code: str) -> ActorCode:
        """Split a CAMEO actor code into country, role and name: ``VENMIL``."""
        return self._code(code)

    def _code(self, code: str) -> ActorCode:
        return split_code(code, self._tables)


@cache
def _default() -> ActorDictionary:
    return ActorDictionary(default_tables())


def _parse_date(value: object, where: str) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError("'date' must be a string YYYY-MM-DD", where=where)
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise InputError(f"'date' {value!r} is not a date YYYY-MM-DD", where=where) from None


def resolve_record(record: Mapping[str, Any], dictionary: ActorDictionary, *,
                   where: str | None = None) -> ResolvedActor:
    """``allegiance actors resolve``: ``{"id", "text", "context"?, "date"?}`` -> a code.

    An unknown phrase gives a record with null fields. Raises :class:`InputError` for a
    record without a string ``id`` and ``text``.
    """
    if not isinstance(record, Mapping):
        raise InputError("expected a JSON object with 'id' and 'text'", where=where)
    for name in ("id", "text"):
        if name not in record:
            raise InputError(f"the record has no {name!r}", where=where)
    ident, text = record["id"], record["text"]
    if not isinstance(ident, (str, int)) or isinstance(ident, bool):
        raise InputError("'id' must be a string", where=where)
    if not isinstance(text, str):
        raise InputError("'text' must be a string", where=where)
    context = record.get("context")
    if context is not None and not isinstance(context, str):
        raise InputError("'context' must be a string", where=where)
    date = _parse_date(record.get("date"), where or str(ident))
    actor = dictionary.resolve(text, date=date, context=context)
    if actor is None:
        return ResolvedActor(str(ident), None, None, None, None)
    return ResolvedActor(str(ident), actor.code, actor.country, actor.agent, actor.name)
