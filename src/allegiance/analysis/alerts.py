"""Alert rules: a small YAML file of what to watch, matched against the store.

An alerts file (docs/analysis.md, "Alerts") is a list of rules::

    rules:
      - name: venezuela-asks-for-arms
        actor: VEN              # either side; or source: / target: / dyad: [VEN, RUS]
        cameo: ["023"]          # codes or prefixes, quoted ("19" is a whole root)
        plover: [REQUEST]       # with cameo: an event matching either is enough
        min_goldstein: 3        # |Goldstein| at least
        min_mentions: 2         # reports at least
        min_confidence: 0.5
      - name: venezuela-relations-move
        actor: VEN
        shift: 2.0              # |shift score| (analysis.shifts) at least ...
        days: 28                # ... over the last 28 days of the store (or --until)
        freq: week

An *event rule* matches single stored events; a *shift rule* (one with ``shift``)
matches dyads whose relation moved. Matching only reads the store: it returns
:class:`~allegiance.records.Alert` records, whose ids hash the rule and the match, and the
caller stores them (``Store.write_alerts`` keeps the new ones), so rules evaluated after
every ingest raise each match once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from allegiance.analysis.load import (
    ANALYSED_MODES,
    EVERYTHING,
    FREQS,
    Window,
    load_events,
    reading,
    side_mask,
    with_evidence,
)
from allegiance.analysis.shifts import shifts
from allegiance.errors import ConfigError, NoDataError
from allegiance.ontology.cameo import codebook
from allegiance.records import Alert
from allegiance.store.store import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AlertRulesError", "Rule", "evaluate", "read_rules"]

_SIDES = ("actor", "source", "target", "dyad")
_EVENT_KEYS = ("cameo", "plover", "min_goldstein", "min_mentions", "min_confidence", "modes")
_SHIFT_KEYS = ("shift", "days", "freq")
KNOWN_KEYS = ("name", *_SIDES, *_EVENT_KEYS, *_SHIFT_KEYS)


class AlertRulesError(ConfigError):
    """An alerts file that cannot be used; the message names the file, rule and key."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of an alerts file (module doc)."""

    name: str
    actor: str | None = None
    source: str | None = None
    target: str | None = None
    dyad: tuple[str, str] | None = None
    cameo: tuple[str, ...] = ()
    plover: tuple[str, ...] = ()
    min_goldstein: float | None = None
    min_mentions: int | None = None
    min_confidence: float | None = None
    modes: tuple[str, ...] = ANALYSED_MODES
    shift: float | None = None
    days: int = 28
    freq: str = "week"

    @property
    def kind(self) -> str:
        return "shift" if self.shift is not None else "event"


# -- reading -----------------------------------------------------------------------------


@cache
def _plover_categories() -> frozenset[str]:
    return frozenset(c.plover for c in codebook() if c.plover)


