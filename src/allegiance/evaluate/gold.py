"""Reading the gold sets (all the dev-set formats of the shared data README)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allegiance.errors import InputError
from allegiance.ontology.cameo import codebook

__all__ = ["GoldEvent", "GoldRecord", "load_gold"]

# PLOVER category of the PLV data -> the CAMEO root it stands for (18-20 -> 19).
PLV_ROOTS = {
    "AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07",
    "YIELD": "08", "INVESTIGATE": "09", "REQUEST": "10", "DEMAND": "10", "ACCUSE": "11",
    "REJECT": "12", "THREATEN": "13", "PROTEST": "14", "MOBILIZE": "15", "SANCTION": "16",
    "COERCE": "17", "ASSAULT": "19",
}


@dataclass(frozen=True, slots=True)
class GoldEvent:
    source: str | None
    target: str | None
    code: str | None  # full CAMEO code where the set gives one
    plover: str | None  # PLOVER category (PLV naming) where given
    pentaclass: int | None
    source_text: str | None
    target_text: str | None

    @property
    def root(self) -> str | None:
        if self.code:
            return self.code[:2]
        return PLV_ROOTS.get(self.plover or "")


@dataclass(frozen=True, slots=True)
class GoldRecord:
    id: str
    text: str
    date: str | None
    events: tuple[GoldEvent, ...]
    noevents: bool
    pairs_given: bool  # source and target texts are given (classify-style scoring)


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        return value[0] if value else None
    return value if isinstance(value, str) else None


def _pentaclass(code: str | None, given: Any) -> int | None:
    if isinstance(given, int):
        return given
    if code and code in codebook():
        return codebook()[code].pentaclass
    return None


def _event(ev: dict[str, Any]) -> GoldEvent:
    code = ev.get("code")
    if code is not None and code not in codebook():
        code = None  # WEIS-era codes of the PETRARCH unit tests are not CAMEO
    plover = ev.get("plover")
    return GoldEvent(
        source=ev.get("source"), target=ev.get("target"), code=code,
        plover=plover if plover in PLV_ROOTS else None,
        pentaclass=_pentaclass(code, ev.get("pentaclass")),
        source_text=_first(ev.get("source_text")), target_text=_first(ev.get("target_text")),
    )


def _record(raw: dict[str, Any], where: str) -> GoldRecord:
    if not isinstance(raw.get("text"), str):
        raise InputError("gold record needs 'text'", where=where)
    if "events" in raw:
        # Background events (mode "historical", our own labels) are not news: the coder
        # leaves them out by default, so the gold does too.
        events = tuple(_event(e) for e in raw["events"] if e.get("mode") != "historical")
    else:  # PLV: one pair per record, labelled with a category and pentaclass
        events = (GoldEvent(None, None, None, raw.get("plover"), raw.get("quad"),
                            raw.get("source_text"), raw.get("target_text")),)
    pairs = bool(events) and all(e.source_text and e.target_text for e in events)
    date = raw.get("date")  # not "date_placeholder": that is no real date
    # A sentence whose only events are background reports no news: nothing to find.
    had_modes = any(isinstance(e, dict) and "mode" in e for e in raw.get("events") or [])
    noevents = bool(raw.get("noevents")) or (had_modes and not events)
    return GoldRecord(str(raw.get("id", where)), raw["text"], date, events, noevents, pairs)


def load_gold(path: Path) -> list[GoldRecord]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"malformed JSON ({exc.msg})", where=f"{path}:{number}") from None
            if raw.get("active") is False:
                continue
            out.append(_record(raw, f"{path}:{number}"))
    return out
