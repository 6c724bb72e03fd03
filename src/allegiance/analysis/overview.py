"""The store at a glance: the dashboard's first page, computed in three reads.

The overview covers the newest stretch of the store: the 30 days up to its newest dated
event, widened to 91 days, a year and then everything while the window holds fewer than
:data:`MIN_EVENTS` analysed events (a small store of a year's news still shows a year).
It holds the events per period by quad class, the busiest dyads of the window and the
dyads that shifted most (``analysis.shifts``) at the window's scale: the last four weeks
against the twelve before for a month or a quarter, the last three months against the
twelve before for longer windows. Three reads: the newest date, the timeline (which also
decides the window) and one set of dyad sums that serves both the dyads and the shifts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from allegiance.analysis.load import Window, load_sums
from allegiance.analysis.network import edge_table
from allegiance.analysis.shifts import score_shifts
from allegiance.analysis.timeline import timeline
from allegiance.errors import NoDataError
from allegiance.store.store import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MIN_EVENTS", "SCALES", "Overview", "Scale", "overview"]

MIN_EVENTS = 100


@dataclass(frozen=True, slots=True)
class Scale:
    """One overview window and the shift scoring that suits it."""

    days: int | None  # None: the whole store
    freq: str  # the timeline's and the shifts' period
    recent_days: int  # the shifts' recent window, ending at the newest event
    lookback: int  # periods of history the recent window is compared with


SCALES = (Scale(30, "week", 28, 12), Scale(91, "week", 28, 12),
          Scale(365, "month", 91, 12), Scale(None, "month", 91, 24))


@dataclass(frozen=True)
class Overview:
    """What :func:`overview` found; ``shifts`` is empty when no dyad has 2 recent events."""

    newest: str
    window: Window
    scale: Scale
    timeline: pd.DataFrame  # periods x quad classes (analysis.timeline)
    dyads: pd.DataFrame  # analysis.network.edge_table, busiest first
    shifts: pd.DataFrame  # analysis.shifts columns, without drivers
    shift_window: Window

    @property
    def total(self) -> int:
        return int(self.timeline.to_numpy().sum())

    def to_dict(self, *, dyads: int = 10, shifts: int = 8) -> dict[str, Any]:
        periods = self.timeline.reset_index(names="period")
        periods["period"] = periods["period"].dt.date.astype(str)
        return {
            "newest": self.newest, "since": self.window.since, "freq": self.scale.freq,
            "events": self.total,
            "timeline": periods.to_dict(orient="records"),
            "dyads": self.dyads.head(dyads).to_dict(orient="records"),
            "shifts": {"since": self.shift_window.since, "lookback": self.scale.lookback,
                       "dyads": self.shifts.head(shifts).to_dict(orient="records")},
        }


def overview(store: Store, *, min_events: int = MIN_EVENTS) -> Overview:
    """The overview of ``store`` (module doc); NoDataError when it holds no dated event."""
    newest = next(iter(store.events(limit=1)), None)
    if newest is None or newest.date is None:
        raise NoDataError("the store holds no dated events yet: `allegiance ingest` some")
    last = dt.date.fromisoformat(newest.date[:10])
    scale, window, table = _choose_window(store, last, min_events)
    recent = Window((last - dt.timedelta(days=scale.recent_days - 1)).isoformat(), None)
    moved, dyads = _dyads_and_shifts(store, window, recent, scale)
    return Overview(newest=last.isoformat(), window=window, scale=scale, timeline=table,
                    dyads=dyads, shifts=moved, shift_window=recent)


def _choose_window(store: Store, last: dt.date,
                   min_events: int) -> tuple[Scale, Window, pd.DataFrame]:
    """The first scale whose window holds ``min_events`` (else the widest), with its
    timeline; each wider read happens only when the narrower window was thin."""
    chosen = None
    for scale in SCALES:
        window = Window(None if scale.days is None
                        else (last - dt.timedelta(days=scale.days - 1)).isoformat(), None)
        try:
            table = timeline(store, window=window, freq=scale.freq)
        except NoDataError:
            continue
        chosen = scale, window, table
        if table.to_numpy().sum() >= min_events:
            break
    if chosen is None:
        raise NoDataError("the store holds no analysed events (asserted, reported or "
                          "announced) between two actors")
    return chosen


def _dyads_and_shifts(store: Store, window: Window, recent: Window,
                      scale: Scale) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One read of dyad sums from the start of the shifts' history (or the window's,
    if earlier) serves the busiest dyads and the shift scores."""
    import pandas as pd

    from allegiance.analysis.load import FREQS

    alias = FREQS[scale.freq]
    assert recent.since is not None
    history = (pd.Timestamp(recent.since).to_period(alias) - scale.lookback).start_time
    start = None if window.since is None else min(history.date().isoformat(), window.since)
    sums = load_sums(store, Window(start, None), ("date", "source_key", "target_key"))
    inside = sums if window.since is None else sums[sums["day"] >= pd.Timestamp(window.since)]
    try:
        moved = score_shifts(sums, since=recent.since, freq=scale.freq,
                             lookback=scale.lookback)
    except NoDataError:
        moved = pd.DataFrame(columns=["a", "b", "recent", "baseline", "spread", "score",
                                      "direction", "events"])
    return moved, edge_table(inside)
