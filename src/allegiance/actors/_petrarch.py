"""Readers for PETRARCH2's dictionary formats (``.actors.txt`` and ``.agents.txt``).

Actors::

    VENEZUELA_  [VEN]          # a head phrase and its code
    +VENEZUELAN_               # a synonym of the head above
    HUGO_CHAVEZ_               # codes may follow on their own lines, date-limited:
        [VENGOV 990202-130305] #   from-to, YYMMDD or YYYYMMDD
        [VENELI]               #   undated: the fallback
    [CODE >YYMMDD] / [CODE <YYMMDD]   after / before a date

Agents (role words)::

    !PERSON! = MAN, MEN, WOMAN   # a substitution set
    ARMY [~MIL]                  # suffix role: VEN + ARMY -> VENMIL
    PEACEKEEPING_TROOPS {} [IGO~]  # {} = no plural; {X} = plural X; CODE~ = prefix

``_`` joins words (a trailing one only marks the end of the phrase), ``#`` starts a
comment and ``<!-- ... -->`` blocks are comments too. Strict reading (user files)
raises :class:`DictionaryError` naming the line; lenient reading (the shipped
PETRARCH files, which hold a few typos) skips what it cannot read.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
from collections.abc import Iterator

from allegiance.errors import DictionaryError

from ._model import NO_END, NO_START, ActorEntry, AgentEntry, DatedCode, parse_petrarch_date

__all__ = ["looks_like_agents", "read_petrarch_actors", "read_petrarch_agents"]

log = logging.getLogger(__name__)

_BRACKET = re.compile(r"\[([^\]]*)\]")
_CODE_BODY = re.compile(
    r"\s*(?P<code>-{3}|\+{3}|[A-Za-z0-9/]+)\s*"
    r"(?:(?P<op>[<>])\s*(?P<date>\d+)|(?P<start>\d+)\s*-\s*(?P<end>\d+))?\s*"
)
_AGENT_LINE = re.compile(
    r"(?P<phrase>[^\[{]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*\[(?P<code>[^\]}]*)[\]}]\s*"
)
_SUBSTITUTION = re.compile(r"(![A-Za-z]+!)\s*=\s*(.+)")
_SET_NAME = re.compile(r"![A-Za-z]+!")
_NULL_CODES = {"---", "+++"}


class _Reader:
    """Lines of one file without comments, each with its line number."""

    def __init__(self, text: str, path: str, strict: bool) -> None:
        self.text = text
        self.path = path
        self.strict = strict

    def lines(self) -> Iterator[tuple[int, str]]:
        in_block = False
        for number, line in enumerate(self.text.splitlines(), start=1):
            stripped = line.strip()
            if in_block:
                in_block = "-->" not in stripped
                continue
            if stripped.startswith("<!"):
                in_block = "-->" not in stripped
                continue
            line = line.split("#", 1)[0].rstrip()
            if line.strip():
                yield number, line

    def fail(self, message: str, line: int) -> None:
        """Raise in strict mode; otherwise note and go on."""
        if self.strict:
            raise DictionaryError(message, path=self.path, line=line)
        log.debug("%s:%d: %s (skipped)", self.path, line, message)


def _phrase(text: str) -> str:
    return text.strip().replace("_", " ").strip()


def _date(text: str, reader: _Reader, line: int) -> dt.date | None:
    try:
        return parse_petrarch_date(text)
    except ValueError as exc:
        # Two known typos in the shipped files put a stray "19" before YYYYMMDD.
        if not reader.strict and len(text) == 10:
            return _date(text[2:], reader, line)
        reader.fail(f"{exc}; write dates as YYMMDD or YYYYMMDD", line)
        return None


def _code(body: str, reader: _Reader, line: int) -> DatedCode | None:
    match = _CODE_BODY.fullmatch(body)
    if match is None:
        reader.fail(f"cannot read code [{body}]: expected [CODE], [CODE >YYMMDD], "
                    "[CODE <YYMMDD] or [CODE YYMMDD-YYMMDD]", line)
        return None
    raw = match["code"].upper()
    code = None if raw in _NULL_CODES else raw.split("/")[0]
    start, end = NO_START, NO_END
    if match["op"]:
        day = _date(match["date"], reader, line)
        if day is None:
            return None
        start, end = (day.toordinal(), NO_END) if match["op"] == ">" else (NO_START,
                                                                           day.toordinal())
    elif match["start"]:
        first, last = _date(match["start"], reader, line), _date(match["end"], reader, line)
        if first is None or last is None:
            return None
        start, end = first.toordinal(), last.toordinal()
    return DatedCode(code, start, end)


def _split_codes(line: str, reader: _Reader, number: int) -> tuple[str, list[DatedCode]]:
    """The text before the first ``[`` and the codes in brackets after it."""
    head, bracket, rest = line.partition("[")
    codes: list[DatedCode] = []
    if not bracket:
        return head, codes
    rest = "[" + rest
    leftover = _BRACKET.sub("", rest).strip()
    if leftover:
        reader.fail(f"unexpected text {leftover!r} around the codes (is a ']' missing?)",
                    number)
    for body in _BRACKET.findall(rest):
        code = _code(body, reader, number)
        if code is not None:
            codes.append(code)
    return head, codes


def read_petrarch_actors(text: str, *, path: str, strict: bool = True) -> list[ActorEntry]:
    """Read a PETRARCH actor dictionary into entries (head phrase first)."""
    reader = _Reader(text, path, strict)
    entries: list[ActorEntry] = []
    phrases: list[str] = []
    codes: list[DatedCode] = []
    started = 0

    def flush() -> None:
        if phrases and codes:
            entries.append(ActorEntry(tuple(phrases), tuple(codes)))
        elif phrases:
            reader.fail(f"actor {phrases[0]!r} has no code", started)

    for number, line in reader.lines():
        head, line_codes = _split_codes(line, reader, number)
        if line[0].isspace() or line[0] == "[":
            if not phrases:
                reader.fail("a code line comes before any actor name", number)
            codes.extend(line_codes)
        elif line[0] == "+":
            if not phrases:
                reader.fail("a synonym (+) comes before any actor name", number)
                continue
            if _phrase(head[1:]):
                phrases.append(_phrase(head[1:]))
            codes.extend(line_codes)
        else:
            flush()
            phrases, codes, started = [_phrase(head)], list(line_codes), number
    flush()
    return entries


def _plural(word: str) -> str:
    """PETRARCH's regular English plural of a role noun (upper case)."""
    if word.endswith("MAN"):
        return word[:-3] + "MEN"
    if len(word) > 1 and word.endswith("Y") and word[-2] not in "AEIOU":
        return word[:-1] + "IES"
    if word.endswith(("S", "SH", "CH", "X", "Z")):
        return word + "ES"
    return word + "S"


def _expand(phrase: str, sets: dict[str, list[str]], reader: _Reader,
            line: int) -> list[str]:
    """Every spelling of a phrase with ``!SET!`` markers replaced by the set's words."""
    names = _SET_NAME.findall(phrase)
    for name in names:
        if name not in sets:
            reader.fail(f"substitution set {name} is not defined above this line", line)
            return []
    pieces = _SET_NAME.split(phrase)
    forms = []
    for choice in itertools.product(*(sets[name] for name in names)):
        forms.append("".join(p + c for p, c in zip(pieces, (*choice, ""), strict=True)))
    return forms


def _agent_line(line: str, sets: dict[str, list[str]], reader: _Reader,
                number: int) -> list[AgentEntry]:
    match = _AGENT_LINE.fullmatch(line.strip())
    if match is None:
        reader.fail("cannot read agent line: expected PHRASE [~CODE] or PHRASE {PLURAL} "
                    "[~CODE]", number)
        return []
    body = match["code"].replace(" ", "").upper()
    code, prefix = body.strip("~"), body.endswith("~") and not body.startswith("~")
    if not re.fullmatch(r"[A-Z0-9]+", code):
        reader.fail(f"cannot read agent code [{match['code']}]", number)
        return []
    phrase = match["phrase"].strip().rstrip("_")
    entries = [AgentEntry(_phrase(form), code, prefix)
               for form in _expand(phrase, sets, reader, number)]
    plural = match["plural"]
    if plural is not None:
        forms = _expand(plural.strip(), sets, reader, number) if plural.strip() else []
    elif _SET_NAME.search(phrase):
        forms = []  # the sets already hold the plural spellings (MINISTER, MINISTERS)
    else:
        words = phrase.split("_")
        forms = ["_".join([*words[:-1], _plural(words[-1].upper())])]
    entries.extend(AgentEntry(_phrase(form), code, prefix, generated=plural is None)
                   for form in forms)
    return entries


def read_petrarch_agents(text: str, *, path: str, strict: bool = True) -> list[AgentEntry]:
    """Read a PETRARCH agents dictionary, expanding substitution sets and plurals."""
    reader = _Reader(text, path, strict)
    sets: dict[str, list[str]] = {}
    entries: list[AgentEntry] = []
    for number, line in reader.lines():
        definition = _SUBSTITUTION.fullmatch(line.strip())
        if definition:
            sets[definition[1].upper()] = [w.strip().upper()
                                           for w in definition[2].split(",") if w.strip()]
        else:
            entries.extend(_agent_line(line, sets, reader, number))
    return entries


def looks_like_agents(text: str) -> bool:
    """Whether a PETRARCH-format file is an agents file (its codes carry a ``~``)."""
    return re.search(r"\[\s*~|~\s*\]", text) is not None
