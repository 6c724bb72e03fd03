"""Ingest end to end with the real coder, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from allegiance.ingest.api import IngestOptions, estimate_articles, ingest
from allegiance.store.query import EventFilter
from allegiance.store.store import Store
from conftest import SEED, dump_store
from helpers.factories import sample_records, write_jsonl

ONE_PROCESS = IngestOptions(processes=1, batch=8)

@pytest.mark.slow
def test_ingest_codes_stores_and_skips_what_it_has(store_url: str, tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "news.jsonl", sample_records(24))
    with Store(store_url) as store:
        first = ingest([str(corpus), str(SEED)], store, options=IngestOptions(
            processes=1, batch=8, default_date="2026-11-24"))
        assert (first.read, first.added, first.duplicates, len(first.failed)) == (25, 25, 0, 0)
        assert first.events_added > 20 and first.mentions == (
            first.events_added + first.events_merged)
        before = dump_store(store_url)
        again = ingest([str(corpus), str(SEED)], store, options=ONE_PROCESS)
        assert (again.read, again.added, again.duplicates) == (25, 0, 25)
        assert dump_store(store_url) == before
        venezuela = list(store.events(EventFilter(dyad="VEN-*", cameo="0232")))
        assert sorted(e.target.code for e in venezuela if e.target) == ["CHN", "IRN", "RUS"]
        assert all(e.date == "2026-11-24" and e.url is None for e in venezuela)
        (article,) = {e.doc_id for e in venezuela}
        stats = store.stats()
        assert stats.articles == 25 and stats.sentences >= 25 + 10
        for e in venezuela:
            (mention,) = [m for m in store.mentions(e.id) if m.article_id == article][:1]
            sentence = e.sentence or ""
            assert mention.target_start is not None and mention.sentence_start is not None
            assert sentence[mention.target_start - mention.sentence_start:][:6] in (
                "Russia", "China,", "Iran r", "China ", "Iran,", "Iran ")
            assert mention.sentence == sentence  # the evidence comes with each mention


WIRE = (SEED.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_a_syndicated_copy_is_linked_not_coded(store_url: str, tmp_path: Path) -> None:
    original = tmp_path / "wire.txt"
    original.write_text(WIRE, encoding="utf-8")
    copy = tmp_path / "paper.txt"
    copy.write_text("CARACAS (Reuters) - " + WIRE.replace("Tuesday", "Tuesday night")
                    + "\nReporting by a staff writer; editing by another.", encoding="utf-8")
    with Store(store_url) as store:
        summary = ingest([str(original), str(copy)], store, options=ONE_PROCESS)
        assert (summary.added, summary.copies, len(summary.failed)) == (1, 1, 0)
        stats = store.stats()
        assert (stats.articles, stats.copies) == (1, 1)
        assert all(e.num_articles == 1 for e in store.events())


@pytest.mark.slow
def test_bad_input_is_reported_and_the_rest_goes_on(store_url: str, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 not text" * 10)
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "menu.html").write_text("<html><body><nav>Home | About</nav></body></html>")
    (tmp_path / "wrong.csv").write_text("headline,body\nA,Some text here\n")
    (tmp_path / "german.txt").write_text(
        "Die Bundesregierung hat am Dienstag in Berlin neue Sanktionen gegen Russland "
        "beschlossen, teilte ein Sprecher des Auswärtigen Amtes mit. Die Maßnahmen sollen "
        "ab nächster Woche gelten und richten sich gegen Banken und Energiefirmen.",
        encoding="utf-8")
    (tmp_path / "records.jsonl").write_text(
        '{"id": "ok", "text": "Kenya and Tanzania agreed to hold joint naval patrols."}\n'
        '{"id": "broken", "text": \n'
        '{"id": "nodate", "text": "Iran denied sending drones.", "date": "yesterday"}\n')
    options = IngestOptions(processes=1, batch=2)
    with Store(store_url) as store:
        summary = ingest([str(tmp_path), str(tmp_path / "missing.txt")], store, options=options)
        reasons = {Path(where).name.split(" ")[0]: reason for where, reason in summary.failed}
        assert summary.added == 2  # good.txt and the good JSONL line
        assert set(reasons) == {"binary.txt", "latin1.txt", "menu.html", "wrong.csv",
                                "german.txt", "records.jsonl", "missing.txt"}
        assert "binary" in reasons["binary.txt"] and "UTF-8" in reasons["latin1.txt"]
        assert "no article text" in reasons["menu.html"]
        assert "'text' column" in reasons["wrong.csv"]
        assert "English" in reasons["german.txt"]
        assert "no such file" in reasons["missing.txt"]
        assert sum("records.jsonl" in w for w, _ in summary.failed) == 2
        assert store.stats().articles == 2
        again = ingest([str(tmp_path)], store, options=options)
        assert (again.added, again.duplicates) == (0, 2)


def test_progress_totals_count_articles_not_files(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", sample_records(7))
    (tmp_path / "b.txt").write_text("One article.")
    (tmp_path / "c.csv").write_text("id,text\n1,First.\n2,Second.\n")
    assert estimate_articles([str(tmp_path)]) == 7 + 1 + 2
    assert estimate_articles([str(tmp_path), "https://example.org/feed"]) is None
