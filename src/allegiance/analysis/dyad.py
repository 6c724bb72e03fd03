"""How the relation between two actors moves: counts, Goldstein and a
cooperation-conflict index per day, week or month.

The index (``cci``) of a period is

    cci = sum of the dyad's Goldstein scores / (10 * V)

where V is the number of events in that period with either actor on either side (their
news volume). Goldstein scores run from -10 (most conflictual) to +10, so cci lies in
[-1, 1]: +1 when every event about the two actors that period is a maximally
cooperative one between them. Dividing by the actors' volume, not the dyad's own
count, keeps a burst of coverage about one of them (an election, a disaster) from
reading as a change in their relation: coverage is not events.

``*_w`` columns weight each event by its mentions (how many reports it had).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allegiance.analysis.load import (
    EVERYTHING,
    FREQS,
    Window,
    load_events,
    load_split_sums,
    reading,
    side_mask,
    volume,
)
from allegiance.errors import ConfigError, NoDataError
from allegiance.ontology.actors import actor_key
from allegiance.store.store import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["dyad_events", "dyad_series", "dyad_spikes", "series_of"]

QUADS = {1: "verbal_coop", 2: "material_coop", 3: "verbal_conflict", 4: "material_conflict"}


def dyad_events(frame: pd.DataFrame, a: str, b: str, *, directed: bool = False) -> pd.DataFrame:
    """The events from a to b (and from b to a unless ``directed``)."""
    forward = side_mask(frame, "source", a) & side_mask(frame, "target", b)
    if directed:
        return frame[forward]
    back = side_mask(frame, "source", b) & side_mask(frame, "target", a)
    return frame[forward | back]


def series_of(sums: pd.DataFrame, per_day: pd.Series, freq: str) -> pd.DataFrame:
    """Per-period figures (see the module doc) of ``sums`` (``store.analytic.split_sums``
    by date: a ``day`` column, the sums and the quad and PLOVER splits); ``per_day``:
    the events per day that count towards V (indexed by Timestamp)."""
    import pandas as pd

    if freq not in FREQS:
        raise ConfigError(f"--freq must be one of {', '.join(FREQS)}, got {freq!r}")
    alias = FREQS[freq]
    numeric = [c for c in sums.columns if c not in ("date", "day", "source_key",
                                                      "source_code")]
    per = sums.groupby(sums["day"].dt.to_period(alias).dt.start_time)[numeric].sum()
    out = pd.DataFrame({
        "events": per["events"],
        "mentions": per["mentions"],
        "goldstein_sum": per["goldstein"],
        "goldstein_mean": per["goldstein"] / per["events"],
        "goldstein_sum_w": per["goldstein_w"],
    })
    out["goldstein_mean_w"] = out["goldstein_sum_w"] / out["mentions"]
    for quad, name in QUADS.items():
        out[name] = per[f"q{quad}"]
        out[f"{name}_w"] = per[f"q{quad}_m"]
    for column in (c for c in numeric if c.startswith("p_")):
        if per[column].any():  # only the categories the dyad has
            out[f"plover_{column[2:]}"] = per[column]
    out = out.fillna(0)
    if len(out):
        # Every period of the span, quiet ones too (a series, not a list of bursts).
        full = pd.period_range(out.index.min(), out.index.max(), freq=alias).start_time
        out = out.reindex(full, fill_value=0)
    # The actors' volume in every period of the series, the dyad's quiet ones included.
    volume = per_day.groupby(per_day.index.to_period(alias).start_time).sum() \
        if len(per_day) else pd.Series(dtype=int)
    out["volume"] = volume.reindex(out.index, fill_value=0)
    out["cci"] = out["goldstein_sum"] / (10 * out["volume"].where(out["volume"] > 0, 1))
    count_cols = [c for c in out.columns
                  if c not in ("goldstein_sum", "goldstein_mean", "goldstein_sum_w",
                               "goldstein_mean_w", "cci")]
    out[count_cols] = out[count_cols].astype(int)
    out.index.name = "period"
    return out


def dyad_series(db: str | Store | None, a: str, b: str, *, freq: str = "week",
                window: Window = EVERYTHING, directed: bool = False,
                min_confidence: float | None = None) -> pd.DataFrame:
    """The relation of a and b over time (module doc): one row per period."""
    if a.upper() == b.upper():
        raise ConfigError(f"a dyad needs two different actors, got {a.upper()} twice")
    if freq not in FREQS:
        raise ConfigError(f"--freq must be one of {', '.join(FREQS)}, got {freq!r}")
    with reading(db) as store:
        # Only the columns the sums need: more makes more groups, and source_code is not
        # on the actor-key indexes (it would read every row).
        by = ["date"]
        if directed:
            by += ["source_key"] if a.upper() == actor_key(a.upper()) else ["source_code"]
        sums = load_split_sums(store, window, by, dyad=(a, b), min_confidence=min_confidence)
        if directed:
            sums = sums[side_mask(sums, "source", a)]  # reads the column chosen above
        if sums.empty:
            for actor in (a, b):
                if volume(store, window, [actor], min_confidence=min_confidence).empty:
                    raise NoDataError(
                        f"no events with {actor.upper()} {window.describe()}: check the "
                        "actor code (a country code like VEN, or IGOUNO) and the dates")
            arrow = "->" if directed else "<->"
            raise NoDataError(f"no events between {a.upper()} {arrow} {b.upper()} "
                              f"{window.describe()}")
        per_day = volume(store, window, [a, b], min_confidence=min_confidence)
    return series_of(sums, per_day, freq)


def dyad_spikes(db: str | Store | None, a: str, b: str, series: pd.DataFrame, *,
                freq: str = "week", window: Window = EVERYTHING, directed: bool = False,
                min_confidence: float | None = None, n: int = 3) -> pd.DataFrame:
    """The ``n`` busiest periods of ``series`` that stand out (more events than the
    median busy period), each with its top event (|Goldstein| x mentions): ``period``,
    ``event_id``, ``date``, ``source_code``, ``cameo``, ``target_code``."""
    busy = series[series["events"] > 0]["events"]
    standing = busy[busy > busy.median()] if len(busy) > 2 else busy
    periods = set(standing.sort_values(ascending=False).head(n).index)
    events = load_events(db, window, dyad=(a, b), min_confidence=min_confidence)
    if directed:
        events = dyad_events(events, a, b, directed=True)
    events = events.assign(period=events["day"].dt.to_period(FREQS[freq]).dt.start_time,
                           _s=events["goldstein"].abs() * events["num_mentions"])
    chosen = events[events["period"].isin(periods)].sort_values(
        ["_s", "day", "event_id"], ascending=[False, False, True]).drop_duplicates("period")
    return chosen[["period", "event_id", "date", "source_code", "cameo", "target_code"]] \
        .sort_values("period").reset_index(drop=True)
