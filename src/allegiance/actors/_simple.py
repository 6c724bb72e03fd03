"""Readers for the simple dictionary formats: CSV or YAML rows, and the countries table.

Simple rows (``office_holders.csv`` and users' own dictionaries)::

    name,aliases,code,start,end,title
    Vladimir Putin,Putin;President Putin,RUSGOV,2012-05-07,,President of Russia

Only ``name`` and ``code`` are required; ``aliases`` is ``;``-separated, ``start`` and
``end`` are ISO dates (empty = open-ended). YAML files hold a list of mappings with the
same keys. Rows add their codes in front of any codes the phrase already had, so a
dated row (a term of office) wins inside its dates and older codes still apply outside.

``countries.csv`` (``code,name,aliases,adjectives,capitals``) names each country
with its spellings, adjectives and capital; adjectives ending in -an or -i also get
their plural demonym ("Venezuelans", "Israelis").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from allegiance.errors import DictionaryError

from ._model import NO_END, NO_START, ActorEntry, DatedCode

__all__ = ["read_countries", "read_simple_csv", "read_simple_yaml"]

_FIELDS = ("name", "aliases", "code", "start", "end", "title")


def _split(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(";") if part.strip()]


def _iso(value: object, field: str, path: str, line: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.toordinal()
    try:
        return dt.date.fromisoformat(str(value).strip()).toordinal()
    except ValueError:
        raise DictionaryError(f"{field} {value!r} is not an ISO date (YYYY-MM-DD)",
                              path=path, line=line) from None


def _row_entry(row: Mapping[str, Any], path: str, line: int) -> ActorEntry:
    name = str(row.get("name") or "").strip()
    code = str(row.get("code") or "").strip().upper()
    if not name or not code:
        raise DictionaryError("each row needs a name and a code", path=path, line=line)
    if not code.replace("-", "").isalnum():
        raise DictionaryError(f"code {code!r} is not a CAMEO actor code", path=path, line=line)
    start = _iso(row.get("start"), "start", path, line)
    end = _iso(row.get("end"), "end", path, line)
    dated = DatedCode(None if code == "---" else code,
                      NO_START if start is None else start, NO_END if end is None else end)
    return ActorEntry((name, *_split(row.get("aliases"))), (dated,), merge="prepend")


def read_simple_csv(text: str, *, path: str) -> list[ActorEntry]:
    """Rows of ``name,aliases,code,start,end,title`` (a header line is required)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"name", "code"} - set(reader.fieldnames or ())
    if missing:
        raise DictionaryError(f"the header must name the columns {', '.join(_FIELDS)} "
                              f"(missing: {', '.join(sorted(missing))})", path=path, line=1)
    return [_row_entry(row, path, reader.line_num) for row in reader]


def read_simple_yaml(text: str, *, path: str) -> list[ActorEntry]:
    """A YAML list of mappings with the keys of the CSV format."""
    try:
        rows = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DictionaryError(f"not valid YAML: {exc}", path=path, line=line) from None
    if rows is None:
        return []
    if not isinstance(rows, list):
        raise DictionaryError("expected a list of mappings (- name: ..., code: ...)",
                              path=path, line=1)
    entries = []
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise DictionaryError(f"entry {index} is not a mapping", path=path)
        entries.append(_row_entry(row, path, index))
    return entries


def _demonyms(adjectives: Iterable[str]) -> list[str]:
    forms = list(adjectives)
    forms += [a + "s" for a in adjectives if a.endswith(("an", "i")) and " " not in a]
    return forms


def read_countries(text: str, *, path: str) -> tuple[list[ActorEntry], dict[str, str]]:
    """Country entries and the code -> country name table."""
    entries: list[ActorEntry] = []
    names: dict[str, str] = {}
    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        code, name = (row.get("code") or "").strip(), (row.get("name") or "").strip()
        if not code or not name:
            raise DictionaryError("each country needs a code and a name", path=path,
                                  line=reader.line_num)
        adjectives = _demonyms(_split(row.get("adjectives")))
        phrases = (name, *_split(row.get("aliases")), *adjectives,
                   *_split(row.get("capitals")))
        entries.append(ActorEntry(phrases, (DatedCode(code),), merge="prepend",
                                  adjectives=tuple(adjectives)))
        names.setdefault(code, name)
    return entries, names
