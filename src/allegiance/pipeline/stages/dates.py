"""Event dates: explicit and relative date expressions, anchored on the publication date."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from allegiance.pipeline.document import CodedDoc
from allegiance.pipeline.stages.base import Stage

__all__ = ["Dates", "resolve_date"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{_MONTH},? ?(\d{{4}})?", re.I)
_MONTH_DAY = re.compile(rf"\b{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?\b,? ?(\d{{4}})?", re.I)
_WEEKDAY = re.compile(
    r"\b(?:(last|next|this) )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I
)
_RELATIVE = re.compile(
    r"\b(yesterday|today|tonight|tomorrow|this morning|last night|last week)\b", re.I
)
_OFFSETS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1, "this morning": 0,
            "last night": -1, "last week": -7}


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _explicit(text: str, pub: dt.date | None) -> dt.date | None:
    if m := _ISO.search(text):
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        if m := pattern.search(text):
            year = int(m[3]) if m[3] else (pub.year if pub else None)
            if year is None:
                continue
            found = _safe_date(year, _MONTHS[m[month_group].lower().rstrip(".")], int(m[day_group]))
            # "December 30" in a January article is last year's December.
            if found and not m[3] and pub and (found - pub).days > 31:
                found = _safe_date(year - 1, found.month, found.day)
            return found
    return None


def _relative(text: str, pub: dt.date, future: bool) -> dt.date | None:
    if m := _RELATIVE.search(text):
        return pub + dt.timedelta(days=_OFFSETS[m[1].lower()])
    if m := _WEEKDAY.search(text):
        target = _WEEKDAYS.index(m[2].lower())
        delta = (pub.weekday() - target) % 7
        if future or (m[1] or "").lower() == "next":
            return pub + dt.timedelta(days=(target - pub.weekday()) % 7 or 7)
        if (m[1] or "").lower() == "last" and delta == 0:
            delta = 7
        return pub - dt.timedelta(days=delta)
    return None


def resolve_date(text: str, pub: dt.date | None, *, future: bool = False) -> dt.date | None:
    """The date a clause refers to, else the publication date (or None without one)."""
    found = _explicit(text, pub)
    if found is None and pub is not None:
        found = _relative(text, pub, future)
    return found or pub


class Dates(Stage):
    name = "dates"
    requires = ("frames", "frames.mode", "parses")
    assigns = ("frames.date",)

    def __call__(self, doc: CodedDoc) -> CodedDoc:
        frames = []
        for f in doc.frames:
            trigger = doc.parses[f.sentence][f.trigger_i]
            clause = doc.parses[f.sentence][trigger.left_edge.i : trigger.right_edge.i + 1].text
            when = resolve_date(clause, doc.article.date, future=f.mode == "future")
            frames.append(dataclasses.replace(f, date=when.isoformat() if when else None))
        return dataclasses.replace(doc, frames=tuple(frames))
