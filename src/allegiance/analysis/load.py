"""Events for analysis: one DataFrame with the actor keys and dates the analyses share.

Every analysis reads the store through :func:`load_events` and never writes to it. An
actor is named by its *key* (``ontology.actors.actor_key``): the country of a state
actor (VENGOV, VENMIL -> VEN) or the organisation (IGOUNO). Longer codes given by the
user (``VENMIL``) select by code prefix.

What counts: events that happened or were announced (modes ``asserted``, ``reported``,
``future``), not negated ones, not background (``historical``) and not hypothetical ones.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from allegiance.errors import ConfigError, NoDataError
from allegiance.ontology.actors import actor_key
from allegiance.records import ANALYSED_MODES
from allegiance.store.analytic import (
    EVIDENCE_COLUMNS,
    day_counts,
    evidence,
    group_sums,
    lean_rows,
    split_sums,
)
from allegiance.store.query import EventFilter
from allegiance.store.store import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ANALYSED_MODES",
    "EVERYTHING",
    "FREQS",
    "Window",
    "load_events",
    "load_split_sums",
    "load_sums",
    "open_store",
    "plover_categories",
    "reading",
    "require_actor",
    "side_mask",
    "volume",
    "with_evidence",
]

# --freq names and their pandas period aliases (a week runs Monday to Sunday).
FREQS = {"day": "D", "week": "W-SUN", "month": "M"}


@dataclass(frozen=True, slots=True)
class Window:
    """A closed date range; either end may be open (None)."""

    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        EventFilter(since=self.since, until=self.until)  # checks both are dates
        if self.since and self.until and self.since > self.until:
            raise ConfigError(f"--since {self.since} is after --until {self.until}")

    def describe(self) -> str:
        if self.since and self.until:
            return f"from {self.since} to {self.until}"
        if self.since:
            return f"since {self.since}"
        if self.until:
            return f"until {self.until}"
        return "in the whole store"


# The default window: the whole store.
EVERYTHING = Window()


def open_store(db: str | Store | None) -> tuple[Store, bool]:
    """An open store and whether the caller must close it (it opened it)."""
    if isinstance(db, Store):
        return db, False
    return Store(db, create=False), True


@contextmanager
def reading(db: str | Store | None) -> Iterator[Store]:
    """The store of ``db``, open for the block (closed after it if opened here)."""
    store, owned = open_store(db)
    try:
        yield store
    finally:
        if owned:
            store.close()


def _filter(window: Window, min_confidence: float | None, coder: str | None) -> EventFilter:
    return EventFilter(since=window.since, until=window.until, modes=ANALYSED_MODES,
                       min_confidence=min_confidence, negated=False, coder=coder)


def load_events(db: str | Store | None, window: Window = EVERYTHING, *,
                actor: str | None = None, actors: Sequence[str] = (),
                dyad: tuple[str, str] | None = None, min_confidence: float | None = None,
                coder: str | None = "allegiance") -> pd.DataFrame:
    """The analysed events of a window as a DataFrame of ``store.analytic.LEAN_COLUMNS``
    (``id`` named ``event_id``, ``article_id`` named ``doc_id``) plus ``day`` (a
    Timestamp). ``actor``/``actors``: only
    events with one of them on either side; ``dyad``: only events between the two.
    Evidence (sentence, article) is left out: :func:`with_evidence` adds it to the rows
    a result cites."""
    import pandas as pd

    chosen = tuple(actors) + ((actor,) if actor else ())
    with reading(db) as store:
        columns, rows = lean_rows(store, _filter(window, min_confidence, coder),
                                  actors=chosen, dyad=dyad)
    frame = pd.DataFrame.from_records(rows, columns=columns).rename(
        columns={"id": "event_id", "article_id": "doc_id"})
    frame["day"] = pd.to_datetime(frame["date"].astype("string").str.slice(0, 10),
                                  format="%Y-%m-%d", errors="coerce")
    frame = frame[frame["day"].notna()]
    frame = frame.assign(num_mentions=frame["num_mentions"].fillna(1).astype(int),
                         goldstein=frame["goldstein"].astype(float).fillna(0.0),
                         quad=frame["quad"].fillna(0).astype(int))
    return frame.reset_index(drop=True)


def load_sums(db: str | Store | None, window: Window, by: Sequence[str], *,
              actors: Sequence[str] = (), dyad: tuple[str, str] | None = None,
              min_confidence: float | None = None,
              coder: str | None = "allegiance") -> pd.DataFrame:
    """The analysed events of a window summed per ``by`` (events columns; ``date`` gives
    a ``day`` Timestamp column too) into ``store.analytic.SUM_COLUMNS``: ``events``,
    ``mentions``, ``goldstein`` and ``goldstein_w`` (weighted by mentions), and
    ``cooperation``/``conflict`` (the positive and negative Goldstein, as magnitudes).
    Summed in the database, so a million events cost what their groups cost."""

    with reading(db) as store:
        columns, rows = group_sums(store, _filter(window, min_confidence, coder), by,
                                   actors=actors, dyad=dyad)
    return _sums_frame(columns, rows, by)


def load_split_sums(db: str | Store | None, window: Window, by: Sequence[str], *,
                    dyad: tuple[str, str] | None = None, min_confidence: float | None = None,
                    coder: str | None = "allegiance") -> pd.DataFrame:
    """:func:`load_sums` with the quad classes and PLOVER categories split into columns
    (``store.analytic.split_sums``): what a dyad's series is made of."""
    with reading(db) as store:
        columns, rows = split_sums(store, _filter(window, min_confidence, coder), by,
                                   plover=plover_categories(), dyad=dyad)
    return _sums_frame(columns, rows, by)


