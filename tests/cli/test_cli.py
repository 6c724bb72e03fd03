"""The three contract commands through the real console entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ALLEGIANCE = str(Path(sys.executable).with_name("allegiance"))


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([ALLEGIANCE, *args], input=stdin, capture_output=True, timeout=600)


def jsonl(out: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.decode().splitlines()]


@pytest.fixture(scope="module")
def bad_batch() -> subprocess.CompletedProcess[bytes]:
    lines = [
        b'{"id": "ok-1", "text": "Russia, China and Iran condemned the United States.", '
        b'"date": "2026-11-24"}',
        b'{"id": "empty", "text": ""}',
        b"{not json",
        b'{"id": "latin1", "text": "Caf\xe9 talks"}',
        b'{"id": "fr", "text": "Le gouvernement fran\xc3\xa7ais a annonc\xc3\xa9 mardi une '
        b'nouvelle s\xc3\xa9rie de mesures pour soutenir la r\xc3\xa9gion."}',
        b'{"id": "huge", "text": "' + b"war " * 1_400_000 + b'"}',
        b'{"id": "bin", "text": "\x00\x01\x02"}',
        b'{"id": "ok-2", "text": "Israeli jets bombed Hamas positions in Gaza on Monday.", '
        b'"date": "2026-11-24"}',
    ]
    return run("code", "-j", "2", stdin=b"\n".join(lines) + b"\n")


def test_bad_lines_are_named_and_the_rest_is_coded(bad_batch: subprocess.CompletedProcess[bytes]
                                                   ) -> None:
    assert bad_batch.returncode == 1
    err = bad_batch.stderr.decode()
    for number, why in [(2, "empty text"), (3, "malformed JSON"), (4, "UTF-8"), (5, "English"),
                        (6, "MB"), (7, "binary")]:
        assert f"line {number}" in err and why in err, (number, why, err)
    events = jsonl(bad_batch.stdout)
    assert {e["doc_id"] for e in events} == {"ok-1", "ok-2"}


def test_code_output_has_exactly_the_contract_fields(
    bad_batch: subprocess.CompletedProcess[bytes],
) -> None:
    keys = {"doc_id", "event_id", "sentence", "sentence_start", "source", "target", "cameo",
            "root", "plover", "quad", "goldstein", "negated", "mode", "date", "location",
            "confidence", "trigger"}
    for e in jsonl(bad_batch.stdout):
        assert set(e) == keys
        for actor in (e["source"], e["target"]):
            if actor is not None:
                assert set(actor) == {"text", "start", "end", "code", "country", "agent"}
        assert set(e["trigger"]) == {"text", "start", "end"}


def test_all_good_input_exits_zero_and_usage_error_two() -> None:
    ok = run("code", stdin=b'{"id": "a", "text": "NATO condemned the missile strike on Kyiv."}\n')
    assert ok.returncode == 0, ok.stderr
    assert run("code", "--format", "xml").returncode == 2


def test_plain_article_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Egypt hosted talks between Israel and Hamas on Sunday.")
    (tmp_path / "b.html").write_bytes(b"\x00\x00binary")
    out = run("code", str(tmp_path), "--format", "csv", "--date", "2026-11-22")
    assert out.returncode == 1
    assert "b.html" in out.stderr.decode() and "binary" in out.stderr.decode()
    header, *rows = out.stdout.decode().splitlines()
    from allegiance.formats.flat import FLAT_COLUMNS  # one CSV layout: code and export

    assert header == ",".join(FLAT_COLUMNS)
    assert rows and all(r.split(",")[2] == str(tmp_path / "a.txt") for r in rows)


def test_code_reads_csv_rows_and_folders_as_ingest_does(tmp_path: Path) -> None:
    (tmp_path / "news.csv").write_text(
        "id,body,published\n"
        "r1,Venezuela asked Russia for military aid.,2026-11-24\n"
        "r2,Kenya and Tanzania agreed to hold joint naval patrols.,2026-11-23\n")
    hidden = tmp_path / ".drafts"
    hidden.mkdir()
    (hidden / "draft.txt").write_text("Egypt hosted talks between Israel and Hamas on Sunday.")
    out = run("code", str(tmp_path), "--text-column", "body", "--date-column", "published")
    assert out.returncode == 0, out.stderr
    events = jsonl(out.stdout)
    assert {e["doc_id"] for e in events} == {"r1", "r2"}  # rows, not one text; no draft
    assert {e["date"] for e in events if e["doc_id"] == "r1"} == {"2026-11-24"}


def test_a_file_gets_the_same_id_in_code_and_ingest(tmp_path: Path) -> None:
    from allegiance.formats.files import iter_files
    from allegiance.formats.inputs import read_inputs

    (tmp_path / "a.txt").write_text("Egypt hosted talks between Israel and Hamas on Sunday.")
    (tmp_path / "b.csv").write_text("id,text\nrow-1,Kenya and Tanzania agreed to talks.\n")
    coded = [rec["id"] for _, rec in read_inputs([str(tmp_path)], sys.stdin.buffer)
             if isinstance(rec, dict)]
    ingested = [raw.id for raw in iter_files([str(tmp_path)]) if not isinstance(raw, Exception)]
    assert coded == ingested == [str(tmp_path / "a.txt"), "row-1"]


def test_classify_contract() -> None:
    recs = [
        {"id": "p-1", "text": "Kenya and Tanzania have agreed to hold joint naval patrols.",
         "source": {"text": "Kenya", "start": 0, "end": 5},
         "target": {"text": "Tanzania", "start": 10, "end": 18}},
        {"id": "p-2", "text": "Russian forces shelled Ukrainian positions near Kharkiv.",
         "source": {"text": "Russian forces"}, "target": {"text": "Ukrainian positions"}},
    ]
    stdin = "\n".join(json.dumps(r) for r in recs).encode() + b'\n{"id": "p-3"}\n'
    out = run("classify", stdin=stdin)
    assert out.returncode == 1 and "line 3" in out.stderr.decode()
    p1, p2 = jsonl(out.stdout)
    assert set(p1) == {"id", "cameo", "root", "plover", "quad", "confidence"}
    assert p1["id"] == "p-1" and p1["root"] == "03" and p1["plover"] == "AGREE"
    assert p2["id"] == "p-2" and p2["quad"] == 4


def test_actors_resolve_contract() -> None:
    recs = [
        {"id": "a-1", "text": "President Luiz Inacio Lula da Silva", "date": "2024-05-01"},
        {"id": "a-2", "text": "the United Nations"},
        {"id": "a-3", "text": "Mr. Nobody of Nowhere"},
    ]
    stdin = "\n".join(json.dumps(r) for r in recs).encode() + b"\n[1]\n"
    out = run("actors", "resolve", stdin=stdin)
    assert out.returncode == 1 and "line 4" in out.stderr.decode()
    a1, a2, a3 = jsonl(out.stdout)
    assert a1 == {"id": "a-1", "code": "BRAGOV", "country": "BRA", "agent": "GOV",
                  "name": "Brazil"}
    assert a2["code"] == "IGOUNO" and a2["country"] == "IGO"
    assert a3 == {"id": "a-3", "code": None, "country": None, "agent": None, "name": None}
