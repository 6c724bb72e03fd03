"""The parts of a news text that report rather than tell: datelines, agency and photo
credits, photo captions (marked "FILE -", or ending on the place and full date of the
picture), bare headlines. Nothing named in them is an actor of the news.

    >>> from allegiance.pipeline.layout import reporting_spans
    >>> text = "BEIRUT (Reuters) - Syrian forces shelled Aleppo."
    >>> [text[a:b] for a, b in reporting_spans(text)]
    ['BEIRUT (Reuters) - ']
    >>> reporting_spans("FILE - Police stand watch as protesters rally in Bangkok.")
    [(0, 57)]
    >>> reporting_spans("Troops guard a protest in Bangkok, Thailand, May 24, 2014.")
    [(0, 58)]
    >>> reporting_spans("FIFA Officials Arrested on Corruption Charges")
    [(0, 45)]
    >>> text = "US Pressures Venezuela CARACAS — Venezuela's opposition marched."
    >>> [text[a:b] for a, b in reporting_spans(text)]
    ['US Pressures Venezuela CARACAS — ']
"""

from __future__ import annotations

import re
from functools import cache

from allegiance.pipeline.lexicon import words

__all__ = ["NEWS_OUTLETS", "reporting_spans"]

NEWS_OUTLETS = words("news_outlets")

# A photo caption: "FILE - ...", "FILE PHOTO: ...", "PHOTO - ...".
_CAPTION = re.compile(r"^\s*(?:FILE(?: PHOTO)?|PHOTO)\s*[-–—:]\s")
# The wire style of a photo caption's last words, the place and the full date the picture
# was taken: "... outside the court in Harare, Aug. 9, 2013." News sentences give a date
# with "on" and seldom end on a bare full date.
_CAPTION_END = re.compile(
    r",\s(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s\d{1,2},\s"
    r"(?:19|20)\d\d\.?[\s\"”’)]*$")
# A dateline: "BEIRUT -", "WASHINGTON, D.C. (AP) -", "Kabul, Afghanistan —".
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z.'\- ]{1,40}(?:,\s*[A-Z][A-Za-z.'\- ]{1,30})?\s*"
    r"(?:\([^()]{1,40}\))?\s*[-–—]{1,2}\s")
# A dateline after a headline run into the lead, as wire copy is often scraped:
# "Protests Spread Across Venezuela CARACAS, VENEZUELA — Opponents of ...". Upper-case
# place, optional region, optional credit, an em or en dash (a hyphen after capitals
# mid-sentence is more often "NATO - the alliance -"); the headline before it repeats
# the lead and is hidden with it.
_INNER_DATELINE = re.compile(
    r"(?<![\w'])[A-Z][A-Z.'\-]{2,}(?: [A-Z][A-Z.'\-]+){0,3}"
    r"(?:,\s*[A-Z][A-Za-z.'\-]+(?: [A-Z][A-Za-z.'\-]+){0,2})?\s*"
    r"(?:\([^()]{1,40}\))?\s*[—–]\s")


# Short words a title-case headline leaves in lower case.
_HEADLINE_SMALL = frozenset(
    "a an the of on in at to for and or but nor with by from as vs over after amid into "
    "about against".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


def _is_headline(sentence: str) -> bool:
    """A bare headline: title case throughout, no closing punctuation ("International
    Protests Against Israeli Military Offensive on Gaza"). It repeats the lead, and read
    as a sentence it has no verb to say who did what."""
    if sentence.rstrip().endswith((".", "?", "!", '"', "”", "’")):
        return False
    words = [w for w in _WORD.findall(sentence) if w.lower() not in _HEADLINE_SMALL]
    return len(_WORD.findall(sentence)) >= 3 and bool(words) and all(
        w[0].isupper() for w in words)


@cache
def _credit() -> re.Pattern[str]:
    """An agency or photo credit in parentheses: "(Reuters)", "(E. Sarai/VOA)"."""
    names = "|".join(sorted((re.escape(n) for n in NEWS_OUTLETS), key=len, reverse=True))
    return re.compile(rf"\((?:[^()/]{{1,60}}/)?\s*(?:{names})\b[^()]{{0,40}}\)")


def reporting_spans(sentence: str) -> list[tuple[int, int]]:
    """Character spans of the sentence that belong to the report, not to the news."""
    if _CAPTION.match(sentence) or _CAPTION_END.search(sentence) or _is_headline(sentence):
        return [(0, len(sentence))]
    spans = [m.span() for m in _credit().finditer(sentence)]
    dateline = _DATELINE.match(sentence)
    # Only a dateline that looks like one: upper-case place or an agency credit inside.
    if dateline and (dateline.group().split(",")[0].strip(" -–—(").isupper()
                     or _credit().search(dateline.group())):
        spans.append(dateline.span())
    elif (inner := _INNER_DATELINE.search(sentence)) and inner.start() <= 200:
        spans.append((0, inner.end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