def plover_categories() -> list[str]:
    """The PLOVER categories of the CAMEO codebook, sorted."""
    from allegiance.ontology.cameo import codebook

    return sorted({c.plover for c in codebook() if c.plover})


def _sums_frame(columns: list[str], rows: list[tuple[Any, ...]], by: Sequence[str]
                ) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=columns)
    for column in ("goldstein", "goldstein_w", "cooperation", "conflict"):
        frame[column] = frame[column].astype(float)
    counts = [c for c in columns if c not in by and c not in
              ("goldstein", "goldstein_w", "cooperation", "conflict")]
    frame[counts] = frame[counts].astype(int)
    if "date" in by:
        frame["day"] = pd.to_datetime(frame["date"].astype("string").str.slice(0, 10),
                                      format="%Y-%m-%d", errors="coerce")
        frame = frame[frame["day"].notna()]
    return frame.reset_index(drop=True)


def with_evidence(db: str | Store | None, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each event's evidence: ``sentence``, ``trigger``, ``source_text``,
    ``target_text``, ``negated``, ``url``, ``title``, ``publisher``, ``published`` (read
    for these rows only)."""
    with reading(db) as store:
        found = evidence(store, frame["event_id"])
    out = frame.copy()
    for column in EVIDENCE_COLUMNS[1:]:
        name = "trigger" if column == "trigger_text" else column
        out[name] = [found.get(i, {}).get(column) for i in frame["event_id"]]
    return out


def volume(db: str | Store | None, window: Window, actors: Sequence[str], *,
           min_confidence: float | None = None,
           coder: str | None = "allegiance") -> pd.Series:
    """Analysed events per day (a Series indexed by Timestamp) with any of ``actors`` on
    either side, each event counted once: the news volume of those actors."""
    import pandas as pd

    with reading(db) as store:
        counts = day_counts(store, _filter(window, min_confidence, coder), actors)
    series = pd.Series(counts, dtype=int)
    series.index = pd.to_datetime(series.index, format="%Y-%m-%d")
    return series.sort_index()


def undirected(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows between two different actors, each pair named ``a`` < ``b`` (from
    ``source_key`` and ``target_key``): a dyad whichever way its events went."""
    both = frame[frame["source_key"].notna() & frame["target_key"].notna()
                 & (frame["source_key"] != frame["target_key"])]
    forward = both["source_key"] < both["target_key"]
    return both.assign(a=both["source_key"].where(forward, both["target_key"]),
                       b=both["target_key"].where(forward, both["source_key"]))


def side_mask(frame: pd.DataFrame, side: str, actor: str) -> Any:
    """Rows whose ``side`` ("source"/"target") is ``actor``: its key (VEN, IGOUNO) or,
    for a longer code, its code by prefix (VENMIL)."""
    actor = actor.upper()
    if actor == actor_key(actor):
        return frame[f"{side}_key"] == actor
    return frame[f"{side}_code"].fillna("").str.startswith(actor)


def require_actor(frame: pd.DataFrame, actor: str, window: Window) -> None:
    """A NoDataError naming the actor when no event of the frame has it on either side."""
    if not (side_mask(frame, "source", actor) | side_mask(frame, "target", actor)).any():
        raise NoDataError(f"no events with {actor.upper()} {window.describe()}: check the "
                          "actor code (a country code like VEN, or IGOUNO) and the dates")
