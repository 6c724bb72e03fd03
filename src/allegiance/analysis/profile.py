"""One actor's relations: partners ranked by cooperation and by conflict, what it asked
for and from whom, what others did to it, and how each partner moved against the
previous window of the same length."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from allegiance.analysis.load import (
    EVERYTHING,
    Window,
    load_events,
    load_sums,
    reading,
    require_actor,
    side_mask,
)
from allegiance.errors import ConfigError
from allegiance.ontology.actors import actor_key
from allegiance.store.store import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ActorProfile", "actor_profile", "partner_table", "previous_window"]

APPEAL_ROOTS = ("02",)


@dataclass(frozen=True)
class ActorProfile:
    """``partners``: one row per partner (events, cooperation and conflict counts, net
    Goldstein now and in the previous window, the change); ``asked``: its appeals (CAMEO
    02x) by target and code; ``received``: what was done to it, by source and root."""

    actor: str
    window: Window
    previous: Window
    partners: pd.DataFrame
    asked: pd.DataFrame
    received: pd.DataFrame
    events: int

    def by_cooperation(self, n: int = 10) -> pd.DataFrame:
        return self.partners.sort_values("cooperation", ascending=False).head(n)

    def by_conflict(self, n: int = 10) -> pd.DataFrame:
        return self.partners.sort_values("conflict", ascending=False).head(n)


def previous_window(window: Window, frame: pd.DataFrame) -> Window:
    """The window of the same length just before ``window`` (its open ends taken from
    the events)."""
    if frame.empty:
        return Window()
    since = dt.date.fromisoformat(window.since) if window.since else frame["day"].min().date()
    until = dt.date.fromisoformat(window.until) if window.until else frame["day"].max().date()
    length = (until - since).days + 1
    return Window((since - dt.timedelta(days=length)).isoformat(),
                  (since - dt.timedelta(days=1)).isoformat())


def partner_table(frame: pd.DataFrame, actor: str) -> pd.DataFrame:
    """Per partner of ``actor`` (either direction): events, cooperation (quad 1-2) and
    conflict (quad 3-4) counts, mentions and net Goldstein."""
    import pandas as pd

    out_mask = side_mask(frame, "source", actor)
    in_mask = side_mask(frame, "target", actor)
    rows = pd.concat([
        frame[out_mask].assign(partner=frame.loc[out_mask, "target_key"]),
        frame[in_mask].assign(partner=frame.loc[in_mask, "source_key"]),
    ])
    rows = rows[rows["partner"].notna() & (rows["partner"] != actor_key(actor.upper()))]
    if rows.empty:
        empty = pd.DataFrame({c: pd.Series(dtype=float) for c in
                              ("events", "cooperation", "conflict", "mentions", "goldstein")})
        empty.index.name = "partner"
        return empty
    grouped = rows.groupby("partner")
    table = pd.DataFrame({
        "events": grouped.size(),
        "cooperation": grouped["quad"].apply(lambda q: int((q <= 2).sum())),
        "conflict": grouped["quad"].apply(lambda q: int((q >= 3).sum())),
        "mentions": grouped["num_mentions"].sum(),
        "goldstein": grouped["goldstein"].sum(),
    })
    table.index.name = "partner"
    return table


def _goldstein_by_partner(store: Store, window: Window, actor: str,
                          min_confidence: float | None) -> pd.Series:
    """Net Goldstein with each partner of ``actor`` in ``window``: summed in the database
    for a key (VEN), from its events for a longer code (VENMIL)."""
    import pandas as pd

    key = actor.upper()
    if key != actor_key(key):
        return partner_table(load_events(store, window, actor=actor,
                                         min_confidence=min_confidence), actor)["goldstein"]
    sums = load_sums(store, window, ("source_key", "target_key"), actors=(key,),
                     min_confidence=min_confidence)
    out_sums = sums[sums["source_key"] == key].set_index("target_key")["goldstein"]
    in_sums = sums[sums["target_key"] == key].set_index("source_key")["goldstein"]
    both = pd.concat([out_sums, in_sums])
    both = both[both.index.notna() & (both.index != key)]
    return both.groupby(level=0).sum()


def actor_profile(db: str | Store | None, actor: str, *, window: Window = EVERYTHING,
                  min_confidence: float | None = None) -> ActorProfile:
    """The profile of ``actor`` (a key like VEN or a longer code like VENMIL)."""
    if not actor.strip():
        raise ConfigError("an actor code is needed, e.g. VEN")
    with reading(db) as store:
        mine = load_events(store, window, actor=actor, min_confidence=min_confidence)
        require_actor(mine, actor, window)
        previous = previous_window(window, mine)
        old = _goldstein_by_partner(store, previous, actor, min_confidence)
    partners = partner_table(mine, actor)
    partners["goldstein_before"] = old.reindex(partners.index).fillna(0.0)
    partners["change"] = partners["goldstein"] - partners["goldstein_before"]
    gone = old.index.difference(partners.index)
    if len(gone):  # partners of the previous window that fell silent
        import pandas as pd

        silent = pd.DataFrame(0, index=gone, columns=partners.columns, dtype=float)
        silent["goldstein_before"] = old.loc[gone]
        silent["change"] = -silent["goldstein_before"]
        partners = pd.concat([partners, silent])
    asks = mine[side_mask(mine, "source", actor) & mine["root"].isin(APPEAL_ROOTS)]
    asked = (asks.groupby(["target_key", "cameo"], dropna=False).size()
             .rename("events").reset_index())
    got = mine[side_mask(mine, "target", actor)]
    received = (got.groupby(["source_key", "root"], dropna=False)
                .agg(events=("event_id", "size"), goldstein=("goldstein", "sum"))
                .reset_index())
    return ActorProfile(actor.upper(), window, previous, partners.sort_values(
        "events", ascending=False), asked, received, len(mine))
