"""The analysis commands: ``dyad``, ``actor``, ``network``, ``appeals``, ``shifts``,
``brief`` and ``alerts``.

Thin wrappers over ``allegiance.analysis``: they read the store, never write it. An
empty result (no events for the actor, the dyad or the dates) is a one-line message on
stderr and exit status 1, never an empty table presented as an answer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from allegiance.cli.app import main
from allegiance.cli.options import db_option
from allegiance.errors import NoDataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["actor_command", "alerts_command", "appeals_command", "brief_command",
           "dyad_command", "network_command", "raise_alerts", "shifts_command"]

_since = click.option("--since", metavar="YYYY-MM-DD", help="First day of the window.")
_until = click.option("--until", metavar="YYYY-MM-DD", help="Last day of the window.")
_min_conf = click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
                         help="Only events at least this certain.")


def _picture_file(_ctx: Any, _param: Any, value: str | None) -> str | None:
    if value and not value.lower().endswith((".png", ".svg")):
        raise click.BadParameter(f"{value!r}: the file name must end in .png or .svg")
    return value


_plot = click.option("--plot", "plot", type=click.Path(dir_okay=False), metavar="FILE",
                     callback=_picture_file, help="Also draw it to FILE (.png or .svg).")
_fmt = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]),
                    default="table", show_default=True)


def _wrote(path: Any) -> None:
    click.echo(f"wrote {path}", err=True)


@contextmanager
def _answers() -> Iterator[None]:
    """No data is an answer, not a crash: say so and exit 1."""
    try:
        yield
    except NoDataError as err:
        click.echo(f"no result: {err}", err=True)
        sys.exit(1)


def _emit(frame: pd.DataFrame, fmt: str) -> None:
    import pandas as pd

    if fmt == "csv":
        click.echo(frame.to_csv(), nl=False)
    elif fmt == "json":
        click.echo(frame.reset_index().to_json(orient="records", date_format="iso",
                                               lines=True), nl=False)
    else:
        with pd.option_context("display.width", 200, "display.max_columns", 30,
                               "display.max_rows", 500):
            click.echo(frame.to_string(float_format=lambda v: f"{v:.3f}"))


def _window(since: str | None, until: str | None) -> Any:
    from allegiance.analysis.load import Window

    return Window(since, until)


@main.command("dyad")
@click.argument("a")
@click.argument("b")
@db_option
@click.option("--freq", type=click.Choice(["day", "week", "month"]), default="week",
              show_default=True)
@_since
@_until
@click.option("--directed", is_flag=True, help="Only A -> B (default: both directions).")
@click.option("--all-columns", is_flag=True,
              help="Every column (quad classes weighted, PLOVER categories).")
@_min_conf
@_fmt
@_plot
def dyad_command(a: str, b: str, db: str | None, freq: str, since: str | None,
                 until: str | None, directed: bool, all_columns: bool,
                 min_confidence: float | None, fmt: str, plot: str | None) -> None:
    """The relation of A and B over time: counts, Goldstein, cooperation-conflict index.

    cci = sum of the dyad's Goldstein / (10 x the events of either actor that period):
    from -1 to 1, normalised by the two actors' news volume (docs/analysis.md).
    """
    from allegiance.analysis.dyad import dyad_series

    window = _window(since, until)
    with _answers():
        frame = dyad_series(db, a, b, freq=freq, window=window, directed=directed,
                            min_confidence=min_confidence)
    if plot:
        from allegiance.analysis.dyad import dyad_spikes
        from allegiance.analysis.plots import plot_dyad

        spikes = dyad_spikes(db, a, b, frame, freq=freq, window=window, directed=directed,
                             min_confidence=min_confidence)
        arrow = "->" if directed else "and"
        _wrote(plot_dyad(frame, spikes, plot, title=f"{a.upper()} {arrow} {b.upper()} "
                         f"by {freq}, {window.describe()}"))
    if not all_columns and fmt == "table":
        frame = frame[["events", "mentions", "verbal_coop", "material_coop",
                       "verbal_conflict", "material_conflict", "goldstein_sum",
                       "goldstein_mean", "volume", "cci"]]
    _emit(frame, fmt)


@main.command("actor")
@click.argument("actor")
@db_option
@_since
@_until
@click.option("-n", "--top", type=click.IntRange(1), default=10, show_default=True)
@_min_conf
@_plot
def actor_command(actor: str, db: str | None, since: str | None, until: str | None,
                  top: int, min_confidence: float | None, plot: str | None) -> None:
    """One actor's partners by cooperation and conflict, its appeals, what was done to
    it, and each partner's change against the previous window of the same length."""
    from allegiance.analysis.profile import actor_profile

    with _answers():
        p = actor_profile(db, actor, window=_window(since, until),
                          min_confidence=min_confidence)
    prev = p.previous
    click.echo(f"{p.actor}: {p.events} events {p.window.describe()} "
               f"(previous window {prev.since} to {prev.until})\n")
    sections: list[tuple[str, Callable[[], pd.DataFrame]]] = [
        ("Partners by cooperation", lambda: p.by_cooperation(top)),
        ("Partners by conflict", lambda: p.by_conflict(top)),
        ("What it asked for, and from whom (CAMEO 02x)", lambda: p.asked),
        ("What was done to it", lambda: p.received.head(top)),
    ]
    for heading, get in sections:
        click.echo(f"== {heading}")
        frame = get()
        click.echo("(none)\n" if frame.empty else frame.to_string() + "\n")
    if plot:
        from allegiance.analysis.plots import plot_actor

        with _answers():
            _wrote(plot_actor(p, plot, top=top))


