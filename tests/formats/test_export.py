from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from allegiance.errors import ConfigError
from allegiance.formats import flat
from allegiance.formats.export import EXPORT_FORMATS, export_events
from allegiance.formats.flat import FLAT_COLUMNS, events_to_frame, write_csv, write_parquet
from allegiance.formats.gdelt import GDELT_EVENT_COLUMNS, gdelt_row, write_gdelt
from allegiance.formats.jsonl import write_jsonl
from allegiance.formats.plover import write_plover
from allegiance.records import StoredActor, StoredEvent

SENTENCE = "Venezuela has asked Russia, China and Iran for military aid."
VEN = StoredActor("VEN", "VEN", None, "Venezuela", 0, 9, "Venezuela")
RUS = StoredActor("RUS", "RUS", None, "Russia", 20, 26, "Russia")
CHN = StoredActor("CHN", "CHN", None, "China", 28, 33, "China")
IRN = StoredActor("IRN", "IRN", None, "Iran", 38, 42, "Iran")


def make_event(**changes: Any) -> StoredEvent:
    """A stored event of our own coder: Venezuela asks Russia for military aid."""
    base = StoredEvent(
        id="e1", coder="allegiance", coder_version="0.1.0", source=VEN, target=RUS,
        cameo="0232", root="02", plover="REQUEST", quad=1, goldstein=3.4, negated=False,
        mode="asserted", date="2026-11-24", location="Caracas", confidence=0.91,
        doc_id="doc-1", sentence=SENTENCE, sentence_start=0, trigger_text="asked",
        trigger_start=14, trigger_end=19, num_mentions=3, num_sources=2, num_articles=3,
        url="https://example.com/ven", title="Venezuela seeks arms",
        publisher="example.com", published="2026-11-24",
    )
    return replace(base, **changes)


def compound() -> list[StoredEvent]:
    """One action, three dyads (a compound target), then another action."""
    return [
        make_event(id="e1", target=RUS),
        make_event(id="e2", target=CHN, confidence=0.95),
        make_event(id="e3", target=IRN),
        make_event(id="e4", target=None, cameo="042", root="04", plover="CONSULT",
                   sentence="The envoy later visited Havana.", sentence_start=61,
                   trigger_text="visited", trigger_start=71, trigger_end=78),
    ]


def column(row: list[str], name: str) -> str:
    return row[GDELT_EVENT_COLUMNS.index(name)]


def test_gdelt_row_columns() -> None:
    row = gdelt_row(make_event(), numeric_id=42)
    assert len(row) == 61 and row[0] == "42"
    # FractionDate as GDELT computes it: (30 * (month - 1) + day) / 365.
    assert [column(row, c) for c in ("SQLDATE", "MonthYear", "Year", "FractionDate")] == [
        "20261124", "202611", "2026", "2026.8877"]
    assert [column(row, c) for c in ("Actor1Code", "Actor1Name", "Actor1CountryCode",
                                     "Actor2Code", "IsRootEvent")] == [
        "VEN", "Venezuela", "VEN", "RUS", "1"]
    assert [column(row, c) for c in ("EventCode", "EventBaseCode", "EventRootCode",
                                     "QuadClass", "GoldsteinScale")] == [
        "0232", "023", "02", "1", "3.4"]
    assert [column(row, c) for c in ("NumMentions", "NumSources", "NumArticles",
                                     "AvgTone")] == ["3", "2", "3", ""]
    assert column(row, "ActionGeo_FullName") == "Caracas"
    assert column(row, "Actor1Geo_FullName") == "" and column(row, "ActionGeo_Lat") == ""
    assert column(row, "DATEADDED") == "20261124000000"
    assert column(row, "SOURCEURL") == "https://example.com/ven"


def test_gdelt_row_edge_cases() -> None:
    un = StoredActor("IGOUNO", "IGO", None, "the UN", name="United Nations")
    army = StoredActor("VENMIL", "VEN", "MIL", "the\tarmy")
    row = gdelt_row(make_event(source=un, target=army, sentence_start=120, date=None,
                               published="2026-11-25T08:30:00Z", location=None),
                    numeric_id=1)
    assert [column(row, c) for c in ("Actor1Code", "Actor1Name", "Actor1CountryCode",
                                     "Actor1KnownGroupCode")] == [
        "IGOUNO", "United Nations", "", "UNO"]
    assert [column(row, c) for c in ("Actor2Name", "Actor2Type1Code", "IsRootEvent")] == [
        "the army", "MIL", "0"]
    assert column(row, "SQLDATE") == "20261125"
    assert column(row, "DATEADDED") == "20261125083000"
    empty = gdelt_row(make_event(source=None, target=None), numeric_id=2)
    assert column(empty, "Actor1Code") == "" == column(empty, "Actor2Name")


