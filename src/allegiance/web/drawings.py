"""Charts the templates draw as inline SVG: geometry computed here, markup in the
template, no script and no second request.

Each function returns plain dicts of positions, colours and tooltip text (``<title>``
elements, which screen readers and every browser show); the values are numbers or text
the template escapes. The matplotlib pictures (``analysis.plots``) stay the downloads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allegiance.analysis.names import actor_name
from allegiance.analysis.plots import BLOC_COLOURS, QUAD_COLOURS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["QUAD_LABELS", "graph_drawing", "timeline_drawing"]

QUAD_LABELS = {"verbal_coop": "verbal cooperation", "material_coop": "material cooperation",
               "verbal_conflict": "verbal conflict", "material_conflict": "material conflict"}


def timeline_drawing(table: pd.DataFrame, *, freq: str = "week", width: int = 960,
                     height: int = 260) -> dict[str, Any]:
    """Stacked bars of ``table`` (periods x quad classes, ``analysis.timeline``): one
    group per period with a tooltip giving its counts, y ticks at round numbers and up
    to eight x labels."""
    left, right, top, bottom = 52, 8, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = table.sum(axis=1)
    peak = max(int(totals.max()) if len(totals) else 0, 1)
    step = _round_step(peak / 4)
    ceiling = step * -(-peak // step)
    slot = plot_w / max(len(table), 1)
    bar = max(slot * 0.8, 1.0)
    label_every = max(1, -(-len(table) // 8))
    fmt = "%b %Y" if freq == "month" else "%d %b %Y"
    periods = []
    for i, (period, row) in enumerate(table.iterrows()):
        x = left + i * slot + (slot - bar) / 2
        y = float(top + plot_h)
        parts = []
        for column, colour in QUAD_COLOURS.items():
            h = plot_h * int(row[column]) / ceiling
            if h > 0:
                y -= h
                parts.append({"y": round(y, 1), "h": round(h, 1), "colour": colour})
        when = period.strftime(fmt)
        counts = ", ".join(f"{int(row[c]):,} {QUAD_LABELS[c]}" for c in QUAD_COLOURS)
        periods.append({"x": round(x, 1), "w": round(bar, 1), "parts": parts,
                        "title": f"{freq.capitalize()} of {when}: {int(totals.iloc[i]):,} "
                                 f"events ({counts})",
                        "label": when if i % label_every == 0 else None,
                        "label_x": round(x + bar / 2, 1)})
    ticks = [{"y": round(top + plot_h - plot_h * v / ceiling, 1), "value": f"{v:,}"}
             for v in range(0, ceiling + 1, step)]
    return {"width": width, "height": height, "left": left, "right": width - right,
            "base": top + plot_h, "periods": periods, "ticks": ticks,
            "legend": [{"name": QUAD_LABELS[c], "colour": colour}
                       for c, colour in QUAD_COLOURS.items()]}


def _round_step(raw: float) -> int:
    """1, 2 or 5 times a power of ten, at least ``raw``: ticks people can read."""
    power = 1
    while True:
        for m in (1, 2, 5):
            if m * power >= raw:
                return m * power
        power *= 10


def graph_drawing(net: Any, *, size: int = 640, max_nodes: int = 60) -> dict[str, Any]:
    """Positions (spring layout, seed 0, on the cooperative weights) and styles for the
    network page's SVG: every node a link to its actor page with a tooltip, every edge a
    tooltip with its counts."""
    import networkx as nx

    graph = net.graph()
    if graph.number_of_nodes() > max_nodes:
        busiest = sorted(graph.degree(weight="events"), key=lambda d: -d[1])[:max_nodes]
        graph = graph.subgraph([n for n, _ in busiest]).copy()
    layout_graph = nx.Graph((a, b, {"weight": d["cooperation"] + 0.1})
                            for a, b, d in graph.edges(data=True))
    layout_graph.add_nodes_from(graph.nodes)
    layout = nx.spring_layout(layout_graph, weight="weight", seed=0, k=1.2)
    xs = [p[0] for p in layout.values()] or [0.0]
    ys = [p[1] for p in layout.values()] or [0.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    margin = 40

    def place(node: str) -> tuple[float, float]:
        x, y = layout[node]
        scale = (size - 2 * margin) / span
        return (round(margin + (x - min(xs)) * scale, 1),
                round(margin + (y - min(ys)) * scale, 1))

    colour = {b.name: BLOC_COLOURS[i % len(BLOC_COLOURS)] for i, b in enumerate(net.blocs)}
    strongest = max((abs(d["net"]) for _, _, d in graph.edges(data=True)), default=1) or 1
    volume = dict(graph.degree(weight="events"))
    big = max(volume.values(), default=1) or 1
    edges = [{"x1": place(a)[0], "y1": place(a)[1], "x2": place(b)[0], "y2": place(b)[1],
              "colour": "#1b7f3b" if d["net"] >= 0 else "#c0392b",
              "width": round(0.8 + 5 * abs(d["net"]) / strongest, 1),
              "title": f"{a}–{b}: {d['events']} events, net Goldstein {d['net']:+.1f}"}
             for a, b, d in graph.edges(data=True)]
    nodes = [{"id": n, "x": place(n)[0], "y": place(n)[1],
              "r": round(8 + 18 * (volume[n] / big) ** 0.5, 1),
              "colour": colour.get(graph.nodes[n]["bloc"], "#9aa3b0"),
              "title": f"{actor_name(n)} ({n}): {volume[n]} events"
                       + (f", {graph.nodes[n]['bloc']} bloc" if graph.nodes[n]["bloc"] else "")}
             for n in graph.nodes]
    return {"size": size, "edges": edges, "nodes": nodes,
            "legend": [{"name": b.name, "colour": colour[b.name]} for b in net.blocs]}