@main.command("network")
@db_option
@click.option("--since", required=True, metavar="YYYY-MM-DD", help="First day of the window.")
@_until
@click.option("--freq", type=click.Choice(["week", "month"]), default="week",
              show_default=True, help="Periods of the alignment over time.")
@click.option("--min-events", type=click.IntRange(1), default=1, show_default=True,
              help="Pairs with fewer events are left out of the graph and the blocs.")
@click.option("-n", "--top", type=click.IntRange(1), default=10, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@_min_conf
@_plot
def network_command(db: str | None, since: str, until: str | None, freq: str,
                    min_events: int, top: int, fmt: str,
                    min_confidence: float | None, plot: str | None) -> None:
    """Who stands with whom: the signed graph of cooperation and conflict, its blocs
    (Louvain on the cooperative part) and who is moving toward or away from each bloc
    (docs/analysis.md)."""
    import json

    from allegiance.analysis.names import actor_name
    from allegiance.analysis.network import network

    with _answers():
        net = network(db, window=_window(since, until), freq=freq, min_events=min_events,
                      min_confidence=min_confidence)
    if plot:
        from allegiance.analysis.plots import plot_network

        _wrote(plot_network(net, plot))
    if fmt == "json":
        click.echo(json.dumps(net.to_dict(), default=str))
        return
    nodes = set(net.edges["a"]) | set(net.edges["b"])
    click.echo(f"{len(net.edges)} pairs of {len(nodes)} actors {net.window.describe()}, "
               f"{len(net.blocs)} blocs\n")
    click.echo("== Blocs (communities of the cooperative graph)")
    for bloc in net.blocs:
        click.echo(f"{bloc.name} bloc: " + ", ".join(bloc.members))
    if not net.blocs:
        click.echo("(none: no two actors cooperated)")
    edges = net.edges.set_index(["a", "b"])
    for heading, column in (("Strongest cooperation", "cooperation"),
                            ("Strongest conflict", "conflict")):
        click.echo(f"\n== {heading}")
        ranked = edges[edges[column] > 0].sort_values(column, ascending=False).head(top)
        click.echo("(none)" if ranked.empty else ranked.reset_index().to_string(
            index=False, float_format="{:.1f}".format))
    click.echo("\n== Who is moving (mean alignment, second half of the window against the "
               "first)")
    if net.movers.empty:
        click.echo("(nobody: too few periods with events)")
    for row in net.movers.head(top).itertuples():
        way = "toward" if row.change > 0 else "away from"
        click.echo(f"{row.actor} ({actor_name(row.actor)}) {way} the {row.bloc} bloc: "
                   f"{row.before:+.2f} -> {row.after:+.2f}")


@main.command("appeals")
@db_option
@_since
@_until
@click.option("--kind", type=click.Choice(["appeals", "aid", "both"]), default="appeals",
              show_default=True, help="Appeals (CAMEO 02x, PLOVER REQUEST), aid (07x, "
              "AID) or both.")
@click.option("--actor", help="Only what this actor asked, gave or was asked.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True)
@_min_conf
def appeals_command(db: str | None, since: str | None, until: str | None, kind: str,
                    actor: str | None, fmt: str, min_confidence: float | None) -> None:
    """Who asks whom for what (and who gives aid): a matrix of requesters by those
    asked, then each cell's codes."""
    from allegiance.analysis.appeals import appeals, appeals_matrix

    with _answers():
        rows = appeals(db, kind=kind, window=_window(since, until), actor=actor,
                       min_confidence=min_confidence)
    if fmt != "table":
        _emit(rows.set_index(["source", "target", "cameo"]), fmt)
        return
    down, across = {"appeals": ("who asked", "who was asked"),
                    "aid": ("who gave", "who received"),
                    "both": ("who asked or gave", "who was asked or received")}[kind]
    click.echo(f"== Events: {down} down, {across} across")
    click.echo(appeals_matrix(rows).to_string())
    click.echo("\n== What, cell by cell")
    for r in rows.itertuples():
        verb = "gave" if r.kind == "aid" else "asked"
        click.echo(f"{r.source} {verb} {r.target}: {r.what} ({r.cameo}), {r.events} "
                   f"event{'s' if r.events != 1 else ''}, {r.first} to {r.last}")


@main.command("shifts")
@db_option
@click.option("--since", required=True, metavar="YYYY-MM-DD",
              help="Start of the recent window; everything before is history.")
@_until
@click.option("--freq", type=click.Choice(["day", "week", "month"]), default="week",
              show_default=True)
@click.option("--actor", help="Only dyads with this actor.")
@click.option("--min-events", type=click.IntRange(1), default=2, show_default=True,
              help="Recent events a dyad needs to be scored.")
@click.option("-n", "--top", type=click.IntRange(1), default=10, show_default=True)
@click.option("--evidence/--no-evidence", default=True, show_default=True,
              help="Print the events that drove each shift.")
@_min_conf
@_plot
def shifts_command(db: str | None, since: str, until: str | None, freq: str,
                   actor: str | None, min_events: int, top: int, evidence: bool,
                   min_confidence: float | None, plot: str | None) -> None:
    """Dyads whose relation changed beyond their own history (robust z-score of net
    Goldstein per period against the history's median and MAD; docs/analysis.md)."""
    from allegiance.analysis.shifts import shifts

    with _answers():
        ranked = shifts(db, since=since, until=until, freq=freq, actor=actor,
                        min_events=min_events, min_confidence=min_confidence,
                        drivers_for=top)
    if plot:
        from allegiance.analysis.plots import plot_shifts

        who = f" with {actor.upper()}" if actor else ""
        _wrote(plot_shifts(ranked, plot, top=top, title=f"Strongest shifts{who} since "
                           f"{since} (by {freq})"))
    for row in ranked.head(top).itertuples():
        click.echo(f"{row.a}-{row.b}  {row.direction:6s} score {row.score:+.2f}  "
                   f"recent {row.recent:+.2f}/{freq} vs usual {row.baseline:+.2f} "
                   f"(spread {row.spread:.2f}), {row.events} events")
        if evidence:
            for d in row.drivers.itertuples():
                click.echo(f"    {d.date} {d.source_code or '-'} {d.cameo} "
                           f"{d.target_code or '-'} ({d.mode}): {d.sentence}")
                if d.url:
                    click.echo(f"      {d.url}")


@main.command("brief")
@db_option
@click.option("--actor", required=True, help="The actor the brief is about (VEN).")
@click.option("--dyad", "other", metavar="ACTOR",
              help="Only the relation with this other actor (RUS).")
@_since
@_until
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md",
              show_default=True)
@click.option("--explain", is_flag=True,
              help="Under each sentence, the events and evidence it came from.")
@click.option("-n", "--limit", type=click.IntRange(1), default=8, show_default=True,
              help="Main developments at most.")
@_min_conf
def brief_command(db: str | None, actor: str, other: str | None, since: str | None,
                  until: str | None, fmt: str, explain: bool, limit: int,
                  min_confidence: float | None) -> None:
    """A cited brief: each sentence realised from stored events and followed by its
    citations; every citation checked against the events behind it."""
    from allegiance.analysis.brief import build_brief, render

    with _answers():
        brief = build_brief(db, actor, dyad=other, window=_window(since, until),
                            limit=limit, min_confidence=min_confidence)
    click.echo(render(brief, fmt, explain=explain), nl=False)


def raise_alerts(db: str | None, rules_file: str, fmt: str, *,
                 since: str | None = None, until: str | None = None) -> int:
    """Match the rules of ``rules_file``, store the new alerts, print them; their number."""
    from allegiance.analysis.alerts import evaluate, read_rules
    from allegiance.analysis.load import reading

    rules = read_rules(rules_file)
    with reading(db) as store:
        new = store.write_alerts(evaluate(store, rules, window=_window(since, until)))
    print_alerts(new, fmt)
    return len(new)


def print_alerts(alerts: list[Any], fmt: str) -> None:
    import json

    for a in alerts:
        if fmt == "jsonl":
            click.echo(json.dumps(a.to_dict(), ensure_ascii=False))
        else:
            click.echo(f"[{a.rule}] {a.message}" + (f"\n    {a.url}" if a.url else ""))


@main.command("alerts")
@db_option
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False),
              envvar="ALLEGIANCE_ALERTS", show_envvar=True,
              help="An alerts file (YAML, docs/analysis.md): match its rules and store and "
              "print the new alerts. Without it: list the stored alerts.")
