"""Analyses over a store coded for real from articles written for this test: twelve
weekly items in which Venezuela's relation with the United States sours from February
2026 while it turns to Russia, China and Iran, and twelve on the world around it (the
US, Britain, France and Colombia cooperate; Russia, China and Iran do; the two sides
quarrel). Run on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from allegiance.analysis.appeals import appeals, appeals_matrix
from allegiance.analysis.brief import build_brief, render, verify
from allegiance.analysis.dyad import dyad_series
from allegiance.analysis.load import Window
from allegiance.analysis.network import network
from allegiance.analysis.profile import actor_profile
from allegiance.analysis.shifts import shifts
from allegiance.cli import main
from allegiance.errors import ConfigError, NoDataError

pytestmark = pytest.mark.slow

TURN = "2026-02-01"  # the first article of the turn is dated 2026-02-02


def test_dyad_series_counts_and_index(db: str) -> None:
    s = dyad_series(db, "VEN", "USA", freq="month")
    assert list(s.index.strftime("%Y-%m")) == ["2026-01", "2026-02", "2026-03"]
    # January: talks both ways, praise both ways, an agreement; all cooperative.
    assert s.loc["2026-01-01", "material_conflict"] == 0
    assert s.loc["2026-01-01", "goldstein_sum"] > 0 > s.loc["2026-02-01", "goldstein_sum"]
    # The index is the dyad's Goldstein over 10 x both actors' volume.
    feb = s.loc["2026-02-01"]
    assert feb["cci"] == pytest.approx(feb["goldstein_sum"] / (10 * feb["volume"]))
    assert s["cci"].min() >= -1 and s["cci"].max() <= 1
    # A quiet week of the dyad still has its actors' news volume.
    weekly = dyad_series(db, "VEN", "RUS")
    assert ((weekly["events"] == 0) & (weekly["volume"] > 0)).any()
    directed = dyad_series(db, "USA", "VEN", freq="month", directed=True)
    assert directed["events"].sum() < s["events"].sum()


def test_profile_ranks_partners_and_lists_appeals(db: str) -> None:
    p = actor_profile(db, "VEN", window=Window(TURN, "2026-03-31"))
    assert list(p.by_conflict(1).index) == ["USA"]
    assert set(p.by_cooperation(3).index) == {"RUS", "CHN", "IRN"}
    asked = {(r.target_key, r.cameo) for r in p.asked.itertuples()}
    assert asked == {("RUS", "0232"), ("CHN", "0231")}
    # Against the same length of time before: USA fell from cooperation to conflict.
    assert p.partners.loc["USA", "change"] < 0 < p.partners.loc["USA", "goldstein_before"]


def test_shifts_find_the_turn_with_its_evidence(db: str) -> None:
    ranked = shifts(db, since=TURN, until="2026-03-31", actor="VEN", min_events=1)
    by_pair = {(r.a, r.b): r for r in ranked.itertuples()}
    assert by_pair[("USA", "VEN")].direction == "cooler"
    for partner in ("RUS", "CHN", "IRN"):
        assert by_pair[(partner, "VEN")].direction == "warmer"
    drivers = by_pair[("USA", "VEN")].drivers
    assert drivers["sentence"].str.contains("United States").all()
    assert (drivers["date"] >= TURN).all()


def test_the_brief_tells_the_turn_and_cites_it(db: str) -> None:
    brief = build_brief(db, "VEN", window=Window(TURN, "2026-03-31"))
    assert verify(brief) == []
    text = render(brief, "md")
    assert "Venezuela asked Russia for military aid on 23 February 2026" in text
    assert "Venezuela asked China for economic aid" in text
    assert "Relations between Venezuela and the United States cooled" in text
    assert "Relations between Venezuela and Russia warmed" in text
    refs = {r.number: r for r in brief.references}
    for claim in brief.claims:
        assert claim.citations
        for n in claim.citations:
            assert refs[n].url and refs[n].url.startswith("https://example.org/")
    russia = next(c for c in brief.claims if "asked Russia" in c.text)
    evidence = refs[russia.citations[0]].evidence
    assert evidence == "Venezuela asked Russia for military aid on Monday."


def test_a_claim_its_events_do_not_back_is_caught(db: str) -> None:
    import dataclasses

    brief = build_brief(db, "VEN", window=Window(TURN, "2026-03-31"))
    claims = list(brief.claims)
    russia = next(i for i, c in enumerate(claims) if "asked Russia" in c.text)
    china = next(c for c in claims if "asked China" in c.text)
    # Cite China's appeal for the Russian one: a reference that is none of its events ...
    claims[russia] = dataclasses.replace(claims[russia], citations=china.citations)
    problems = verify(dataclasses.replace(brief, claims=tuple(claims)))
    assert any("none of the events it was made from" in p for p in problems)
    # ... and with the events listed too: wrong actors and wrong code.
    claims[russia] = dataclasses.replace(claims[russia], citations=china.citations,
                                         event_ids=china.event_ids)
    problems = verify(dataclasses.replace(brief, claims=tuple(claims)))
    assert any("are not the claim's" in p for p in problems)
    assert any("the event's code 0231 is not" in p for p in problems)
    claims[russia] = dataclasses.replace(claims[russia], citations=(999,))
    problems = verify(dataclasses.replace(brief, claims=tuple(claims)))
    assert any("no stored event" in p for p in problems)


def test_one_sentence_to_three_partners_is_one_claim_and_one_reference(
        tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parents[2] / "examples" / "venezuela_military_aid.txt"
    db = f"sqlite:///{tmp_path / 'seed.db'}"
    result = CliRunner().invoke(main, ["ingest", str(seed), "--db", db, "--date",
                                       "2026-11-24", "--no-progress", "-j", "1"])
    assert result.exit_code == 0, result.output
    brief = build_brief(db, "VEN")
    asked = [c for c in brief.claims if "for military aid" in c.text]
    assert len(asked) == 1
    assert "Venezuela asked China, Iran and Russia for military aid" in asked[0].text
    assert set(asked[0].targets) == {"CHN", "IRN", "RUS"} and asked[0].target is None
    (ref,) = [r for r in brief.references if r.number in asked[0].citations]
    assert len(ref.event_ids) == 3 and "Russia, China, and Iran" in ref.evidence
    assert verify(brief) == []


def test_brief_formats_and_explain(db: str) -> None:
    import json

    brief = build_brief(db, "VEN", dyad="RUS")
    assert all(c.source in ("VEN", "RUS") for c in brief.claims)
    data = json.loads(render(brief, "json"))
    assert data["claims"] and data["references"]
    html = render(brief, "html")
    assert html.count("<li") == len(brief.claims) + len(brief.references)
    explained = render(brief, "md", explain=True)
    assert "event " in explained and "(asserted, confidence" in explained


def test_empty_windows_and_unknown_actors_are_clear(db: str) -> None:
    with pytest.raises(NoDataError, match="no events with XYZ"):
        dyad_series(db, "VEN", "XYZ")
    with pytest.raises(NoDataError, match="no events with IRN from 2026-01-01"):
        dyad_series(db, "VEN", "IRN", window=Window("2026-01-01", "2026-01-20"))
    with pytest.raises(NoDataError, match="no events between VEN <-> GBR"):
        dyad_series(db, "VEN", "GBR")
    with pytest.raises(ConfigError, match="two different actors"):
        dyad_series(db, "VEN", "ven")
    with pytest.raises(ConfigError, match="--freq"):
        dyad_series(db, "VEN", "USA", freq="year")
    with pytest.raises(ConfigError, match="after --until"):
        Window("2026-03-01", "2026-02-01")
    with pytest.raises(NoDataError):
        shifts(db, since="2030-01-01")
    # Recent starts on the day: Monday's and Tuesday's events are not in a Wednesday window.
    with pytest.raises(NoDataError):
        shifts(db, since="2026-02-04", until="2026-02-05", min_events=1)


def test_network_finds_the_blocs_and_who_moves(db: str) -> None:
    import json

    net = network(db, window=Window("2026-01-01", "2026-03-31"), freq="month")
    east, west = net.bloc_of("RUS"), net.bloc_of("USA")
    assert east is not None and west is not None and east != west
    assert {"RUS", "CHN", "IRN"} <= set(east.members)
    assert {"USA", "GBR", "FRA", "COL"} <= set(west.members)
    g = net.graph()
    assert g.nodes["CHN"]["bloc"] == east.name
    assert g.edges["USA", "RUS"]["sign"] == -1 and g.edges["GBR", "IRN"]["sign"] == -1
    assert g.edges["CHN", "IRN"]["sign"] == 1
    # Venezuela turns from Washington's side to Moscow's, month by month and overall.
    ven = net.alignment[net.alignment["actor"] == "VEN"].set_index(["bloc", "period"])
    toward_east = ven.loc[east.name, "alignment"]
    assert toward_east.iloc[0] < toward_east.iloc[-1]
    assert ven.loc[west.name, "alignment"].iloc[0] == 1.0
    moves = net.movers[net.movers["actor"] == "VEN"].set_index("bloc")["change"]
    assert moves[east.name] > 0 > moves[west.name]
    assert json.loads(json.dumps(net.to_dict(), default=str))["blocs"]
    with pytest.raises(NoDataError, match="no pair of actors"):
        network(db, window=Window("2030-01-01", "2030-02-01"))
    # One day with one conflict: a graph, no bloc, and still a JSON answer.
    quarrel = network(db, window=Window("2026-02-17", "2026-02-17"))
    assert quarrel.blocs == () and json.loads(json.dumps(quarrel.to_dict(), default=str))


def test_appeals_and_aid_matrix(db: str) -> None:
    rows = appeals(db, kind="both")
    assert set(zip(rows["source"], rows["target"], rows["cameo"], strict=True)) == {
        ("VEN", "RUS", "0232"), ("VEN", "CHN", "0231"), ("RUS", "VEN", "072")}
    assert dict(zip(rows["cameo"], rows["kind"], strict=True))["072"] == "aid"
    asked = appeals_matrix(rows[rows["kind"] == "appeals"])
    assert asked.loc["VEN", "RUS"] == 1 and asked.loc["VEN", "CHN"] == 1
    assert list(appeals(db, kind="aid", actor="VEN")["source"]) == ["RUS"]
    with pytest.raises(NoDataError, match="no aid"):
        appeals(db, kind="aid", window=Window("2026-01-01", "2026-01-31"))
    with pytest.raises(ConfigError, match="--kind"):
        appeals(db, kind="loans")


def test_cli_answers_and_exit_status(db: str) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["brief", "--db", db, "--actor", "VEN", "--since", TURN])
    assert ok.exit_code == 0 and "[1]" in ok.stdout and "## References" in ok.stdout
    table = runner.invoke(main, ["dyad", "VEN", "RUS", "--db", db, "--freq", "month"])
    assert table.exit_code == 0 and "cci" in table.stdout
    csv = runner.invoke(main, ["dyad", "VEN", "RUS", "--db", db, "--format", "csv"])
    assert csv.stdout.splitlines()[0].startswith("period,events,mentions")
    profile = runner.invoke(main, ["actor", "VEN", "--db", db])
    assert profile.exit_code == 0 and "What it asked for" in profile.stdout
    moved = runner.invoke(main, ["shifts", "--db", db, "--since", TURN, "--min-events", "1"])
    assert moved.exit_code == 0 and "USA-VEN  cooler" in moved.stdout
    net = runner.invoke(main, ["network", "--db", db, "--since", "2026-01-01", "--freq",
                               "month"])
    assert net.exit_code == 0 and "VEN (Venezuela) toward the RUS bloc" in net.stdout
    asked = runner.invoke(main, ["appeals", "--db", db])
    assert asked.exit_code == 0 and "VEN asked RUS: Appeal for military aid" in asked.stdout
    none = runner.invoke(main, ["network", "--db", db, "--since", "2030-01-01"])
    assert none.exit_code == 1 and "no result: no pair" in none.stderr
    empty = runner.invoke(main, ["dyad", "VEN", "XYZ", "--db", db])
    assert empty.exit_code == 1 and "no events with XYZ" in empty.stderr
    assert "Traceback" not in empty.output
    bad = runner.invoke(main, ["brief", "--db", db, "--actor", "VEN", "--since", "March"])
    assert bad.exit_code != 0 and "--since must be a date" in str(bad.exception or bad.output)


def test_html_escapes_article_text(db: str) -> None:
    import dataclasses

    brief = build_brief(db, "VEN", dyad="RUS")
    evil = dataclasses.replace(brief.references[0], title="<script>alert(1)</script>",
                               url="javascript:\"><script>x()</script>")
    page = render(dataclasses.replace(brief, references=(evil, *brief.references[1:])),
                  "html")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
