"""The Parquet output: what is written reads back as the same records, DuckDB and pandas
read it by date, a rerun doubles nothing, and `db load` leaves the store a direct ingest
leaves (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from allegiance.cli import main
from allegiance.errors import InputError
from allegiance.store.dedupe import canonical_url, fingerprint
from allegiance.store.parquet import UNDATED, ParquetSink, read_parts
from allegiance.store.writer import ArticleRecord
from conftest import dump_store
from helpers.factories import article, event, sample_records, write_jsonl
from helpers.gdelt_rows import VISIT, write_rows


def _records() -> list[ArticleRecord]:
    first = article("Venezuela asked Russia for military aid.", event("a"),
                    event("a", target=None, cameo="0232", eid="0:1", date=None),
                    url="https://news.example/a")
    undated = article("Cuba praised Venezuela.", event("b", source="CUB", cameo="051",
                                                       date=None), date=None)
    second = dataclasses.replace(first.raw, where="copy", id="copy",
                                 text=first.raw.text + " More.", url=None)
    copy = ArticleRecord(second, fingerprint(second.text), None, duplicate_of=first.id)
    return [first, undated, copy]


def test_parts_read_back_as_the_records_written(tmp_path: Path) -> None:
    records = _records()
    sink = ParquetSink(tmp_path, run="2026-12-08T00:00:00")
    counts = sink.write(records[:2])
    sink.write(records[2:])
    assert (counts.articles, counts.events_added) == (2, 3)
    parts = list(read_parts(tmp_path))
    assert [r for p in parts for r in p.records] == records
    assert {p.version for p in parts} == {sink.version}
    assert len(list((tmp_path / UNDATED).glob("*.parquet"))) == 1
    assert records[0].url == canonical_url("https://news.example/a")


def test_duckdb_and_pandas_read_the_events_by_date(tmp_path: Path) -> None:
    import duckdb
    import pandas as pd

    ParquetSink(tmp_path, run="r").write(_records())
    glob = f"{tmp_path}/events/**/*.parquet"
    rows = duckdb.sql(f"SELECT date, source_code, target_code, cameo FROM read_parquet("
                      f"'{glob}', hive_partitioning = true)").fetchall()
    assert [(str(d), s, t, c) for d, s, t, c in rows] == [("2026-11-20", "VEN", "RUS", "0232")]
    undated = duckdb.sql(f"SELECT source_code, cameo FROM '{tmp_path}/{UNDATED}/*.parquet' "
                         "ORDER BY cameo").fetchall()
    assert undated == [("VEN", "0232"), ("CUB", "051")]
    frame = pd.read_parquet(tmp_path / "events")
    assert len(frame) == 1 and str(frame["date"].iloc[0]) == "2026-11-20"


def test_writing_a_part_again_doubles_nothing(tmp_path: Path) -> None:
    records = _records()
    for _ in range(2):  # an interrupted run, run again: the same parts, the same names
        ParquetSink(tmp_path, run="r").write(records)
    assert len(list(tmp_path.glob("articles/*.parquet"))) == 1
    assert sum(len(p.records) for p in read_parts(tmp_path)) == 3


def test_a_rewritten_part_keeps_no_events_of_its_first_writing(tmp_path: Path) -> None:
    records = _records()
    ParquetSink(tmp_path, run="r").write(records)
    moved = [dataclasses.replace(records[0], events=tuple(
        dataclasses.replace(e, date="2026-11-21") for e in records[0].events)), *records[1:]]
    ParquetSink(tmp_path, run="r").write(moved)  # the same articles: the same part
    days = sorted(p.parent.name for p in tmp_path.glob("events/*/*.parquet"))
    assert days == ["date=2026-11-21"]
    assert [r for p in read_parts(tmp_path) for r in p.records] == moved


def test_unfinished_parts_are_skipped_swept_and_damaged_ones_named(tmp_path: Path) -> None:
    ParquetSink(tmp_path, run="r").write(_records())
    (article_file,) = tmp_path.glob("articles/*.parquet")
    article_file.unlink()  # killed before its last file: not a part yet
    assert list(read_parts(tmp_path)) == []
    assert len(list(tmp_path.glob("events/*/*.parquet"))) == 1
    ParquetSink(tmp_path, run="again")  # the next run into the folder sweeps them
    assert list(tmp_path.glob("events/*/*.parquet")) == []
    assert list(tmp_path.glob(f"{UNDATED}/*.parquet")) == []
    ParquetSink(tmp_path, run="r").write(_records())
    for events in tmp_path.glob(f"{UNDATED}/*.parquet"):
        events.unlink()
    with pytest.raises(InputError, match="damaged"):
        list(read_parts(tmp_path))
    with pytest.raises(InputError, match="no articles/ folder"):
        list(read_parts(tmp_path / "events"))


def test_ingest_to_parquet_then_load_is_a_direct_ingest(store_url: str, tmp_path: Path,
                                                        ) -> None:
    corpus = write_jsonl(tmp_path / "corpus.jsonl", sample_records(40))
    direct = f"sqlite:///{tmp_path / 'direct.db'}"
    runner = CliRunner()
    for args in (["--db", direct], ["--db", f"sqlite:///{tmp_path / 'dedup.db'}",
                                    "--parquet", str(tmp_path / "out"), "--batch", "16"]):
        result = runner.invoke(main, ["ingest", str(corpus), "-j", "1", "--no-progress",
                                      *args])
        assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out" / "articles").glob("*.parquet"))) == 3
    loaded = runner.invoke(main, ["db", "load", str(tmp_path / "out"), "--db", store_url,
                                  "--no-progress"])
    assert loaded.exit_code == 0, loaded.output
    assert re.search(r"articles added +40\n", loaded.output), loaded.output
    assert dump_store(store_url) == dump_store(direct)
    again = runner.invoke(main, ["db", "load", str(tmp_path / "out"), "--db", store_url,
                                 "--no-progress"])
    assert re.search(r"already stored +40\n", again.output), again.output
    assert dump_store(store_url) == dump_store(direct)


def test_parquet_runs_refuse_what_they_cannot_write(tmp_path: Path) -> None:
    gdelt = write_rows(tmp_path / "20251101000000.export.CSV", VISIT)
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(gdelt), "--db", f"sqlite:///{tmp_path}/s.db",
                                  "--parquet", str(tmp_path / "out"), "--no-progress"])
    assert "GDELT" in str(result.exception)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("https://news.example/feed\n")
    for args, named in [(["--watch", str(feeds)], "--watch"),
                        (["--merge-days", "7", str(feeds)], "db load"),
                        (["--alerts", str(feeds), str(feeds)], "--alerts")]:
        refused = runner.invoke(main, ["ingest", *args, "--parquet", str(tmp_path / "out")])
        assert refused.exit_code == 2 and named in refused.output, refused.output
    assert not (tmp_path / "out").exists()


def test_a_long_parquet_run_still_finds_its_early_duplicates(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The deduper remembers the last few thousand articles of a run and finds older ones
    in the store; a Parquet run writes none there, so its scratch index must answer.
    A memory of 3 articles stands in for a run of over 5,000."""
    import allegiance.ingest.dedup as dedup
    import allegiance.ingest.run as run
    from allegiance.batch import InProcess
    from allegiance.records import RawArticle
    from allegiance.store.parquet import load_dataset
    from allegiance.store.store import Store

    monkeypatch.setattr(dedup, "RUN_MEMORY", 3)
    monkeypatch.setattr(run, "DEDUP_CHUNK", 1)
    seed = (Path(__file__).resolve().parents[2] / "examples" /
            "venezuela_military_aid.txt").read_text(encoding="utf-8")
    fill = [r["text"] for r in sample_records(5)]
    items = [RawArticle("seed", "seed", seed, date="2026-11-24"),
             *(RawArticle(f"f{n}", f"f{n}", t, date="2026-11-24") for n, t in enumerate(fill)),
             RawArticle("copy", "copy", seed.replace("Venezuela", "Venezuela,", 1)
                        + " Reporting by staff.", date="2026-11-24"),
             RawArticle("again", "again", seed, date="2026-11-24")]

    def ingest(url: str, sink: ParquetSink | None = None) -> run.IngestSummary:
        with Store(url) as store:
            return run.ingest_items(items, store, engine=InProcess(chunk_records=1), batch=1,
                                    sink=sink)

    direct = ingest(f"sqlite:///{tmp_path / 'direct.db'}")
    assert (direct.copies, direct.duplicates) == (1, 1)
    coded = ingest(f"sqlite:///{tmp_path / 'dedup.db'}", ParquetSink(tmp_path / "pq", run="r"))
    assert (coded.copies, coded.duplicates) == (1, 1)
    loaded = f"sqlite:///{tmp_path / 'loaded.db'}"
    with Store(loaded) as store:
        load_dataset(tmp_path / "pq", store, batch=1)
    assert dump_store(loaded) == dump_store(f"sqlite:///{tmp_path / 'direct.db'}")
