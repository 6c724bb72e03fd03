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

from allegiance.analysis.load import (
    FREQS,
    Window,
    load_events,
    load_sums,
    reading,
    undirected,
    with_evidence,
)
from allegiance.errors import ConfigError, NoDataError
from allegiance.store.store import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DRIVER_COLUMNS", "drivers", "score_shifts", "shifts"]

DRIVER_COLUMNS = ("event_id", "date", "source_code", "target_code", "cameo", "goldstein",
                  "num_mentions", "mode", "sentence", "url", "title", "publisher")


def drivers(events: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The events that weigh most in a set: |Goldstein| x mentions, then newest."""
    strength = events["goldstein"].abs() * events["num_mentions"]
    ranked = events.assign(_s=strength).sort_values(["_s", "day", "event_id"],
                                                    ascending=[False, False, True])
    return ranked.head(n).drop(columns="_s")


def shifts(db: str | Store | None, *, since: str, until: str | None = None,
           freq: str = "week", lookback: int = 52, min_events: int = 2,
           actor: str | None = None, partner: str | None = None,
           min_confidence: float | None = None, drivers_for: int | None = 25) -> pd.DataFrame:
    """Ranked shifts (module doc): one row per dyad with ``a``, ``b``, ``recent`` (mean
    net Goldstein per period in the window), ``baseline`` (history median), ``spread``
    (1.4826 MAD), ``score``, ``direction`` (warmer/cooler), ``events`` (recent count)
    and ``drivers`` (a DataFrame of DRIVER_COLUMNS), read for the first ``drivers_for``
    rows (None: all; the rest get an empty one). ``partner``: only the dyads with this
    actor key (with ``actor``: that one dyad)."""
    import pandas as pd

    if freq not in FREQS:
        raise ConfigError(f"--freq must be one of {', '.join(FREQS)}, got {freq!r}")
    window = Window(since, until)
    alias = FREQS[freq]
    start = pd.Timestamp(since).to_period(alias)
    history_start = (start - lookback).start_time.date().isoformat()
    with reading(db) as store:
        sums = load_sums(store, Window(history_start, until),
                         ("date", "source_key", "target_key"),
                         actors=(actor,) if actor else (), min_confidence=min_confidence)
        if actor:  # a longer code (VENMIL) was matched by code; its key is the pair's side
            sums = sums[sums["source_key"].notna() | sums["target_key"].notna()]
        out = _score(sums, since, until, alias, lookback, min_events, actor, window)
        if partner:
            key = partner.upper()
            out = out[(out["a"] == key) | (out["b"] == key)].reset_index(drop=True)
        shown = len(out) if drivers_for is None else min(drivers_for, len(out))
        found = [_drivers_of(store, a, b, window, actor, min_confidence)
                 for a, b in zip(out["a"][:shown], out["b"][:shown], strict=True)]
        # Evidence only for the events shown: one read for every dyad's drivers.
        nonempty = [d for d in found if len(d)]
        cited = with_evidence(store, pd.concat(nonempty)) if nonempty else None
    empty = pd.DataFrame(columns=list(DRIVER_COLUMNS))
    by_id = cited.set_index("event_id", drop=False) if cited is not None else None
    out["drivers"] = [
        by_id.loc[d["event_id"], list(DRIVER_COLUMNS)].reset_index(drop=True)
        if by_id is not None and n < shown and len(d) else empty
        for n, d in enumerate(found + [empty] * (len(out) - shown))]
    return out


def score_shifts(sums: pd.DataFrame, *, since: str, until: str | None = None,
                 freq: str = "week", lookback: int = 52, min_events: int = 2) -> pd.DataFrame:
    """The scores of :func:`shifts`, without drivers, from dyad sums already read
    (``load_sums`` by ``date``, ``source_key``, ``target_key``, from at least ``lookback``
    periods before ``since``): for a caller that needs the same sums for more."""
    if freq not in FREQS:
        raise ConfigError(f"--freq must be one of {', '.join(FREQS)}, got {freq!r}")
    return _score(sums, since, until, FREQS[freq], lookback, min_events, None,
                  Window(since, until))


def _drivers_of(store: Store, a: str, b: str, window: Window, actor: str | None,
                min_confidence: float | None) -> pd.DataFrame:
    """The dyad's top recent events; with ``actor`` (VENMIL), only its own, as scored."""
    events = load_events(store, window, actor=actor, dyad=(a, b),
                         min_confidence=min_confidence)
    return drivers(events)


def _score(sums: pd.DataFrame, since: str, until: str | None, alias: str, lookback: int,
           min_events: int, actor: str | None, window: Window) -> pd.DataFrame:
    """The scores (module doc), computed for every dyad at once on a dyads x periods
    matrix of net Goldstein."""
    import numpy as np
    import pandas as pd

    start = pd.Timestamp(since).to_period(alias)
    pairs = undirected(sums)
    pairs = pairs.assign(offset=pairs["day"].dt.to_period(alias).array.asi8 - start.ordinal)
    # Recent: from the day `since` (a mid-week since leaves its week's first days out);
    # history: the whole periods before since's period.
    recent = pairs[pairs["day"] >= pd.Timestamp(since)]
    if recent.empty:
        who = f" with {actor.upper()}" if actor else ""
        raise NoDataError(f"no events between two actors{who} {window.describe()}")
    end = (pd.Timestamp(until) if until else pairs["day"].max()).to_period(alias)
    recent_periods = max(1, end.ordinal - start.ordinal + 1)
    now = recent.groupby(["a", "b"])[["events", "goldstein"]].sum()
    now = now[now["events"] >= min_events]
    if now.empty:
        raise NoDataError(f"no dyad has {min_events} or more events {window.describe()}; "
                          "lower --min-events or widen the dates")
    past = pairs[(pairs["offset"] < 0) & (pairs["offset"] >= -lookback)]
    index = {pair: i for i, pair in enumerate(now.index)}
    per = past.groupby(["a", "b", "offset"])["goldstein"].sum().reset_index()
    per["row"] = [index.get(pair, -1) for pair in zip(per["a"], per["b"], strict=True)]
    per = per[per["row"] >= 0]
    matrix = np.zeros((len(now), lookback))
    matrix[per["row"].to_numpy(dtype=int), per["offset"].to_numpy(dtype=int) + lookback] = \
        per["goldstein"].to_numpy(dtype=float)
    # The dyad's own history: from its first event in the lookback (a dyad the news
    # found last month has no year of quiet weeks to be compared with); none: a flat 0.
    first = np.full(len(now), lookback - 1)
    for (a, b), col in past.groupby(["a", "b"])["offset"].min().items():
        if (a, b) in index:
            first[index[(a, b)]] = col + lookback
    masked = np.where(np.arange(lookback)[None, :] >= first[:, None], matrix, np.nan)
    baseline = np.nanmedian(masked, axis=1)
    spread = 1.4826 * np.nanmedian(np.abs(masked - baseline[:, None]), axis=1)
    level = now["goldstein"].to_numpy() / recent_periods
    score = (level - baseline) / (spread + 1.0)
    out = pd.DataFrame({
        "a": [a for a, _ in now.index], "b": [b for _, b in now.index],
        "recent": np.round(level, 3), "baseline": baseline, "spread": np.round(spread, 3),
        "score": np.round(score, 3),
        "direction": np.where(score > 0, "warmer", "cooler"),
        "events": now["events"].to_numpy(),
    })
    out = out.reindex(out["score"].abs().sort_values(ascending=False, kind="stable").index)
    return out.reset_index(drop=True)


def today() -> str:
    return dt.date.today().isoformat()