def read_rules(path: str | Path) -> tuple[Rule, ...]:
    """The rules of an alerts file; an :class:`AlertRulesError` naming the file, the rule
    and the key for anything wrong."""
    import yaml

    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AlertRulesError(f"cannot read the alerts file {path}: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise AlertRulesError(f"{path}{where} is not valid YAML: {problem}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise AlertRulesError(f"{path} must hold a mapping with a list under 'rules:' "
                              "(see docs/analysis.md, Alerts)")
    if not data["rules"]:
        raise AlertRulesError(f"{path} has no rules")
    if extra := sorted(map(str, set(data) - {"rules"})):
        raise AlertRulesError(f"{path}: unknown top-level key {extra[0]!r}; only 'rules:'")
    rules = [_rule(raw, n, path) for n, raw in enumerate(data["rules"], 1)]
    names = [r.name for r in rules]
    if dup := next((n for n in names if names.count(n) > 1), None):
        raise AlertRulesError(f"{path}: two rules are named {dup!r}; names must be unique")
    return tuple(rules)


def _rule(raw: Any, number: int, path: Path) -> Rule:
    if not isinstance(raw, dict):
        raise AlertRulesError(f"{path}, rule {number}: a rule is a mapping of keys "
                              f"(name:, actor:, ...), got {raw!r}")
    name = raw.get("name")
    where = f"{path}, rule {number}" + (f" ({name})" if isinstance(name, str) else "")
    if not isinstance(name, str) or not name.strip():
        raise AlertRulesError(f"{where}: every rule needs a name:")
    if unknown := sorted(map(str, set(raw) - set(KNOWN_KEYS))):
        raise AlertRulesError(f"{where}: unknown key {unknown[0]!r}; known keys: "
                              f"{', '.join(KNOWN_KEYS)}")
    try:
        return _checked(_fields(raw), raw)
    except (TypeError, ValueError) as exc:
        raise AlertRulesError(f"{where}: {exc}") from None


def _fields(raw: dict[str, Any]) -> dict[str, Any]:
    f: dict[str, Any] = {"name": raw["name"].strip()}
    for side in ("actor", "source", "target"):
        if side in raw:
            f[side] = _actor(raw[side], side)
    if "dyad" in raw:
        pair = raw["dyad"]
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValueError(f"dyad: must be a list of two actors like [VEN, RUS], got {pair!r}")
        f["dyad"] = (_actor(pair[0], "dyad"), _actor(pair[1], "dyad"))
    if "cameo" in raw:
        f["cameo"] = tuple(_cameo(c) for c in _listed(raw["cameo"]))
    if "plover" in raw:
        f["plover"] = tuple(_plover(p) for p in _listed(raw["plover"]))
    if "modes" in raw:
        f["modes"] = tuple(str(m) for m in _listed(raw["modes"]))
        if bad := [m for m in f["modes"] if m not in ANALYSED_MODES]:
            raise ValueError(f"modes: {bad[0]!r} is not one of {', '.join(ANALYSED_MODES)}")
    for key, low, high in (("min_goldstein", 0, 10), ("min_confidence", 0, 1),
                           ("shift", 0, math.inf)):
        if key in raw:
            f[key] = _number(raw[key], key, low, high)
    for key in ("min_mentions", "days"):
        if key in raw:
            if not isinstance(raw[key], int) or isinstance(raw[key], bool) or raw[key] < 1:
                raise ValueError(f"{key}: must be a whole number of 1 or more, got {raw[key]!r}")
            f[key] = raw[key]
    if "freq" in raw:
        if raw["freq"] not in FREQS:
            raise ValueError(f"freq: must be one of {', '.join(FREQS)}, got {raw['freq']!r}")
        f["freq"] = raw["freq"]
    return f


def _checked(f: dict[str, Any], raw: dict[str, Any]) -> Rule:
    rule = Rule(**f)
    if sum(("actor" in raw, "dyad" in raw, "source" in raw or "target" in raw)) > 1:
        raise ValueError("give one of actor:, source:/target: or dyad:, not several")
    if rule.kind == "shift":
        if used := [k for k in _EVENT_KEYS if k in raw]:
            raise ValueError(f"{used[0]}: is for event rules; a shift rule (shift:) takes "
                             "actor: or dyad:, days: and freq:")
        if "source" in raw or "target" in raw:
            raise ValueError("a shift is of an undirected dyad: use actor: or dyad:")
    elif not any(k in raw for k in (*_SIDES, *_EVENT_KEYS) if k != "modes"):
        raise ValueError("the rule would match every event: give an actor, a dyad, a "
                         "code or a threshold")
    elif used := [k for k in ("days", "freq") if k in raw]:
        raise ValueError(f"{used[0]}: is for shift rules (with shift:)")
    return rule


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _actor(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.isalnum() or len(value) < 3:
        raise ValueError(f"{key}: must be an actor code like VEN or IGOUNO, got {value!r}")
    return value.upper()


def _cameo(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(f"cameo: quote CAMEO codes ('0232', '19'): YAML reads {value!r} "
                         "as a number and drops leading zeros")
    if not isinstance(value, str) or not value.isdigit() or not 2 <= len(value) <= 4:
        raise ValueError(f"cameo: must be a CAMEO code or prefix of 2-4 digits, got {value!r}")
    if not any(code.startswith(value) for code in codebook().codes()):
        raise ValueError(f"cameo: no CAMEO code starts with {value!r}")
    return value


def _plover(value: Any) -> str:
    if not isinstance(value, str) or value.upper() not in _plover_categories():
        raise ValueError(f"plover: {value!r} is not a PLOVER category; known: "
                         f"{', '.join(sorted(_plover_categories()))}")
    return value.upper()


def _number(value: Any, key: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not low <= value <= high:
        limit = f"from {low} to {high}" if high != math.inf else f"above {low}"
        raise ValueError(f"{key}: must be a number {limit}, got {value!r}")
    return float(value)


# -- matching ----------------------------------------------------------------------------


def evaluate(db: str | Store | None, rules: Sequence[Rule], *,
             window: Window = EVERYTHING) -> list[Alert]:
    """Every match of ``rules`` in the store (events dated in ``window``; a shift rule
    looks at the last ``days`` days up to ``window.until`` or the newest event)."""
    out: list[Alert] = []
    with reading(db) as store:
        for rule in rules:
            out += (_shift_alerts(store, rule, window) if rule.kind == "shift"
                    else _event_alerts(store, rule, window))
    return out


def _alert_id(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()


def _matching(frame: pd.DataFrame, rule: Rule) -> pd.DataFrame:
    keep = frame["mode"].isin(rule.modes)
    if rule.source:
        keep &= side_mask(frame, "source", rule.source)
    if rule.target:
        keep &= side_mask(frame, "target", rule.target)
    if rule.cameo or rule.plover:
        coded = frame["cameo"].fillna("")
        hit = coded.str.startswith(rule.cameo) if rule.cameo else coded.eq("\x00")
        keep &= hit | frame["plover"].isin(rule.plover)
    if rule.min_goldstein is not None:
        keep &= frame["goldstein"].abs() >= rule.min_goldstein
    if rule.min_mentions is not None:
        keep &= frame["num_mentions"] >= rule.min_mentions
    return frame[keep]


def _event_alerts(store: Store, rule: Rule, window: Window) -> list[Alert]:
    frame = load_events(store, window, actor=rule.actor or rule.source or rule.target,
                        dyad=rule.dyad, min_confidence=rule.min_confidence)
    hits = with_evidence(store, _matching(frame, rule))
    out = []
    for e in hits.itertuples():
        what = codebook()[e.cameo].name if e.cameo in codebook() else e.cameo
        n = int(e.num_mentions)
        text = (f"{e.source_code or '-'} {e.cameo} {e.target_code or '-'} ({what}) on "
                f"{e.date}, {n} report{'s' if n != 1 else ''}: {e.sentence}")
        out.append(Alert(_alert_id(rule.name, e.event_id), rule.name, "event",
                         e.source_key, e.target_key, e.date, text, e.event_id, e.cameo,
                         float(e.goldstein), n, e.url))
    return out


def _shift_alerts(store: Store, rule: Rule, window: Window) -> list[Alert]:
    assert rule.shift is not None
    until = window.until or _newest(store, rule)
    if until is None:
        return []
    since = (dt.date.fromisoformat(until) - dt.timedelta(days=rule.days - 1)).isoformat()
    try:
        ranked = shifts(store, since=since, until=until, freq=rule.freq, min_events=1,
                        actor=rule.actor or (rule.dyad[0] if rule.dyad else None),
                        partner=_key(rule.dyad[1]) if rule.dyad else None, drivers_for=0)
    except NoDataError:
        return []
    ranked = ranked[ranked["score"].abs() >= rule.shift]
    if len(ranked):  # the drivers of the matches only
        ranked = shifts(store, since=since, until=until, freq=rule.freq, min_events=1,
                        actor=rule.actor or (rule.dyad[0] if rule.dyad else None),
                        partner=_key(rule.dyad[1]) if rule.dyad else None,
                        drivers_for=len(ranked))
        ranked = ranked[ranked["score"].abs() >= rule.shift]
    out = []
    for r in ranked.itertuples():
        text = (f"{r.a}-{r.b} {r.direction}: shift score {r.score:+.2f}, net Goldstein "
                f"{r.recent:+.1f} a {rule.freq} against a usual {r.baseline:+.1f}, "
                f"{since} to {until} ({r.events} event{'s' if r.events != 1 else ''})")
        top = r.drivers.iloc[0] if len(r.drivers) else None
        out.append(Alert(_alert_id(rule.name, r.a, r.b, since), rule.name, "shift", r.a,
                         r.b, since, text, None if top is None else top["event_id"],
                         None, float(r.score), int(r.events),
                         None if top is None else top["url"]))
    return out


def _key(actor: str) -> str:
    """A shift is between actor keys: USAGOV's dyads are the USA's."""
    from allegiance.ontology.actors import actor_key

    return actor_key(actor)


def _newest(store: Store, rule: Rule) -> str | None:
    """The newest analysed day with the rule's actor or dyad (any event without one)."""
    from allegiance.store.analytic import newest_date
    from allegiance.store.query import EventFilter

    found = newest_date(store, EventFilter(modes=ANALYSED_MODES, negated=False,
                                           coder="allegiance"),
                        actors=(rule.actor,) if rule.actor else (), dyad=rule.dyad)
    return found[:10] if found else None