@_since
@_until
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text",
              show_default=True, help="jsonl: one JSON object per alert, for other tools.")
@click.option("--rule", "rule_name", help="Listing: only this rule's alerts.")
@click.option("-n", "--limit", type=click.IntRange(1), default=50, show_default=True,
              help="Listing: at most this many, newest first.")
@click.option("--watch", "every", type=click.IntRange(1), default=None, metavar="SECONDS",
              help="Match the rules again every SECONDS, printing new alerts as they come "
              "(Ctrl-C to stop): a monitoring service beside `ingest --watch`.")
@click.option("--rounds", type=click.IntRange(1), default=None,
              help="Watch: stop after this many rounds.")
def alerts_command(db: str | None, rules_file: str | None, since: str | None,
                   until: str | None, fmt: str, rule_name: str | None, limit: int,
                   every: int | None, rounds: int | None) -> None:
    """Alerts: match an alerts file's rules against the store (each match is raised
    once, and kept in the store's alerts table), or list the alerts raised so far."""
    import time

    from allegiance.analysis.load import reading

    if not rules_file:
        if every:
            raise click.UsageError("--watch needs --rules FILE")
        with reading(db) as store:
            print_alerts(store.alerts(rule=rule_name, limit=limit), fmt)
        return
    done = 0
    while True:
        raise_alerts(db, rules_file, fmt, since=since, until=until)
        done += 1
        if not every or (rounds and done >= rounds):
            return
        time.sleep(every)
