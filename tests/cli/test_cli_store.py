"""``allegiance events``, ``export``, ``db`` and ``ingest`` (GDELT files) on both backends."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from allegiance.analysis.frames import events_frame
from allegiance.cli import main
from allegiance.errors import AllegianceError
from allegiance.store.query import EventFilter
from allegiance.store.store import Store
from helpers.day_counts import recounted_day_counts, stored_day_counts
from helpers.factories import article, event
from helpers.gdelt_rows import CLASH, MENTION, UN_APPEAL, VISIT, write_rows


@pytest.fixture
def filled(store_url: str) -> str:
    with Store(store_url) as store:
        store.write([
            article("A.", event("a", source="VENMIL", target="RUS", cameo="0232",
                                date="2026-11-01", confidence=0.9), publisher="Reuters"),
            article("B.", event("b", source="VENMIL", target="RUS", cameo="0231",
                                date="2026-11-02", confidence=0.5), publisher="AP"),
            article("C.", event("c", source="USA", target="VEN", cameo="1721",
                                date="2026-11-10", confidence=0.4)),
        ])
    return store_url


def invoke(*args: str) -> tuple[int, str, str]:
    """Run a command as `allegiance` does: our errors become exit 2 and a message."""
    result = CliRunner().invoke(main, list(args))
    if isinstance(result.exception, AllegianceError):
        return 2, result.stdout, f"error: {result.exception}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_events_table_filters_and_orders(filled: str) -> None:
    code, out, _ = invoke("events", "--db", filled, "--dyad", "VEN-RUS")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("DATE") and len(lines) == 2
    assert "0232 Appeal for military aid" in lines[1] and "VENMIL" in lines[1]
    assert lines[1].split()[-1] != "1"  # the evidence column, not the counts, ends the row
    code, out, _ = invoke("events", "--db", filled, "--order", "mentions", "--limit", "1")
    assert "   2   2 " in out  # two articles from two publishers reported it


def test_events_formats(filled: str, tmp_path: Path) -> None:
    _, out, _ = invoke("events", "--db", filled, "--format", "jsonl", "--country", "USA")
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["source"]["code"] == "USA" and record["cameo"] == "1721"
    _, out, _ = invoke("events", "--db", filled, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2 and {r["source_code"] for r in rows} == {"VENMIL", "USA"}
    target = tmp_path / "events.parquet"
    code, _, err = invoke("events", "--db", filled, "--format", "parquet", "-o", str(target))
    assert code == 0 and "2 events written" in err
    frame = pd.read_parquet(target)
    assert sorted(frame["num_articles"]) == [1, 2]
    code, _, err = invoke("events", "--db", filled, "--format", "parquet")
    assert code == 2 and "needs -o FILE" in err


def test_export_gdelt_and_plover(filled: str, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    code, _, err = invoke("export", "--db", filled, "--format", "gdelt", "-o", str(out))
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    assert code == 0 and "2 events" in err
    assert {len(r) for r in rows} == {61}
    assert {(r[5], r[15], r[26]) for r in rows} == {("VENMIL", "RUS", "0232"),
                                                    ("USA", "VEN", "1721")}
    out = tmp_path / "plover.jsonl"
    invoke("export", "--db", filled, "--format", "plover", "-o", str(out), "--actor", "VEN",
           "--quad", "1")
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["event_type"] == "REQUEST" and record["recipient"][0]["code"] == "RUS"


def test_read_commands_refuse_a_missing_store(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    code, _, err = invoke("events", "--db", str(missing))
    assert code == 2 and "no event store at" in err and "allegiance ingest" in err
    assert not missing.exists()  # reading never creates a store
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    code, _, err = invoke("export", "--db", str(other), "--format", "csv", "-o", "-")
    assert code == 2 and "not an allegiance store" in err and "db migrate" in err


def test_db_info_and_the_environment_variable(filled: str, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    monkeypatch.setenv("ALLEGIANCE_DB", filled)
    code, out, _ = invoke("db", "info")
    assert code == 0 and "0001_initial" in out and "3 (+0 syndicated copies)" in out
    assert "2 (allegiance)" in out


def test_db_info_never_creates_a_store(tmp_path: Path) -> None:
    typo = tmp_path / "evnets.db"
    code, _, err = invoke("db", "info", "--db", str(typo))
    assert code == 2 and "no event store at" in err and "evnets.db" in err
    assert not typo.exists()
    code, out, _ = invoke("db", "migrate", "--db", str(typo))  # creating is explicit
    assert code == 0 and "0001_initial" in out and typo.exists()


def test_events_frame_for_notebooks(filled: str) -> None:
    frame = events_frame(filled, dyad="VEN-*")
    assert list(frame["cameo"]) == ["0232"] and int(frame["num_mentions"][0]) == 2
    assert events_frame(Store(filled), country="CHN").empty


def test_gdelt_files_are_imported_as_another_coder(store_url: str, tmp_path: Path) -> None:
    events = write_rows(tmp_path / "20251101000000.export.CSV", VISIT, CLASH, UN_APPEAL,
                    "not\ta\tgdelt\trow\n")
    mentions = write_rows(tmp_path / "20251101000000.mentions.CSV", MENTION,
                      ["999", *MENTION[1:]])
    code, out, err = invoke("ingest", "--db", store_url, str(events), str(mentions),
                            "--no-progress")
    assert code == 1 and "line 4" in err  # the bad row is named, the rest imported
    assert "GDELT events               3  (1 mentions)" in out
    with Store(store_url) as store:
        gdelt = list(store.events(EventFilter(coder="gdelt"), order="date"))
        assert {(e.source.code if e.source else None, e.cameo) for e in gdelt} == {
            ("USA", "042"), ("SDNMIL", "193"), ("IGOUNO", "0232")}
        visit = next(e for e in gdelt if e.cameo == "042")
        assert (visit.num_mentions, visit.num_sources, visit.num_articles) == (10, 2, 10)
        assert visit.url == "https://example.com/news/us-envoy-moscow"
        assert [m.publisher for m in store.mentions(visit.id)] == ["example.com"]
        before = store.stats()
        days = stored_day_counts(store)
        assert days == recounted_day_counts(store) and days
    invoke("ingest", "--db", store_url, str(events), str(mentions), "--no-progress")
    with Store(store_url) as store:
        assert store.stats() == before  # importing again adds nothing
        assert stored_day_counts(store) == days


def test_plover_export_groups_a_compound_target_into_one_action(store_url: str,
                                                                tmp_path: Path) -> None:
    three = [event("x", target=code, eid="0:0") for code in ("RUS", "CHN", "IRN")]
    with Store(store_url) as store:
        store.write([article("Venezuela asked Russia, China and Iran.", *three),
                     article("Another story.", event("y", source="USA", target="VEN",
                                                     cameo="1721"))])
    out = tmp_path / "plover.jsonl"
    invoke("export", "--db", store_url, "--format", "plover", "-o", str(out))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(len(r["recipient"]) for r in records) == [1, 3]


def test_ingest_reads_json_lines_from_stdin(store_url: str) -> None:
    lines = "".join(json.dumps(r) + "\n" for r in (
        {"id": "s1", "text": "Kenya and Tanzania agreed to hold joint naval patrols.",
         "date": "2026-11-20"},
        {"id": "s2", "text": ""}))
    result = CliRunner().invoke(main, ["ingest", "-", "--db", store_url, "--no-progress",
                                       "-j", "1"], input=lines)
    assert result.exit_code == 1 and "stdin line 2" in result.stderr
    assert "added and coded          1" in result.stdout
