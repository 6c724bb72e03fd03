"""Dictionary entries as read from files, before they are compiled into lookup tables."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "NO_END",
    "NO_START",
    "ActorEntry",
    "AgentEntry",
    "DatedCode",
    "Merge",
    "choose_code",
    "parse_petrarch_date",
]

# Ordinal day numbers stand in for dates in the compiled tables: plain ints pickle small
# and compare fast.
NO_START = 0
NO_END = 10**7

# How an entry combines with an earlier one for the same phrase: PETRARCH-format files
# redefine it; CSV/YAML rows with dates add codes in front of the older ones.
Merge = Literal["replace", "prepend"]

_DATE = re.compile(r"\d{6}|\d{8}")


@dataclass(frozen=True, slots=True)
class DatedCode:
    """A code valid from ``start`` to ``end`` (ordinal days, inclusive); None code = no actor."""

    code: str | None
    start: int = NO_START
    end: int = NO_END

    @property
    def dated(self) -> bool:
        return self.start != NO_START or self.end != NO_END


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One actor: its phrases (head first) and its codes in file order."""

    phrases: tuple[str, ...]
    codes: tuple[DatedCode, ...]
    merge: Merge = "replace"
    adjectives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AgentEntry:
    """A role phrase: ``ARMY [~MIL]`` -> code "MIL"; ``prefix`` for ``[NGO~]`` codes."""

    phrase: str
    code: str
    prefix: bool = False
    generated: bool = False


def parse_petrarch_date(text: str) -> dt.date:
    """``YYMMDD`` or ``YYYYMMDD``; as in PETRARCH, YY 00-30 means 20YY, else 19YY."""
    if not _DATE.fullmatch(text):
        raise ValueError(f"date {text!r} is not YYMMDD or YYYYMMDD")
    if len(text) == 6:
        year = int(text[:2])
        text = f"{2000 + year if year <= 30 else 1900 + year}{text[2:]}"
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def choose_code(codes: tuple[DatedCode, ...], day: int) -> DatedCode | None:
    """PETRARCH's rule: the first date-limited code covering ``day``, else the first undated."""
    fallback: DatedCode | None = None
    for item in codes:
        if not item.dated:
            if fallback is None:
                fallback = item
        elif item.start <= day <= item.end:
            return item
    return fallback
