"""Pictures of the analyses (matplotlib, Agg: no display, no network), as PNG or SVG.

Colours are the quad classes': verbal cooperation light green, material cooperation
dark green, verbal conflict orange, material conflict red. Each function takes what its
analysis returned, so a picture is only drawn from a result (an empty window raised
NoDataError before any drawing).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from allegiance.analysis.names import actor_name
from allegiance.errors import ConfigError, NoDataError
from allegiance.ontology.cameo import codebook

if TYPE_CHECKING:
    import pandas as pd

    from allegiance.analysis.network import Network
    from allegiance.analysis.profile import ActorProfile

__all__ = ["BLOC_COLOURS", "QUAD_COLOURS", "plot_actor", "plot_dyad", "plot_network", "plot_shifts",
           "plot_timeline"]

QUAD_COLOURS = {"verbal_coop": "#8fd19e", "material_coop": "#1b7f3b",
                "verbal_conflict": "#f4a259", "material_conflict": "#c0392b"}
QUAD_LABELS = {"verbal_coop": "verbal cooperation", "material_coop": "material cooperation",
               "verbal_conflict": "verbal conflict", "material_conflict": "material conflict"}
COOP, CONFLICT = "#1b7f3b", "#c0392b"
BLOC_COLOURS = ("#1f77b4", "#d62728", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
                "#e377c2", "#bcbd22")
FORMATS = (".png", ".svg")


def _figure(width: float, height: float) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")  # files only: never a window, never a display server
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height), dpi=110)


def _save(fig: Any, path: str | Path) -> Path:
    import matplotlib.pyplot as plt

    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        plt.close(fig)
        raise ConfigError(f"--plot {path}: the file name must end in .png or .svg")
    fig.tight_layout()
    try:
        fig.savefig(path, metadata={"Software": "allegiance"} if path.suffix == ".png"
                    else None)
    except OSError as exc:
        raise ConfigError(f"--plot {path}: cannot write it ({exc.strerror})") from None
    finally:
        plt.close(fig)
    return path


def _what(cameo: str) -> str:
    return codebook()[cameo].name if cameo in codebook() else cameo


def _short(text: str, n: int = 38) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def plot_dyad(series: pd.DataFrame, spikes: pd.DataFrame, path: str | Path, *,
              title: str) -> Path:
    """Stacked quad-class counts per period, the cooperation-conflict index over them, and
    each spike annotated with its top event. ``spikes``: one row per annotated period
    (``period``, ``source_code``, ``cameo``, ``target_code``)."""
    fig, ax = _figure(10, 4.8)
    x = series.index
    width = _quad_bars(ax, series, title)
    index_ax = ax.twinx()
    index_ax.plot(x + width / 2, series["cci"], color="#333333", marker="o", linewidth=1.4,
                  label="cooperation-conflict index")
    index_ax.axhline(0, color="#999999", linewidth=0.7, linestyle=":")
    index_ax.set_ylim(-1.05, 1.05)
    index_ax.set_ylabel("cooperation-conflict index")
    top = float(series["events"].max()) or 1.0
    ax.set_ylim(0, top * 1.45)
    for row in spikes.itertuples():
        height = float(series.loc[row.period, "events"])
        label = (f"{row.source_code or '?'} → {row.target_code or '?'}: "
                 f"{_short(_what(row.cameo))}")
        ax.annotate(label, xy=(row.period + width / 2, height),
                    xytext=(0, 18), textcoords="offset points", ha="center", fontsize=7.5,
                    arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.6},
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#bbbbbb"})
    handles, labels = ax.get_legend_handles_labels()
    h2, l2 = index_ax.get_legend_handles_labels()
    ax.legend(handles + h2, labels + l2, loc="upper center", bbox_to_anchor=(0.5, -0.16),
              fontsize=7.5, ncol=5, frameon=False)
    ax.tick_params(axis="x", labelsize=8)
    return _save(fig, path)


def _quad_bars(ax: Any, table: pd.DataFrame, title: str) -> Any:
    """The quad classes' counts stacked per period (one column each in ``table``); the
    bars' width, for what is drawn over them."""
    width = _bar_width(table.index)
    bottom = None
    for column, colour in QUAD_COLOURS.items():
        values = table[column]
        ax.bar(table.index, values, width=width, bottom=bottom, color=colour,
               label=QUAD_LABELS[column], align="edge")
        bottom = values if bottom is None else bottom + values
    ax.set_ylabel("events")
    ax.set_title(title)
    return width


def _bar_width(index: Any) -> Any:
    import pandas as pd

    if len(index) > 1:
        return (index[1] - index[0]) * 0.85
    return pd.Timedelta(days=5)


