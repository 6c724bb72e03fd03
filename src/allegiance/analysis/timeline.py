"""The store's events over time, by quad class: the overview's first chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allegiance.analysis.dyad import QUADS
from allegiance.analysis.load import EVERYTHING, FREQS, Window, load_sums
from allegiance.errors import ConfigError, NoDataError
from allegiance.store.store import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["timeline"]


def timeline(db: str | Store | None, *, window: Window = EVERYTHING,
             freq: str = "week") -> pd.DataFrame:
    """Analysed events per period (rows) and quad class (columns ``verbal_coop`` ...
    ``material_conflict``), summed in the database; quiet periods are rows of zeros."""
    import pandas as pd

    if freq not in FREQS:
        raise ConfigError(f"--freq must be one of {', '.join(FREQS)}, got {freq!r}")
    sums = load_sums(db, window, ("date", "quad"))
    if sums.empty:
        raise NoDataError(f"no events {window.describe()}")
    alias = FREQS[freq]
    table = sums.assign(period=sums["day"].dt.to_period(alias).dt.start_time).pivot_table(
        index="period", columns="quad", values="events", aggfunc="sum", fill_value=0)
    out = pd.DataFrame({name: table.get(q, 0) for q, name in QUADS.items()},
                       index=table.index)
    full = pd.period_range(out.index.min(), out.index.max(), freq=alias).start_time
    return out.reindex(full, fill_value=0).astype(int)
