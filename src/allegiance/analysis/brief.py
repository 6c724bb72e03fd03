"""Cited briefings, realised from stored events by templates (no language model).

Every sentence of a brief is a :class:`Claim` made from a group of events that share
source, target and CAMEO code: the template of ``data/brief_templates.tsv`` says what
they did, the dates and count come from the events, and the claim cites them. A claim
is hedged when its events are only ``reported`` ("reportedly"), announced (``future``:
"said it would") or coded with low confidence. :func:`verify` proves, for each claim,
that every cited event is in the store, links the claim's actors in the claim's
direction with the claim's code, is neither negated nor background, and has an
evidence sentence naming both actors as coded; ``build_brief`` refuses to return a
brief that fails it. So no sentence cites a source that does not say what it claims.

Claims are ordered by importance: Goldstein magnitude times mentions, plus novelty (a
dyad not seen in the previous window of the same length).
"""

from __future__ import annotations

import csv
import html
import json
import math
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from allegiance.analysis.load import (
    EVERYTHING,
    Window,
    load_events,
    load_sums,
    reading,
    require_actor,
    side_mask,
    with_evidence,
)
from allegiance.analysis.names import actor_name
from allegiance.analysis.profile import partner_table, previous_window
from allegiance.analysis.shifts import shifts
from allegiance.errors import AllegianceError, ConfigError, NoDataError
from allegiance.store.store import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Brief", "Claim", "Reference", "build_brief", "render", "verify"]

LOW_CONFIDENCE = 0.5
# The smallest shift score (analysis.shifts) a brief reports as a change.
MIN_SHIFT = 0.5
MAX_CITATIONS = 3
FORMATS = ("md", "html", "json")


@dataclass(frozen=True, slots=True)
class Reference:
    """One cited sentence of one article, and the events coded from it that are cited."""

    number: int
    event_ids: tuple[str, ...]
    title: str | None
    publisher: str | None
    date: str | None
    url: str | None
    evidence: str


@dataclass(frozen=True, slots=True)
class Claim:
    """A sentence of the brief and what backs it: the events it was made from (all
    sharing ``source`` and ``cameo`` and with one of ``targets``, or listed per partner
    for the section ``involved``) and the reference numbers it cites."""

    section: str
    text: str
    source: str | None
    target: str | None  # the one target; None for several (see targets) or none
    cameo: str | None
    event_ids: tuple[str, ...]
    citations: tuple[int, ...]
    hedged: bool = False
    targets: tuple[str | None, ...] = ()  # developments: every target, in the text's order

    def allowed_targets(self) -> tuple[str | None, ...]:
        return self.targets or (self.target,)


@dataclass(frozen=True)
class Brief:
    """A brief: its claims in order, its references, and the cited events (with their
    evidence) that :func:`verify` checks the claims against."""

    actor: str
    dyad: str | None
    window: Window
    claims: tuple[Claim, ...]
    references: tuple[Reference, ...]
    events: pd.DataFrame = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"actor": self.actor, "dyad": self.dyad,
                "window": {"since": self.window.since, "until": self.window.until},
                "claims": [asdict(c) for c in self.claims],
                "references": [asdict(r) for r in self.references]}


class BriefCheckError(AllegianceError):
    """A claim that its cited events do not support (a bug: briefs are built so that
    this never happens)."""


@cache
def _templates() -> dict[str, tuple[str, str]]:
    text = resources.files("allegiance.data").joinpath("brief_templates.tsv").read_text("utf-8")
    rows = csv.DictReader([line for line in text.splitlines() if not line.startswith("#")],
                          delimiter="\t")
    return {row["code"]: (row["past"], row["base"]) for row in rows}


def _template(cameo: str) -> tuple[str, tuple[str, str]]:
    """The most specific template key for a code (itself, its 3-digit parent, its root)."""
    for key in (cameo, cameo[:3], cameo[:2]):
        if key in _templates():
            return key, _templates()[key]
    raise ConfigError(f"no brief template for CAMEO {cameo} or its root in "
                      "data/brief_templates.tsv")


