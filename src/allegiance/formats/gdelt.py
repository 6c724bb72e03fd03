"""Reading GDELT 2.0 event and mentions files (the tab-separated exports).

GDELT publishes two tables every 15 minutes, each a ``.CSV.zip`` holding one
tab-separated file with no header: ``*.export.CSV`` (61 columns, one row per
event) and ``*.mentions.CSV`` (16 columns, one row per article that mentioned an
event). :func:`read_gdelt` reads either, plain or zipped, and yields a
:class:`GdeltEvent` or :class:`GdeltMention` per row, or an
:class:`~allegiance.errors.InputError` naming the line that was wrong; reading
goes on after a bad row. The store imports them as events of the foreign coder
``"gdelt"`` (:meth:`GdeltEvent.to_stored`), kept apart from our own by ``coder``.

See ``docs/gdelt.md`` for the column mapping both ways.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TextIO

from allegiance.errors import InputError
from allegiance.ontology.actors import ORGANISATION_PREFIXES
from allegiance.ontology.cameo import codebook
from allegiance.records import (
    GDELT_CODER,
    GDELT_CODER_VERSION,
    GdeltEvent,
    GdeltMention,
    StoredActor,
    StoredEvent,
    gdelt_event_id,
)

__all__ = [
    "GDELT_CODER",
    "GDELT_CODER_VERSION",
    "GDELT_EVENT_COLUMNS",
    "GDELT_MENTION_COLUMNS",
    "GdeltEvent",
    "GdeltMention",
    "gdelt_event_id",
    "gdelt_row",
    "is_gdelt_file",
    "read_gdelt",
    "write_gdelt",
]


_ACTOR_FIELDS = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
    "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)
_GEO_FIELDS = (
    "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID",
)

# The GDELT 2.0 event table, in file order (GDELT Event Codebook V2.0).
GDELT_EVENT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{field}" for field in _ACTOR_FIELDS),
    *(f"Actor2{field}" for field in _ACTOR_FIELDS),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{field}" for field in _GEO_FIELDS),
    *(f"Actor2Geo_{field}" for field in _GEO_FIELDS),
    *(f"ActionGeo_{field}" for field in _GEO_FIELDS),
    "DATEADDED", "SOURCEURL",
)

# The GDELT 2.0 mentions table, in file order.
GDELT_MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset",
    "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
    "MentionDocTranslationInfo", "Extras",
)

_EVENT_INDEX = {name: i for i, name in enumerate(GDELT_EVENT_COLUMNS)}
_MENTION_INDEX = {name: i for i, name in enumerate(GDELT_MENTION_COLUMNS)}

# GDELT's own file names: 20251101000000.export.CSV.zip, ...mentions.CSV.zip and the
# translingual feed's 20251101000000.translation.export.CSV.zip.
_GDELT_NAME = re.compile(r"\.(?:translation\.)?(?:export|mentions)\.csv(?:\.zip)?$", re.I)


def is_gdelt_file(path: Path) -> bool:
    """Whether the file name is a GDELT 2.0 export or mentions file (zipped or not)."""
    return _GDELT_NAME.search(path.name) is not None


def read_gdelt(path: Path) -> Iterator[GdeltEvent | GdeltMention | InputError]:
    """Each row of a GDELT 2.0 events or mentions file (.csv, .tsv, .txt or .zip).

    The table is told by the column count of the first row (61 events, 16 mentions).
    A file that is neither yields one InputError; a bad row yields an InputError
    naming ``"{path} line {n}"`` and reading goes on with the next.
    """
    try:
        yield from _parse_lines(path, _numbered_lines(path))
    except (OSError, zipfile.BadZipFile) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        yield InputError(f"cannot read GDELT file ({reason})", where=str(path))
    except InputError as err:
        yield err


def _numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Non-blank lines, decoded, with their 1-based line numbers (zip: its one member)."""
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if len(members) != 1:
                raise InputError(
                    f"expected one file inside the zip, as GDELT publishes, found {len(members)}",
                    where=str(path),
                )
            with archive.open(members[0]) as fh:
                yield from _decode(fh)
    else:
        with path.open("rb") as fh:
            yield from _decode(fh)


def _decode(raw_lines: Iterable[bytes]) -> Iterator[tuple[int, str]]:
    # Split on b"\n" only: a stray \r inside a field must not start a new row.
    for number, raw in enumerate(raw_lines, start=1):
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if line.strip():
            yield number, line


