"""Dyads whose relation changed beyond what their own history explains.

For every pair of actors (undirected), the net Goldstein score of its events is summed
per period (``freq``). The *recent* window is ``since`` to ``until``; the *history* is
every earlier period from the dyad's first event (up to ``lookback`` periods; no history
reads as a flat 0). The shift score is a robust z-score:

    score = (mean of the recent periods - median of the history)
            / (1.4826 * MAD of the history + 1)

MAD is the median absolute deviation (1.4826 * MAD estimates the standard deviation
of normal data without being moved by the bursts that news series are full of); the
+1 (one Goldstein point) keeps a dyad with a flat or short history from scoring huge
on a single event. Quiet periods count as 0. A positive score is a warming, a
negative one a cooling. Each shift keeps the recent events that drove it, strongest
first (|Goldstein| x mentions), with their evidence.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from allegiance.analysis.load import FREQS, Window, load_events, reading, with_evidence
from allegiance.errors import ConfigError, NoDataError
from allegiance.store.store import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DRIVER_COLUMNS", "drivers", "shifts"]

DRIVER_COLUMNS = ("event_id", "date", "source_code", "target_code", "cameo", "goldstein",
                  "num_mentions", "mode", "sentence", "url", "title", "publisher")


def _pairs(frame: pd.DataFrame) -> pd.DataFrame:
    both = frame[frame["source_key"].notna() & frame["target_key"].notna()
                 & (frame["source_key"] != frame["target_key"])]
    a = both[["source_key", "target_key"]].min(axis=1)
    b = both[["source_key", "target_key"]].max(axis=1)
    return both.assign(a=a, b=b)


def drivers(events: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The events that weigh most in a set: |Goldstein| x mentions, then newest."""
    strength = events["goldstein"].abs() * events["num_mentions"]
    ranked = events.assign(_s=strength).sort_values(["_s", "day"], ascending=False)
    return ranked.head(n).drop(columns="_s")


def shifts(db: str | Store | None, *, since: str, until: str | None = None,
           freq: str = "week", lookback: int = 52, min_events: int = 2,
           actor: str | None = None, min_confidence: float | None = None) -> pd.DataFrame:
    """Ranked shifts (module doc): one row per dyad with ``a``, ``b``, ``recent`` (mean
    net Goldstein per period in the window), ``baseline`` (history median), ``spread``
    (1.4826 MAD), ``score``, ``direction`` (warmer/cooler), ``events`` (recent count)
    and ``drivers`` (a DataFrame of DRIVER_COLUMNS)."""
    import pandas as pd

    if freq not in FREQS:
        raise ConfigError(f"--freq must be one of {', '.join(FREQS)}, got {freq!r}")
    window = Window(since, until)
    alias = FREQS[freq]
    start = pd.Timestamp(since).to_period(alias)
    history_start = (start - lookback).start_time.date().isoformat()
    with reading(db) as store:
        frame = load_events(store, Window(history_start, until), actor=actor,
                            min_confidence=min_confidence)
        out = _score(frame, since, until, alias, lookback, min_events, actor, window)
        # Evidence only for the events shown: one read for every dyad's drivers.
        cited = with_evidence(store, pd.concat(list(out["drivers"])))
    by_id = cited.set_index("event_id", drop=False)
    out["drivers"] = [by_id.loc[d["event_id"], list(DRIVER_COLUMNS)].reset_index(drop=True)
                      for d in out["drivers"]]
    return out


def _score(frame: pd.DataFrame, since: str, until: str | None, alias: str, lookback: int,
           min_events: int, actor: str | None, window: Window) -> pd.DataFrame:
    import pandas as pd

    start = pd.Timestamp(since).to_period(alias)
    pairs = _pairs(frame)
    recent_mask = pairs["day"] >= pd.Timestamp(since)
    if not recent_mask.any():
        who = f" with {actor.upper()}" if actor else ""
        raise NoDataError(f"no events between two actors{who} {window.describe()}")
    end = (pd.Timestamp(until) if until else pairs["day"].max()).to_period(alias)
    recent_periods = max(1, end.ordinal - start.ordinal + 1)
    pairs = pairs.assign(period=pairs["day"].dt.to_period(alias))
    rows = []
    for (a, b), group in pairs.groupby(["a", "b"]):
        recent = group[group["day"] >= pd.Timestamp(since)]
        if len(recent) < min_events:
            continue
        history = group[group["day"] < pd.Timestamp(since)]
        per = history.groupby("period")["goldstein"].sum()
        # The dyad's own history: from its first event in the lookback (a dyad the news
        # found last month has no year of quiet weeks to be compared with).
        first = history["period"].min() if len(history) else start
        full = pd.period_range(max(first, start - lookback), start - 1, freq=alias)
        hist = per.reindex(full, fill_value=0.0).to_numpy(dtype=float)
        if not len(hist):
            hist = pd.Series([0.0]).to_numpy()
        baseline = float(pd.Series(hist).median())
        spread = 1.4826 * float(pd.Series(abs(hist - baseline)).median())
        level = float(recent["goldstein"].sum()) / recent_periods
        score = (level - baseline) / (spread + 1.0)
        rows.append({"a": a, "b": b, "recent": round(level, 3), "baseline": baseline,
                     "spread": round(spread, 3), "score": round(score, 3),
                     "direction": "warmer" if score > 0 else "cooler",
                     "events": len(recent), "drivers": drivers(recent)})
    if not rows:
        raise NoDataError(f"no dyad has {min_events} or more events {window.describe()}; "
                          "lower --min-events or widen the dates")
    out = pd.DataFrame(rows)
    out = out.reindex(out["score"].abs().sort_values(ascending=False).index)
    return out.reset_index(drop=True)


def today() -> str:
    return dt.date.today().isoformat()