_THE = ("United", "European", "Republic", "Democratic", "Central African", "Czech",
        "Netherlands", "Philippines", "Gambia", "Bahamas", "Maldives", "Holy See")


def _name(key: str | None, *, start: bool = False) -> str:
    name = actor_name(key)
    if name.startswith(_THE) or (" of " in name and not name.startswith(("Bosnia", "Congo"))):
        name = f"{'The' if start else 'the'} {name}"
    return name


def _dates(days: pd.Series) -> str:
    first, last = days.min(), days.max()
    if first == last:
        return f"on {first.day} {first:%B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"between {first.day} and {last.day} {last:%B %Y}"
    return f"between {first.day} {first:%B %Y} and {last.day} {last:%B %Y}"


def _sentence(source: str | None, targets: list[str | None], cameo: str,
              events: pd.DataFrame) -> tuple[str, bool]:
    _, (past, base) = _template(cameo)
    who = _name(source, start=True)
    what = past
    modes = set(events["mode"])
    hedged = False
    if modes == {"future"}:
        text, hedged = f"{who} said it would {base}", True
    elif "asserted" not in modes:
        text, hedged = f"{who} reportedly {what}", True
    else:
        text = f"{who} {what}"
    text = text.replace("{target}", _listing([_name(t) for t in targets]))
    text += f" {_dates(events['day'])}"
    if len(events) > 1:
        text += f" ({len(events)} events)"
    if events["confidence"].fillna(1.0).max() < LOW_CONFIDENCE:
        text += ", by the coder's low-confidence reading"
        hedged = True
    return text + ".", hedged