def _parse_lines(
    path: Path, lines: Iterator[tuple[int, str]]
) -> Iterator[GdeltEvent | GdeltMention | InputError]:
    width = 0
    for number, line in lines:
        fields = line.split("\t")
        if not width:
            width = _table_width(path, len(fields))
        where = f"{path} line {number}"
        if len(fields) != width:
            yield InputError(f"expected {width} tab-separated columns, found {len(fields)}",
                             where=where)
            continue
        try:
            yield _event(fields) if width == len(GDELT_EVENT_COLUMNS) else _mention(fields)
        except ValueError as exc:
            yield InputError(str(exc), where=where)


def _table_width(path: Path, found: int) -> int:
    if found in (len(GDELT_EVENT_COLUMNS), len(GDELT_MENTION_COLUMNS)):
        return found
    raise InputError(
        "not a GDELT 2.0 events (61 columns) or mentions (16 columns) file: "
        f"found {found} columns",
        where=str(path),
    )


# --- field parsers: each raises ValueError with a message naming the column ---


def _int(value: str, column: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{column} is not a whole number: {value!r}") from None


def _float(value: str, column: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{column} is not a number: {value!r}") from None


def _opt_float(value: str, column: str) -> float | None:
    return _float(value, column) if value else None


def _offset(value: str, column: str) -> int | None:
    """GDELT writes -1 (or nothing) where an offset is unknown."""
    number = _int(value, column) if value else -1
    return None if number < 0 else number


def _sqldate(value: str, column: str) -> str:
    try:
        return datetime.strptime(value, "%Y%m%d").date().isoformat()
    except ValueError:
        raise ValueError(f"{column} is not a date YYYYMMDD: {value!r}") from None


def _timestamp(value: str, column: str) -> str:
    try:
        return datetime.strptime(value, "%Y%m%d%H%M%S").strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise ValueError(f"{column} is not a time YYYYMMDDHHMMSS: {value!r}") from None


def _percent(value: str, column: str) -> int:
    number = _int(value, column)
    if not 0 <= number <= 100:
        raise ValueError(f"{column} must be 0 to 100: {value!r}")
    return number


def _flag(value: str, column: str) -> bool:
    if value not in ("0", "1"):
        raise ValueError(f"{column} must be 0 or 1: {value!r}")
    return value == "1"


def _cameo(value: str, column: str) -> str:
    if not value.isdigit() or not 2 <= len(value) <= 4:
        raise ValueError(f"{column} is not a CAMEO event code: {value!r}")
    return value


# --- rows ---


def _actor(fields: list[str], prefix: str) -> StoredActor | None:
    def get(name: str) -> str:
        return fields[_EVENT_INDEX[prefix + name]]

    code = get("Code")
    if not code:
        return None
    country = get("CountryCode") or None
    if country is None and code[:3] in ORGANISATION_PREFIXES:
        country = code[:3]
    name = get("Name") or None
    return StoredActor(code=code, country=country, agent=get("Type1Code") or None,
                       text=name, name=name)


def _event(fields: list[str]) -> GdeltEvent:
    def get(name: str) -> str:
        return fields[_EVENT_INDEX[name]]

    cameo = _cameo(get("EventCode"), "EventCode")
    known = codebook()
    return GdeltEvent(
        global_id=get("GLOBALEVENTID"),
        date=_sqldate(get("SQLDATE"), "SQLDATE"),
        source=_actor(fields, "Actor1"),
        target=_actor(fields, "Actor2"),
        is_root=_flag(get("IsRootEvent"), "IsRootEvent"),
        cameo=cameo,
        root=(get("EventRootCode") or cameo[:2]).zfill(2),
        quad=_int(get("QuadClass"), "QuadClass"),
        goldstein=_float(get("GoldsteinScale"), "GoldsteinScale"),
        num_mentions=_int(get("NumMentions"), "NumMentions"),
        num_sources=_int(get("NumSources"), "NumSources"),
        num_articles=_int(get("NumArticles"), "NumArticles"),
        avg_tone=_float(get("AvgTone"), "AvgTone"),
        location=get("ActionGeo_FullName") or None,
        lat=_opt_float(get("ActionGeo_Lat"), "ActionGeo_Lat"),
        long=_opt_float(get("ActionGeo_Long"), "ActionGeo_Long"),
        date_added=_timestamp(get("DATEADDED"), "DATEADDED"),
        url=get("SOURCEURL"),
        plover=known[cameo].plover if cameo in known else None,
    )


def _mention(fields: list[str]) -> GdeltMention:
    def get(name: str) -> str:
        return fields[_MENTION_INDEX[name]]

    sentence = get("SentenceID")
    return GdeltMention(
        global_id=get("GLOBALEVENTID"),
        event_time=_timestamp(get("EventTimeDate"), "EventTimeDate"),
        mention_time=_timestamp(get("MentionTimeDate"), "MentionTimeDate"),
        mention_type=_int(get("MentionType"), "MentionType"),
        source_name=get("MentionSourceName"),
        url=get("MentionIdentifier"),
        sentence_id=_int(sentence, "SentenceID") if sentence else None,
        actor1_offset=_offset(get("Actor1CharOffset"), "Actor1CharOffset"),
        actor2_offset=_offset(get("Actor2CharOffset"), "Actor2CharOffset"),
        action_offset=_offset(get("ActionCharOffset"), "ActionCharOffset"),
        in_raw_text=_flag(get("InRawText"), "InRawText"),
        confidence=_percent(get("Confidence"), "Confidence"),
        doc_len=_int(get("MentionDocLen"), "MentionDocLen"),
        doc_tone=_float(get("MentionDocTone"), "MentionDocTone"),
        translation=get("MentionDocTranslationInfo") or None,
    )


# --- writing: stored events as GDELT 2.0 event rows ---


def _clean(value: object) -> str:
    """A field as GDELT writes it: empty for None, no tabs or line breaks inside."""
    if value is None:
        return ""
    return " ".join(str(value).replace("\t", " ").splitlines())


def _number(value: float) -> str:
    return f"{value:g}"


def _digits(value: str | None, width: int) -> str:
    """The first ``width`` digits of an ISO date or time, padded with zeros; "" for None."""
    if not value:
        return ""
    digits = "".join(ch for ch in value[:19] if ch.isdigit())
    return digits.ljust(width, "0")[:width] if len(digits) >= 8 else ""


def _date_columns(event: StoredEvent) -> list[str]:
    """SQLDATE, MonthYear, Year, FractionDate (empty when the event has no date)."""
    sqldate = _digits(event.date or event.published, 8)
    if not sqldate:
        return ["", "", "", ""]
    year, month, day = int(sqldate[:4]), int(sqldate[4:6]), int(sqldate[6:8])
    # GDELT's own formula (30-day months over a 365-day year), so values match its files.
    fraction = year + ((month - 1) * 30 + day) / 365
    return [sqldate, sqldate[:6], sqldate[:4], f"{fraction:.4f}"]


def _actor_columns(actor: StoredActor | None) -> list[str]:
    """Code, Name, CountryCode, KnownGroupCode, Ethnic, Religion1/2, Type1/2/3Code."""
    if actor is None:
        return [""] * 10
    group = actor.code[3:6] if actor.code[:3] in ORGANISATION_PREFIXES else ""
    # GDELT leaves CountryCode empty for IGOs and NGOs and names the group instead.
    country = "" if group else _clean(actor.country)
    name = actor.name or actor.text
    return [_clean(actor.code), _clean(name), country, group, "", "", "",
            _clean(actor.agent), "", ""]


def gdelt_row(event: StoredEvent, *, numeric_id: int) -> list[str]:
    """The event as one GDELT 2.0 event row: 61 strings, in GDELT_EVENT_COLUMNS order.

    GLOBALEVENTID is ``numeric_id`` (GDELT's is a number; ours is not). IsRootEvent
    is 1 when the event's first report is the article's first sentence
    (``sentence_start == 0``), GDELT's own test being "in the lead paragraph".
    AvgTone and all geo columns but ActionGeo_FullName are empty: we have no values.
    """
    geo = [""] * 8
    action_geo = ["", _clean(event.location), "", "", "", "", "", ""]
    row = [
        str(numeric_id), *_date_columns(event),
        *_actor_columns(event.source), *_actor_columns(event.target),
        "1" if event.sentence_start == 0 else "0",
        event.cameo, event.cameo[:3], event.root.zfill(2), str(event.quad),
        _number(event.goldstein), str(event.num_mentions), str(event.num_sources),
        str(event.num_articles), "",
        *geo, *geo, *action_geo,
        _digits(event.published or event.date, 14), _clean(event.url),
    ]
    assert len(row) == len(GDELT_EVENT_COLUMNS)  # a wrong count would shift every column
    return row


def write_gdelt(events: Iterable[StoredEvent], fh: TextIO) -> int:
    """GDELT 2.0 event rows, tab-separated, no header; GLOBALEVENTID counts from 1."""
    count = 0
    for count, event in enumerate(events, start=1):
        fh.write("\t".join(gdelt_row(event, numeric_id=count)) + "\n")
    return count
