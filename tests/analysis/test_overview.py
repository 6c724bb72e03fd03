"""The overview: its window widens on a thin store, and its one read of dyad sums gives
the same shifts and dyads as the analyses that read their own."""

from __future__ import annotations

import json

import pandas as pd

from allegiance.analysis.load import Window, load_sums
from allegiance.analysis.network import network
from allegiance.analysis.overview import SCALES, overview
from allegiance.analysis.shifts import score_shifts, shifts
from allegiance.analysis.timeline import timeline
from allegiance.store.store import Store


def test_the_overview_widens_until_its_window_holds_enough(db: str) -> None:
    with Store(db, create=False) as store:
        dense = overview(store, min_events=1)
        thin = overview(store, min_events=10**9)
    assert dense.scale == SCALES[0] and dense.window.since is not None
    assert thin.scale == SCALES[-1] and thin.window.since is None
    # The widest window is the whole store: its timeline is the store's.
    whole = timeline(db, freq=thin.scale.freq)
    assert thin.total == int(whole.to_numpy().sum()) > dense.total > 0


def test_the_overview_agrees_with_the_analyses_it_stands_for(db: str) -> None:
    with Store(db, create=False) as store:
        found = overview(store, min_events=10**9)
        recent = shifts(store, since=found.shift_window.since or "", freq=found.scale.freq,
                        lookback=found.scale.lookback, drivers_for=0)
        net = network(store, window=found.window)
    columns = ["a", "b", "recent", "baseline", "score", "events"]
    pd.testing.assert_frame_equal(found.shifts[columns].reset_index(drop=True),
                                  recent[columns].reset_index(drop=True))
    assert not found.shifts.empty
    busiest = found.dyads.set_index(["a", "b"])["events"].to_dict()
    assert busiest == net.edges.set_index(["a", "b"])["events"].to_dict()
    data = json.loads(json.dumps(found.to_dict()))
    assert data["events"] == found.total and data["shifts"]["dyads"][0]["a"]


def test_score_shifts_reads_nothing_itself(db: str) -> None:
    """Given the sums, the scores are those of shifts(): the caller may share one read."""
    since = "2026-02-16"
    sums = load_sums(db, Window("2025-06-01", None), ("date", "source_key", "target_key"))
    scored = score_shifts(sums, since=since, lookback=12)
    read = shifts(db, since=since, lookback=12, drivers_for=0)
    assert scored[["a", "b", "score"]].equals(read[["a", "b", "score"]])
