"""Who stands with whom: a signed, weighted graph of cooperation and conflict, its blocs,
and each actor's alignment with each bloc over time.

Each undirected pair of actors (keys: VEN, IGOUNO) that had events in the window is an
edge. Its weights split the events' Goldstein scores by sign:

    cooperation = sum of max(g, 0)      conflict = sum of max(-g, 0)
    net = cooperation - conflict        sign = +1, -1 or 0 by net

so a statement (g = 0) adds nothing and one treaty outweighs a string of mild words.

**Blocs** are communities (Louvain, networkx, fixed seed) of the *cooperative* part of
the graph: edges with cooperation > 0, weighted by it. Conflict does not pull actors
together, so it is left out of the grouping; it shows in the alignment. An actor with no
cooperative tie is in no bloc. A bloc is named by its member with the most cooperation.

**Alignment** of actor *i* with bloc *B* in period *t*:

    alignment = (cooperation with B - conflict with B) / (cooperation + conflict of i)

over *i*'s events of the period (members of B other than *i*). It runs from -1 (all of
*i*'s dealings were conflict with B) to +1 (all were cooperation with B), and is empty
(NaN) for a period with no weighted events of *i*. **Movers** compare an actor's mean
alignment in the second half of the window with the first half: who is moving toward
(positive change) or away from (negative) each bloc.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from allegiance.analysis.load import EVERYTHING, FREQS, Window, load_sums, undirected
from allegiance.analysis.names import actor_name
from allegiance.errors import ConfigError, NoDataError
from allegiance.store.store import Store

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = ["Bloc", "Network", "alignment", "edge_table", "find_blocs", "network"]

SEED = 0  # Louvain is randomised: one seed, one answer for one store


@dataclass(frozen=True, slots=True)
class Bloc:
    """A community of the cooperative graph, named by its most cooperative member."""

    name: str
    members: tuple[str, ...]  # most cooperation first


@dataclass(frozen=True)
class Network:
    """The graph of a window (module doc) and what is read from it."""

    window: Window
    freq: str
    edges: pd.DataFrame = field(repr=False)  # a, b, events, cooperation, conflict, net, sign
    blocs: tuple[Bloc, ...]
    alignment: pd.DataFrame = field(repr=False)  # period, actor, bloc, alignment, weight
    movers: pd.DataFrame = field(repr=False)  # actor, bloc, before, after, change

    def graph(self) -> nx.Graph:
        """The signed weighted graph: edge attributes as in ``edges``, node attribute
        ``bloc`` (a bloc's name, or None)."""
        import networkx as nx

        g = nx.Graph()
        for row in self.edges.itertuples(index=False):
            g.add_edge(row.a, row.b, events=int(row.events), cooperation=float(row.cooperation),
                       conflict=float(row.conflict), net=float(row.net), sign=int(row.sign))
        member_of = {m: b.name for b in self.blocs for m in b.members}
        nx.set_node_attributes(g, {n: member_of.get(n) for n in g.nodes}, "bloc")
        return g

    def bloc_of(self, actor: str) -> Bloc | None:
        return next((b for b in self.blocs if actor.upper() in b.members), None)

    def to_dict(self) -> dict[str, Any]:
        member_of = {m: b.name for b in self.blocs for m in b.members}
        nodes = sorted(set(self.edges["a"]) | set(self.edges["b"]))
        return {
            "window": {"since": self.window.since, "until": self.window.until},
            "nodes": [{"id": n, "name": actor_name(n), "bloc": member_of.get(n)}
                      for n in nodes],
            "edges": self.edges.to_dict(orient="records"),
            "blocs": [{"name": b.name, "members": list(b.members)} for b in self.blocs],
            "alignment": self.alignment.assign(
                period=self.alignment["period"].dt.date.astype(str)).to_dict(orient="records"),
            "movers": self.movers.to_dict(orient="records"),
        }


def edge_table(sums: pd.DataFrame, min_events: int = 1) -> pd.DataFrame:
    """One row per undirected pair with ``min_events`` or more events (module doc)."""
    edges = (undirected(sums).groupby(["a", "b"])[["events", "cooperation", "conflict"]].sum()
             .reset_index())
    edges = edges[edges["events"] >= min_events]
    edges = edges.assign(net=edges["cooperation"] - edges["conflict"])
    edges["sign"] = edges["net"].gt(0).astype(int) - edges["net"].lt(0).astype(int)
    return edges.sort_values(["events", "a", "b"], ascending=[False, True, True]) \
        .reset_index(drop=True)


def find_blocs(edges: pd.DataFrame) -> tuple[Bloc, ...]:
    """Louvain communities of the cooperative edges (module doc), biggest first; a
    community of one actor is no bloc."""
    import networkx as nx

    coop = nx.Graph()
    for row in edges[edges["cooperation"] > 0].itertuples(index=False):
        coop.add_edge(row.a, row.b, weight=float(row.cooperation))
    if not coop.number_of_edges():
        return ()
    strength = dict(coop.degree(weight="weight"))
    blocs = []
    for community in nx.community.louvain_communities(coop, weight="weight", seed=SEED):
        if len(community) < 2:
            continue
        members = tuple(sorted(community, key=lambda n: (-strength[n], n)))
        blocs.append(Bloc(members[0], members))
    return tuple(sorted(blocs, key=lambda b: (-len(b.members), b.name)))


def alignment(sums: pd.DataFrame, blocs: tuple[Bloc, ...], freq: str) -> pd.DataFrame:
    """Per period, actor and bloc: the actor's alignment with the bloc (module doc) and
    ``weight``, the actor's total cooperation + conflict that period."""
    import pandas as pd

    columns = ["period", "actor", "bloc", "alignment", "weight"]
    if not blocs:
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"),
                             **{c: pd.Series(dtype=object) for c in columns[1:3]},
                             **{c: pd.Series(dtype=float) for c in columns[3:]}})
    pairs = undirected(sums)
    pairs = (pairs.assign(period=pairs["day"].dt.to_period(FREQS[freq]).dt.start_time)
             .groupby(["period", "a", "b"])[["cooperation", "conflict"]].sum().reset_index())
    net = (pairs["cooperation"] - pairs["conflict"]).to_numpy()
    weight = (pairs["cooperation"] + pairs["conflict"]).to_numpy()
    # Each pair seen from both of its actors.
    sides = pd.DataFrame({
        "period": pd.concat([pairs["period"], pairs["period"]], ignore_index=True),
        "actor": pd.concat([pairs["a"], pairs["b"]], ignore_index=True),
        "other": pd.concat([pairs["b"], pairs["a"]], ignore_index=True),
        "net": list(net) + list(net), "weight": list(weight) + list(weight),
    })
    member_of = {m: b.name for b in blocs for m in b.members}
    sides["other_bloc"] = sides["other"].map(member_of)
    totals = sides.groupby(["period", "actor"])["weight"].sum()
    toward = (sides.dropna(subset=["other_bloc"])
              .pivot_table(index=["period", "actor"], columns="other_bloc", values="net",
                           aggfunc="sum", fill_value=0.0)
              .reindex(totals.index, fill_value=0.0))
    rows = []
    for bloc in blocs:
        net_with = toward[bloc.name] if bloc.name in toward.columns else 0.0
        part = pd.DataFrame({"weight": totals, "net": net_with})
        part = part[part["weight"] > 0]
        rows.append(part.assign(bloc=bloc.name,
                                alignment=part["net"] / part["weight"]).reset_index())
    out = pd.concat(rows)[columns]
    return out.sort_values(["period", "actor", "bloc"]).reset_index(drop=True)


