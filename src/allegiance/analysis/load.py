"""Events for analysis: one DataFrame with the actor keys and dates the analyses share.

Every analysis reads the store through :func:`load_events` and never writes to it. An
actor is named by its *key* (``ontology.actors.actor_key``): the country of a state
actor (VENGOV, VENMIL -> VEN) or the organisation (IGOUNO). Longer codes given by the
user (``VENMIL``) select by code prefix.

What counts: events that happened or were announced (modes ``asserted``, ``reported``,
``future``), not negated ones, not background (``historical``) and not hypothetical ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from allegiance.errors import ConfigError, NoDataError
from allegiance.formats.flat import events_to_frame
from allegiance.ontology.actors import actor_key
from allegiance.store.query import EventFilter
from allegiance.store.store import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ANALYSED_MODES", "EVERYTHING", "FREQS", "Window", "load_events", "open_store",
           "require_actor", "side_mask"]

ANALYSED_MODES = ("asserted", "reported", "future")
# --freq names and their pandas period aliases.
FREQS = {"day": "D", "week": "W-MON", "month": "M"}


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


def load_events(db: str | Store | None, window: Window = EVERYTHING, *,
                actor: str | None = None, min_confidence: float | None = None,
                coder: str | None = "allegiance") -> pd.DataFrame:
    """The analysed events of a window as a DataFrame: the flat columns
    (``formats.flat.FLAT_COLUMNS``) plus ``day`` (a Timestamp), ``source_key`` and
    ``target_key``. ``actor``: only events with this actor on either side."""
    import pandas as pd

    where = EventFilter(actor=actor, since=window.since, until=window.until,
                        modes=ANALYSED_MODES, min_confidence=min_confidence,
                        negated=False, coder=coder)
    store, owned = open_store(db)
    try:
        frame = events_to_frame(store.events(where))
    finally:
        if owned:
            store.close()
    frame["day"] = pd.to_datetime(frame["date"].str.slice(0, 10), errors="coerce")
    frame = frame[frame["day"].notna()].copy()
    for side in ("source", "target"):
        frame[f"{side}_key"] = [actor_key(c) if isinstance(c, str) else None
                                for c in frame[f"{side}_code"]]
    frame["num_mentions"] = frame["num_mentions"].fillna(1).astype(int)
    return frame.reset_index(drop=True)


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