def test_write_gdelt_numbers_rows() -> None:
    out = io.StringIO()
    assert write_gdelt(compound(), out) == 4
    lines = out.getvalue().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["1", "2", "3", "4"]
    assert all(len(line.split("\t")) == 61 for line in lines)


def test_plover_groups_a_compound_target_into_one_record() -> None:
    out = io.StringIO()
    assert write_plover(compound(), out) == 2
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["id"] == "e1" and first["event_ids"] == ["e1", "e2", "e3"]
    assert first["event_type"] == "REQUEST" and first["cameo"] == "0232"
    assert [a["code"] for a in first["actor"]] == ["VEN"]
    assert [r["code"] for r in first["recipient"]] == ["RUS", "CHN", "IRN"]
    assert first["recipient"][1] == {"name": "China", "code": "CHN", "country": "CHN",
                                     "agent": None, "text": "China"}
    assert first["confidence"] == 0.95 and first["modality"] == "asserted"
    assert first["text"] == SENTENCE and first["date"] == "2026-11-24"
    assert second["event_type"] == "CONSULT" and second["mode"] == "visit"
    assert second["recipient"] == [] and second["context"] == []


def test_plover_context_and_ungroupable_events() -> None:
    arrest = make_event(cameo="173", root="17", plover="COERCE", quad=4)
    foreign = [make_event(id=f"gdelt:{n}", coder="gdelt", doc_id=None, sentence=None,
                          sentence_start=None) for n in (1, 2)]
    out = io.StringIO()
    assert write_plover([arrest, *foreign], out) == 3
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert records[0]["mode"] == "arrest" and records[0]["context"] == ["legal"]
    # Without a report sentence there is nothing to tell one action by: one record each.
    assert sorted(r["id"] for r in records[1:]) == ["gdelt:1", "gdelt:2"]


def test_csv_reads_back() -> None:
    out = io.StringIO()
    assert write_csv(compound(), out) == 4
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == FLAT_COLUMNS
    assert [r["target_code"] for r in rows] == ["RUS", "CHN", "IRN", ""]
    assert rows[0]["cameo"] == "0232" and rows[0]["goldstein"] == "3.4"
    assert rows[0]["source_text"] == "Venezuela" and rows[1]["confidence"] == "0.95"
    assert rows[0]["sentence"] == SENTENCE and rows[0]["negated"] == "False"


def test_jsonl_reads_back() -> None:
    out = io.StringIO()
    events = compound()
    assert write_jsonl(events, out) == 4
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert records == [e.to_dict() for e in events]


def test_parquet_reads_back_with_types(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flat, "PARQUET_ROW_GROUP", 3)
    path = tmp_path / "events.parquet"
    assert write_parquet([*compound(), make_event(id="e5", date="not a date")], path) == 5
    assert pq.ParquetFile(path).num_row_groups == 2
    table = pq.read_table(path)
    assert tuple(table.column_names) == FLAT_COLUMNS
    assert table.schema.field("date").type == pa.date32()
    assert table.schema.field("num_mentions").type == pa.int64()
    assert table.schema.field("negated").type == pa.bool_()
    frame = table.to_pandas()
    assert list(frame["target_code"].iloc[:3]) == ["RUS", "CHN", "IRN"]
    assert frame["target_code"].iloc[3] is None
    assert frame["cameo"].iloc[0] == "0232" and frame["goldstein"].iloc[0] == 3.4
    assert str(frame["date"].iloc[0]) == "2026-11-24" and frame["date"].iloc[4] is None


def test_parquet_with_no_events_still_has_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    assert write_parquet([], path) == 0
    table = pq.read_table(path)
    assert table.num_rows == 0 and tuple(table.column_names) == FLAT_COLUMNS


def test_events_to_frame() -> None:
    frame = events_to_frame(compound())
    assert tuple(frame.columns) == FLAT_COLUMNS and len(frame) == 4
    assert list(frame["event_id"]) == ["e1", "e2", "e3", "e4"]
    assert frame["quad"].dtype.kind == "i"
    assert tuple(events_to_frame([]).columns) == FLAT_COLUMNS


@pytest.mark.parametrize("fmt", [f for f in EXPORT_FORMATS if f != "parquet"])
def test_export_events_to_a_path_and_a_stream(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"
    stream = io.StringIO()
    assert export_events(compound(), fmt, path) == export_events(compound(), fmt, stream)
    assert path.read_text(encoding="utf-8") == stream.getvalue()


def test_export_parquet_needs_a_path(tmp_path: Path) -> None:
    assert export_events(compound(), "parquet", tmp_path / "x.parquet") == 4
    with pytest.raises(ConfigError, match="file path"):
        export_events(compound(), "parquet", io.StringIO())


def test_unknown_format_names_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as info:
        export_events(compound(), "xlsx", io.StringIO())
    message = str(info.value)
    assert "'xlsx'" in message
    assert all(fmt in message for fmt in EXPORT_FORMATS)