def _movers(aligned: pd.DataFrame, middle: pd.Timestamp) -> pd.DataFrame:
    """Mean alignment before and after ``middle`` per actor and bloc, biggest change
    first (only actors seen in both halves)."""
    import pandas as pd

    columns = ["actor", "bloc", "before", "after", "change"]
    if aligned.empty:
        return pd.DataFrame(columns=columns)
    half = aligned.assign(late=aligned["period"] >= middle)
    means = half.groupby(["actor", "bloc", "late"])["alignment"].mean().unstack("late")
    if True not in means.columns or False not in means.columns:
        return pd.DataFrame(columns=columns)
    means = means.dropna()
    out = pd.DataFrame({"before": means[False], "after": means[True]}).reset_index()
    out["change"] = out["after"] - out["before"]
    out = out[out["change"] != 0]
    return out.reindex(out["change"].abs().sort_values(ascending=False).index)[columns] \
        .reset_index(drop=True)


def network(db: str | Store | None, *, window: Window = EVERYTHING, freq: str = "week",
            min_events: int = 1, min_confidence: float | None = None) -> Network:
    """The network of ``window`` (module doc); ``min_events``: pairs with fewer events
    are left out of the graph and the blocs (alignment still counts their events)."""
    import pandas as pd

    if freq not in FREQS:
        raise ConfigError(f"--freq must be one of {', '.join(FREQS)}, got {freq!r}")
    sums = load_sums(db, window, ("date", "source_key", "target_key"),
                     min_confidence=min_confidence)
    edges = edge_table(sums, min_events)
    if edges.empty:
        raise NoDataError(f"no pair of actors has {min_events} or more events "
                          f"{window.describe()}; widen the dates or lower --min-events")
    blocs = find_blocs(edges)
    aligned = alignment(sums, blocs, freq)
    first, last = sums["day"].min(), sums["day"].max()
    middle = pd.Timestamp(first + (last - first) / 2).to_period(FREQS[freq]).start_time
    return Network(window, freq, edges, blocs, aligned, _movers(aligned, middle))