def plot_actor(profile: ActorProfile, path: str | Path, *, top: int = 12) -> Path:
    """Partners of an actor, two panels: its cooperative (right, green) and conflictual
    (left, red) events with each, and how the net Goldstein with each moved against the
    previous window of the same length."""
    import matplotlib.pyplot as plt

    if profile.partners.empty:
        raise NoDataError(f"{profile.actor} has no partner {profile.window.describe()} "
                          "(only one-sided events): nothing to draw")
    partners = profile.partners.sort_values("events", ascending=False).head(top)
    partners = partners.iloc[::-1]  # biggest at the top
    plt.close(_figure(1, 1)[0])  # Agg chosen before pyplot draws anything
    fig, (ax, change_ax) = plt.subplots(
        1, 2, figsize=(10, max(3.0, 0.42 * len(partners) + 1.6)), dpi=110, sharey=True,
        gridspec_kw={"width_ratios": [3, 2]})
    y = list(range(len(partners)))
    ax.barh(y, partners["cooperation"], color=COOP, label="cooperative")
    ax.barh(y, -partners["conflict"], color=CONFLICT, label="conflictual")
    ax.set_yticks(y, [f"{p} ({_short(actor_name(str(p)), 22)})" for p in partners.index],
                  fontsize=8)
    ax.axvline(0, color="#333333", linewidth=0.8)
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{abs(v):g}"))
    ax.set_xlabel("events with the partner (conflictual left, cooperative right)")
    ax.legend(loc="lower left", fontsize=7.5, frameon=False)
    change = partners["change"]
    change_ax.barh(y, change, color=[COOP if c >= 0 else CONFLICT for c in change])
    change_ax.axvline(0, color="#333333", linewidth=0.8)
    reach = float(change.abs().max()) * 1.15 or 1.0
    change_ax.set_xlim(-reach, reach)
    prev = profile.previous
    change_ax.set_xlabel(f"change of net Goldstein against {prev.since} to {prev.until}",
                         fontsize=8)
    fig.suptitle(f"{profile.actor} ({actor_name(profile.actor)}): partners "
                 f"{profile.window.describe()}", fontsize=10)
    return _save(fig, path)


def plot_network(net: Network, path: str | Path, *, max_nodes: int = 60) -> Path:
    """The graph: nodes coloured by bloc and sized by events, cooperation edges green and
    conflict edges red, wider for more Goldstein weight."""
    import networkx as nx

    graph = net.graph()
    if graph.number_of_nodes() > max_nodes:  # the busiest actors; a hairball tells nothing
        busiest = sorted(graph.degree(weight="events"), key=lambda d: -d[1])[:max_nodes]
        graph = graph.subgraph([n for n, _ in busiest]).copy()
    fig, ax = _figure(9, 7.5)
    coop_graph = nx.Graph((a, b, {"weight": d["cooperation"] + 0.1})
                          for a, b, d in graph.edges(data=True))
    coop_graph.add_nodes_from(graph.nodes)
    layout = nx.spring_layout(coop_graph, weight="weight", seed=0, k=1.2)
    colour = {b.name: BLOC_COLOURS[i % len(BLOC_COLOURS)] for i, b in enumerate(net.blocs)}
    strongest = max((abs(d["net"]) for _, _, d in graph.edges(data=True)), default=1) or 1
    for a, b, d in graph.edges(data=True):
        ax.plot(*zip(layout[a], layout[b], strict=True),
                color=COOP if d["net"] >= 0 else CONFLICT,
                linewidth=0.6 + 4.0 * abs(d["net"]) / strongest, alpha=0.75, zorder=1)
    volume = dict(graph.degree(weight="events"))
    big = max(volume.values(), default=1) or 1
    for node in graph.nodes:
        bloc = graph.nodes[node]["bloc"]
        ax.scatter(*layout[node], s=140 + 900 * volume[node] / big,
                   color=colour.get(bloc, "#bbbbbb"), edgecolors="white", zorder=2)
        ax.annotate(node, layout[node], ha="center", va="center", fontsize=8,
                    fontweight="bold", zorder=3)
    from matplotlib.lines import Line2D

    legend = [Line2D([], [], marker="o", linestyle="", color=colour[b.name],
                     label=f"{b.name} bloc ({len(b.members)})") for b in net.blocs]
    legend += [Line2D([], [], color=COOP, label="net cooperation"),
               Line2D([], [], color=CONFLICT, label="net conflict")]
    ax.legend(handles=legend, loc="lower left", fontsize=8, frameon=False)
    ax.set_title(f"Cooperation and conflict {net.window.describe()}: "
                 f"{graph.number_of_nodes()} actors, {len(net.blocs)} blocs")
    ax.set_axis_off()
    return _save(fig, path)


def plot_shifts(ranked: pd.DataFrame, path: str | Path, *, top: int = 15,
                title: str = "Shifts") -> Path:
    """The strongest shift scores as bars, warmer green and cooler red, each labelled
    with its top driving event."""
    rows = ranked.head(top).iloc[::-1]
    fig, ax = _figure(10, max(3.0, 0.45 * len(rows) + 1.2))
    y = list(range(len(rows)))
    ax.barh(y, rows["score"], color=[COOP if s > 0 else CONFLICT for s in rows["score"]])
    ax.set_yticks(y, [f"{a}-{b}" for a, b in zip(rows["a"], rows["b"], strict=True)],
                  fontsize=8)
    ax.axvline(0, color="#333333", linewidth=0.8)
    for i, row in zip(y, rows.itertuples(), strict=True):
        if len(row.drivers):
            d = row.drivers.iloc[0]
            label = f"{d['date']}: {_short(_what(d['cameo']), 32)}"
            ax.annotate(label, (row.score, i), xytext=(4 if row.score >= 0 else -4, 0),
                        textcoords="offset points", va="center", fontsize=7,
                        ha="left" if row.score >= 0 else "right")
    span = float(rows["score"].abs().max()) or 1.0
    ax.set_xlim(-span * 2.2, span * 2.2)
    ax.set_xlabel("shift score (robust z of net Goldstein; warmer > 0 > cooler)")
    ax.set_title(title)
    return _save(fig, path)


def plot_timeline(table: pd.DataFrame, path: str | Path, *, title: str) -> Path:
    """Stacked quad-class counts per period (``analysis.timeline``)."""
    fig, ax = _figure(10, 3.6)
    _quad_bars(ax, table, title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize=7.5, ncol=4,
              frameon=False)
    ax.tick_params(axis="x", labelsize=8)
    return _save(fig, path)
