"""Who asks whom for what, and who gives: appeals (CAMEO 02x, PLOVER REQUEST) and aid
(CAMEO 07x, PLOVER AID) as a matrix of requesters (rows) by those asked (columns).

An event counts as an appeal when its root is 02 *or* its PLOVER category is REQUEST,
and as aid when its root is 07 *or* PLOVER is AID, so a store coded by a PLOVER-only
coder reads the same. ``what`` is the CAMEO name of the most specific code
(0232 "Appeal for military aid").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allegiance.analysis.load import EVERYTHING, Window, load_events
from allegiance.errors import ConfigError, NoDataError
from allegiance.ontology.cameo import codebook
from allegiance.store.store import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["KINDS", "appeals", "appeals_matrix"]

# kind -> (CAMEO roots, PLOVER categories)
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "appeals": (("02",), ("REQUEST",)),
    "aid": (("07",), ("AID",)),
    "both": (("02", "07"), ("REQUEST", "AID")),
}


def _what(code: str) -> str:
    return codebook()[code].name if code in codebook() else code


def appeals(db: str | Store | None, *, kind: str = "appeals", window: Window = EVERYTHING,
            actor: str | None = None, min_confidence: float | None = None) -> pd.DataFrame:
    """One row per (source, target, cameo): ``kind`` ("appeals", "aid" or "both"),
    ``what`` (the code's name), ``events``, ``mentions``, ``first`` and ``last`` day;
    most events first. ``actor``: only rows with it on either side."""
    if kind not in KINDS:
        raise ConfigError(f"--kind must be one of {', '.join(KINDS)}, got {kind!r}")
    roots, plover = KINDS[kind]
    frame = load_events(db, window, actor=actor, min_confidence=min_confidence)
    chosen = frame[(frame["root"].isin(roots) | frame["plover"].isin(plover))
                   & frame["source_key"].notna() & frame["target_key"].notna()]
    if chosen.empty:
        who = f" with {actor.upper()}" if actor else ""
        raise NoDataError(f"no {'appeals or aid' if kind == 'both' else kind}{who} "
                          f"between two actors {window.describe()}")
    rows = (chosen.groupby(["source_key", "target_key", "cameo"])
            .agg(events=("event_id", "size"), mentions=("num_mentions", "sum"),
                 first=("day", "min"), last=("day", "max"))
            .reset_index()
            .rename(columns={"source_key": "source", "target_key": "target"}))
    rows["kind"] = ["aid" if c.startswith("07") else "appeals" for c in rows["cameo"]]
    rows["what"] = [_what(c) for c in rows["cameo"]]
    for column in ("first", "last"):
        rows[column] = rows[column].dt.date.astype(str)
    rows = rows.sort_values(["events", "mentions", "source", "target"],
                            ascending=[False, False, True, True])
    return rows[["source", "target", "cameo", "kind", "what", "events", "mentions",
                 "first", "last"]].reset_index(drop=True)


def appeals_matrix(rows: pd.DataFrame, value: str = "events") -> pd.DataFrame:
    """The rows of :func:`appeals` as a matrix: requesters (or givers) down, those asked
    (or receiving) across, ``value`` summed; zero where nothing passed."""
    matrix = rows.pivot_table(index="source", columns="target", values=value,
                              aggfunc="sum", fill_value=0)
    matrix.index.name, matrix.columns.name = "source", "target"
    return matrix.astype(int)