def _listing(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class _Citer:
    """Numbers references in order of first citation, one per sentence of an article
    (three events coded from one sentence are one reference); their articles and evidence
    are read at the end, for the cited events only (:meth:`references`)."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[Any, ...], int] = {}
        self._events: dict[int, list[str]] = {}

    def cite(self, events: pd.DataFrame) -> tuple[int, ...]:
        numbers: list[int] = []
        for row in events[["event_id", "doc_id", "sentence_start"]].itertuples(index=False):
            key = ((row.doc_id, row.sentence_start) if isinstance(row.doc_id, str)
                   else ("event", row.event_id))
            number = self._numbers.setdefault(key, len(self._numbers) + 1)
            cited = self._events.setdefault(number, [])
            if row.event_id not in cited:
                cited.append(row.event_id)
            if number not in numbers:
                numbers.append(number)
        return tuple(numbers)

    def cited(self, mine: pd.DataFrame) -> pd.DataFrame:
        ids = {i for events in self._events.values() for i in events}
        return mine[mine["event_id"].isin(ids)]

    def references(self, cited: pd.DataFrame) -> tuple[Reference, ...]:
        """The references, given the cited events with their evidence."""
        rows = cited.set_index("event_id", drop=False)
        out = []
        for number, ids in sorted(self._events.items()):
            row = rows.loc[ids[0]]
            out.append(Reference(number, tuple(ids), row["title"], row["publisher"],
                                 (row["published"] or row["date"] or "")[:10] or None,
                                 row["url"], row["sentence"] or ""))
        return tuple(out)


def _strongest(events: pd.DataFrame, n: int = MAX_CITATIONS) -> pd.DataFrame:
    """The events a claim cites: most reported and strongest first, distinct articles."""
    ranked = events.assign(_s=events["goldstein"].abs() * events["num_mentions"])
    ranked = ranked.sort_values(["_s", "day"], ascending=False)
    return ranked.drop_duplicates("doc_id").head(n)


def _developments(mine: pd.DataFrame, seen: set[tuple[Any, Any]], limit: int) -> list[Any]:
    """The heaviest (source, target, template) groups (module doc), those of one source
    and template told on the same dates merged into one sentence naming every target:
    (source, targets, template, events), at most ``limit``."""
    import pandas as pd

    templates = {c: _template(c)[0] for c in mine["cameo"].unique()}
    # "" for a missing side: NaN keys do not look themselves up reliably.
    keyed = mine.assign(tkey=mine["cameo"].map(templates),
                        _w=mine["goldstein"].abs().clip(lower=1) * mine["num_mentions"],
                        _s=mine["source_key"].fillna(""), _t=mine["target_key"].fillna(""))
    columns = ["_s", "_t", "tkey"]
    grouped = keyed.groupby(columns, dropna=False)
    weights = grouped["_w"].sum()
    novelty = [1.5 if (s or None, t or None) not in seen else 1.0
               for s, t, _ in weights.index]
    ranked = (weights * novelty).reset_index(name="weight")
    ranked = ranked.sort_values(["weight", "tkey", "_t"], ascending=[False, True, True])
    rows = grouped.indices  # group key -> row positions, no copies
    merged: dict[tuple[Any, ...], tuple[Any, list[str | None], str, list[Any]]] = {}
    opened: set[tuple[Any, str]] = set()
    for src, tgt, tkey in zip(ranked["_s"], ranked["_t"], ranked["tkey"], strict=True):
        source, target = src or None, tgt or None
        if len(merged) == limit and (source, tkey) not in opened:
            continue  # cannot join a sentence: skip without reading its events
        events = keyed.iloc[rows[(src, tgt, tkey)]]
        # One sentence per source, template, dates and hedging (modes, low confidence;
        # a target-less event is its own sentence: "was attacked" names nobody to list).
        low = bool(events["confidence"].fillna(1.0).max() < LOW_CONFIDENCE)
        key = (source, tkey, _dates(events["day"]), frozenset(events["mode"]), low,
               target is None)
        if key not in merged:
            if len(merged) == limit:
                continue
            merged[key] = (source, [], tkey, [])
            opened.add((source, tkey))
        merged[key][1].append(target)
        merged[key][3].append(events)
    return [(source, targets, tkey, pd.concat(parts).drop(columns=["_w", "_s", "_t"]))
            for source, targets, tkey, parts in merged.values()]


def build_brief(db: str | Store | None, actor: str, *, dyad: str | None = None,
                window: Window = EVERYTHING, limit: int = 8,
                min_confidence: float | None = None) -> Brief:
    """The brief on ``actor`` (and, with ``dyad`` = another actor, only their relation)."""
    with reading(db) as store:
        return _build(store, actor, dyad, window, limit, min_confidence)


def _build(store: Store, actor: str, dyad: str | None, window: Window, limit: int,
           min_confidence: float | None) -> Brief:
    import pandas as pd

    mine = load_events(store, window, actor=actor, min_confidence=min_confidence)
    require_actor(mine, actor, window)
    if dyad:
        other = dyad.upper()
        mine = mine[(side_mask(mine, "source", other) | side_mask(mine, "target", other))]
        if mine.empty:
            raise NoDataError(f"no events between {actor.upper()} and {other} "
                              f"{window.describe()}")
    # Which dyads the previous window had (novelty): summed, no event read.
    before = load_sums(store, previous_window(window, mine), ("source_key", "target_key"),
                       actors=(actor,), min_confidence=min_confidence)
    seen = set(zip(before["source_key"], before["target_key"], strict=True))
    citer = _Citer()
    claims: list[Claim] = []
    for source, targets, tkey, events in _developments(mine, seen, limit):
        text, hedged = _sentence(source, targets, tkey, events)
        # An unhedged claim cites only what the sources assert, not what they report;
        # each target's strongest events.
        backing = events if hedged else events[events["mode"] == "asserted"]
        cited = pd.concat([_strongest(backing[backing["target_key"].isna()
                                              if t is None else backing["target_key"] == t])
                           for t in targets])
        claims.append(Claim("developments", text, source,
                            targets[0] if len(targets) == 1 else None, tkey,
                            tuple(events["event_id"]), citer.cite(cited), hedged,
                            tuple(targets)))
    claims += _changes(store, actor, dyad, window, mine, citer, min_confidence)
    claims += _involved(actor, mine, citer)
    cited = with_evidence(store, citer.cited(mine))
    brief = Brief(actor.upper(), dyad.upper() if dyad else None, window, tuple(claims),
                  citer.references(cited), cited)
    if problems := verify(brief):
        raise BriefCheckError("the brief failed its own check: " + "; ".join(problems))
    return brief


def _changes(db: Store, actor: str, dyad: str | None, window: Window,
             mine: pd.DataFrame, citer: _Citer,
             min_confidence: float | None) -> list[Claim]:
    since = window.since or mine["day"].min().date().isoformat()
    try:
        ranked = shifts(db, since=since, until=window.until, actor=actor, partner=dyad,
                        min_events=1, min_confidence=min_confidence, drivers_for=5)
    except NoDataError:
        return []
    claims = []
    for row in ranked.head(5).itertuples():
        if abs(row.score) < MIN_SHIFT:
            continue
        other = row.b if row.a == actor_key_of(actor) else row.a
        verb = "warmed" if row.score > 0 else "cooled"
        text = (f"Relations between {_name(actor_key_of(actor))} and {_name(other)} {verb}: "
                f"net Goldstein {row.recent:+.1f} a week against a usual "
                f"{row.baseline:+.1f} (shift score {row.score:+.1f}).")
        cited = mine[mine["event_id"].isin(row.drivers["event_id"])]
        if cited.empty:  # nothing of the brief's own events to cite: no claim
            continue
        claims.append(Claim("changes", text, actor_key_of(actor), other, None,
                            tuple(cited["event_id"]), citer.cite(cited)))
    return claims


def actor_key_of(actor: str) -> str:
    from allegiance.ontology.actors import actor_key

    return actor_key(actor.upper())


def _involved(actor: str, mine: pd.DataFrame, citer: _Citer) -> list[Claim]:
    partners = partner_table(mine, actor)
    if partners.empty:
        return []
    top = partners.sort_values("events", ascending=False).head(5)
    parts, cited = [], []
    me = actor_key_of(actor)
    for partner, row in top.iterrows():
        parts.append(f"{_name(str(partner))} ({int(row['events'])} "
                     f"event{'s' if row['events'] != 1 else ''}: {int(row['cooperation'])} "
                     f"cooperative, {int(row['conflict'])} conflictual)")
        with_partner = mine[((mine["source_key"] == me) & (mine["target_key"] == partner))
                            | ((mine["target_key"] == me) & (mine["source_key"] == partner))]
        cited.append(_strongest(with_partner, 1))
    import pandas as pd

    events = pd.concat(cited)
    owner = _name(me, start=True)
    owner += "'" if owner.endswith("s") else "'s"
    text = f"{owner} counterparts: " + "; ".join(parts) + "."
    return [Claim("involved", text, me, None, None, tuple(events["event_id"]),
                  citer.cite(events))]


def verify(brief: Brief) -> list[str]:
    """Every way a claim of ``brief`` is not backed by its cited events (empty: none)."""
    problems = []
    events = brief.events.set_index("event_id", drop=False)
    refs = {r.number: r for r in brief.references}
    for claim in brief.claims:
        if not claim.citations:
            problems.append(f"{claim.text!r} cites nothing")
        for number in claim.citations:
            ref = refs.get(number)
            if ref is None or not set(ref.event_ids) <= set(events.index):
                problems.append(f"{claim.text!r} cites [{number}], which is no stored event")
                continue
            backing = [i for i in ref.event_ids if i in claim.event_ids]
            if not backing:
                problems.append(f"{claim.text!r} cites [{number}], which is none of the "
                                "events it was made from")
            for event_id in backing:
                problems += _supports(claim, events.loc[event_id], ref)
    return problems


def _supports(claim: Claim, event: Any, ref: Reference) -> list[str]:
    out = []
    where = f"{claim.text!r} [{ref.number}]"
    if bool(event["negated"]) or event["mode"] not in ("asserted", "reported", "future"):
        out.append(f"{where}: the event is negated or not news ({event['mode']})")
    if ref.evidence != (event["sentence"] or "") or not ref.evidence:
        out.append(f"{where}: the evidence is not the event's sentence")
    for side in ("source", "target"):
        text = event[f"{side}_text"]
        if isinstance(text, str) and text and text not in ref.evidence:
            out.append(f"{where}: the evidence does not name the {side} {text!r}")
    keys = (event["source_key"], event["target_key"])
    if claim.section == "developments":
        if claim.source != _none(keys[0]) or _none(keys[1]) not in claim.allowed_targets():
            out.append(f"{where}: the event's actors {keys} are not the claim's")
        if claim.cameo and not str(event["cameo"]).startswith(claim.cameo):
            out.append(f"{where}: the event's code {event['cameo']} is not {claim.cameo}")
        if event["mode"] != "asserted" and not claim.hedged:
            out.append(f"{where}: a {event['mode']} event backs an unhedged claim")
    elif claim.source not in keys or (claim.target is not None and claim.target not in keys):
        out.append(f"{where}: the event is not between the claim's actors")
    return out


def _none(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value


SECTIONS = {"developments": "Main developments", "changes": "What changed",
            "involved": "Who was involved"}


def _title(brief: Brief) -> str:
    who = _name(brief.actor, start=True)
    if brief.dyad:
        who += f" and {_name(brief.dyad)}"
    return f"{who}: brief {brief.window.describe()}"


def _explain(brief: Brief, claim: Claim) -> list[str]:
    """The claim's cited events with their evidence, and how many more it was made from."""
    events = brief.events.set_index("event_id", drop=False)
    refs = {r.number: r for r in brief.references}
    shown = [i for n in claim.citations for i in refs[n].event_ids if i in claim.event_ids]
    lines = []
    for eid in dict.fromkeys(shown):
        e = events.loc[eid]
        lines.append(f"  - event {eid[:12]} {e['date']} {e['source_code'] or '-'} "
                     f"{e['cameo']} {e['target_code'] or '-'} ({e['mode']}, confidence "
                     f"{_confidence(e['confidence'])}): "
                     f"\u201c{e['sentence']}\u201d")
    if more := len(claim.event_ids) - len(set(shown)):
        lines.append(f"  - and {more} more event{'s' if more != 1 else ''} of the same kind")
    return lines


def _confidence(value: Any) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else f"{float(value):.2f}"


def render(brief: Brief, fmt: str = "md", *, explain: bool = False) -> str:
    """The brief as Markdown, HTML (every piece of text escaped) or JSON."""
    if fmt not in FORMATS:
        raise ConfigError(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if fmt == "json":
        return json.dumps(brief.to_dict(), indent=2, ensure_ascii=False)
    if fmt == "html":
        return _html(brief)
    lines = [f"# {_title(brief)}", ""]
    for section, heading in SECTIONS.items():
        claims = [c for c in brief.claims if c.section == section]
        if not claims:
            continue
        lines += [f"## {heading}", ""]
        for claim in claims:
            cites = "".join(f"[{n}]" for n in claim.citations)
            lines.append(f"- {claim.text} {cites}")
            if explain:
                lines += _explain(brief, claim)
        lines.append("")
    lines += ["## References", ""]
    for r in brief.references:
        lines.append(f"{r.number}. {r.title or '(untitled)'}. {r.publisher or 'unknown'}, "
                     f"{r.date or 'undated'}. {r.url or '(no URL)'}. Evidence: "
                     f"\u201c{r.evidence}\u201d")
    return "\n".join(lines) + "\n"


def _html(brief: Brief) -> str:
    e = html.escape
    out = [f"<article class=\"brief\"><h1>{e(_title(brief))}</h1>"]
    for section, heading in SECTIONS.items():
        claims = [c for c in brief.claims if c.section == section]
        if not claims:
            continue
        out.append(f"<h2>{e(heading)}</h2><ul>")
        for claim in claims:
            cites = "".join(f"<a href=\"#ref-{n}\">[{n}]</a>" for n in claim.citations)
            out.append(f"<li>{e(claim.text)} {cites}</li>")
        out.append("</ul>")
    out.append("<h2>References</h2><ol>")
    for r in brief.references:
        link = (f"<a href=\"{e(r.url)}\">{e(r.url)}</a>" if r.url else "(no URL)")
        out.append(f"<li id=\"ref-{r.number}\">{e(r.title or '(untitled)')}. "
                   f"{e(r.publisher or 'unknown')}, {e(r.date or 'undated')}. {link}. "
                   f"<q>{e(r.evidence)}</q></li>")
    out.append("</ol></article>")
    return "\n".join(out) + "\n"
