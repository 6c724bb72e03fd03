"""Alert rules: reading the YAML file (and every way it can be wrong), matching the store
of articles written for the tests, raising each match once, and the commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from allegiance.analysis.alerts import AlertRulesError, Rule, evaluate, read_rules
from allegiance.analysis.load import Window
from allegiance.cli import main
from allegiance.store.store import Store

RULES = """\
rules:
  - name: arms
    actor: VEN
    cameo: ["023"]
  - name: sanctions
    cameo: ["163"]
    min_goldstein: 5
  - name: moscow-aid
    source: RUS
    plover: [AID]
  - name: venezuela-moves
    actor: VEN
    shift: 1.0
    days: 42
"""


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "alerts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_rules_are_read(tmp_path: Path) -> None:
    rules = read_rules(_file(tmp_path, RULES))
    assert [r.name for r in rules] == ["arms", "sanctions", "moscow-aid", "venezuela-moves"]
    assert rules[0] == Rule("arms", actor="VEN", cameo=("023",))
    assert rules[1].min_goldstein == 5.0 and rules[1].kind == "event"
    assert rules[3].kind == "shift" and rules[3].days == 42
    pair = read_rules(_file(tmp_path, "rules:\n  - name: p\n    source: ven\n    target: RUS\n"))
    assert (pair[0].source, pair[0].target) == ("VEN", "RUS")


@pytest.mark.parametrize(("text", "message"), [
    ("rules:\n  - name: a\n    actor: [VEN\n", r"line \d+, column \d+ is not valid YAML"),
    ("- name: a\n", "a list under 'rules:'"),
    ("rules: []\n", "has no rules"),
    ("rules:\n  - actor: VEN\n", "rule 1: every rule needs a name"),
    ("rules:\n  - name: a\n    actors: VEN\n", r"rule 1 \(a\): unknown key 'actors'"),
    ("rules:\n  - name: a\n    1: x\n    foo: y\n", r"rule 1 \(a\): unknown key '1'"),
    ("rules:\n  - name: a\n    cameo: [0232]\n", "quote CAMEO codes"),
    ("rules:\n  - name: a\n    cameo: ['99']\n", "no CAMEO code starts with '99'"),
    ("rules:\n  - name: a\n    plover: [FIGHTING]\n", "not a PLOVER category"),
    ("rules:\n  - name: a\n    min_goldstein: 12\n", "min_goldstein: must be a number from"),
    ("rules:\n  - name: a\n    min_mentions: two\n", "min_mentions: must be a whole number"),
    ("rules:\n  - name: a\n    dyad: [VEN]\n", "dyad: must be a list of two actors"),
    ("rules:\n  - name: a\n    actor: VEN\n    dyad: [VEN, RUS]\n", "not several"),
    ("rules:\n  - name: a\n    modes: [asserted]\n", "would match every event"),
    ("rules:\n  - name: a\n    shift: 2\n    cameo: ['19']\n", "is for event rules"),
    ("rules:\n  - name: a\n    actor: VEN\n    days: 3\n", "is for shift rules"),
    ("rules:\n  - name: a\n    actor: VEN\n  - name: a\n    actor: RUS\n", "two rules are named"),
])
def test_a_bad_rules_file_says_where_and_what(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(AlertRulesError, match=message) as err:
        read_rules(_file(tmp_path, text))
    assert "alerts.yaml" in str(err.value)


def test_the_example_file_is_valid() -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "alerts.yaml"
    kinds = [r.kind for r in read_rules(example)]
    assert "event" in kinds and "shift" in kinds


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(AlertRulesError, match="cannot read the alerts file"):
        read_rules(tmp_path / "nope.yaml")


def test_rules_match_the_stored_events(db: str, tmp_path: Path) -> None:
    found = evaluate(db, read_rules(_file(tmp_path, RULES)))
    by_rule: dict[str, set[tuple[str | None, str | None, str | None]]] = {}
    for a in found:
        by_rule.setdefault(a.rule, set()).add((a.source, a.target, a.cameo))
    assert by_rule["arms"] == {("VEN", "RUS", "0232"), ("VEN", "CHN", "0231")}
    assert by_rule["sanctions"] == {("USA", "VEN", "163"), ("GBR", "IRN", "163")}
    assert by_rule["moscow-aid"] == {("RUS", "VEN", "072")}
    moves = {(a.source, a.target) for a in found if a.rule == "venezuela-moves"}
    assert ("RUS", "VEN") in moves
    arms = next(a for a in found if a.rule == "arms" and a.target == "RUS")
    assert "asked Russia for military aid" in arms.message and arms.url
    # A window keeps older events out.
    later = evaluate(db, read_rules(_file(tmp_path, RULES))[:1],
                     window=Window("2026-02-25", None))
    assert {(a.source, a.target) for a in later} == {("VEN", "CHN")}


def test_each_match_is_raised_once(db: str, tmp_path: Path) -> None:
    rules = read_rules(_file(tmp_path, RULES))[:2]
    with Store(db) as store:
        store.write_alerts([])  # nothing to store is fine
        before = {a.id for a in store.alerts(limit=1000)}
        first = store.write_alerts(evaluate(store, rules))
        again = store.write_alerts(evaluate(store, rules))
        stored = store.alerts(rule="sanctions")
    assert {a.id for a in first} - before and again == []
    assert all(a.raised_at for a in first)
    assert len(stored) == 2 and {a.source for a in stored} == {"USA", "GBR"}


def test_the_alerts_command(db: str, tmp_path: Path) -> None:
    rules = _file(tmp_path, RULES.replace("name: ", "name: cli-"))
    runner = CliRunner()
    first = runner.invoke(main, ["alerts", "--db", db, "--rules", str(rules),
                                 "--format", "jsonl"])
    assert first.exit_code == 0, first.output
    lines = [json.loads(x) for x in first.stdout.splitlines()]
    assert {"cli-arms", "cli-sanctions", "cli-moscow-aid"} <= {x["rule"] for x in lines}
    assert all(x["id"] and x["raised_at"] for x in lines)
    again = runner.invoke(main, ["alerts", "--db", db, "--rules", str(rules)])
    assert again.exit_code == 0 and again.stdout == ""
    listed = runner.invoke(main, ["alerts", "--db", db, "--rule", "cli-arms"])
    assert listed.exit_code == 0 and "[cli-arms] VEN 0232 RUS" in listed.stdout
    broken = runner.invoke(main, ["alerts", "--db", db, "--rules",
                                  str(_file(tmp_path, "rules: [1\n"))])
    assert broken.exit_code != 0 and "is not valid YAML" in str(broken.exception)
    watch = runner.invoke(main, ["alerts", "--db", db, "--watch", "1"])
    assert watch.exit_code == 2 and "--watch needs --rules" in watch.output


def test_ingest_raises_alerts_after_storing(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'events.db'}"
    rules = _file(tmp_path, "rules:\n  - name: arms\n    cameo: ['023']\n")
    article = tmp_path / "a.jsonl"
    article.write_text(json.dumps({
        "id": "a1", "date": "2026-03-02", "url": "https://example.org/a1",
        "text": "Venezuela asked Russia for military aid on Monday."}) + "\n")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(article), "--db", db, "--no-progress",
                                  "--alerts", str(rules), "--alerts-format", "jsonl"])
    assert result.exit_code == 0, result.output
    raised = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert [(a["source"], a["cameo"], a["target"]) for a in raised] == [("VEN", "0232", "RUS")]
    assert "1 new alert from" in result.stderr
    bad = _file(tmp_path, "rules:\n  - name: x\n    cameo: [19]\n")
    refused = runner.invoke(main, ["ingest", str(article), "--db", db, "--no-progress",
                                   "--alerts", str(bad)])
    assert refused.exit_code != 0 and "quote CAMEO codes" in str(refused.exception)
