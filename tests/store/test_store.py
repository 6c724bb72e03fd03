"""The store on both backends: migrations, idempotent writes, event merging, queries."""

from __future__ import annotations

import dataclasses

import pytest

from allegiance.errors import ConfigError, StoreError
from allegiance.ingest.dedup import Copy, Deduper, Duplicate, New
from allegiance.records import RawArticle, StoredActor, StoredEvent
from allegiance.store.query import EventFilter
from allegiance.store.store import Store
from allegiance.store.writer import ArticleRecord
from helpers.day_counts import recounted_day_counts, stored_day_counts
from helpers.factories import SENTENCE, article, event


@pytest.fixture
def store(store_url: str) -> Store:
    with Store(store_url) as s:
        yield s  # type: ignore[misc]


def test_migrations_are_named_and_recorded_once(store_url: str) -> None:
    first = Store(store_url)
    assert first.migrations() == ["0001_initial", "0002_analysis", "0003_alerts",
                                    "0004_day_index"]
    first.close()
    again = Store(store_url)
    assert again.migrations() == ["0001_initial", "0002_analysis", "0003_alerts",
                                    "0004_day_index"]
    again.close()


OLD_EVENT = StoredEvent(
    id="e", coder="allegiance", coder_version="1", cameo="010", root="01", source=None,
    target=None, plover=None, quad=1, goldstein=0.0, negated=False, mode="asserted",
    date="2026-01-01", location=None, confidence=1.0, doc_id=None, sentence="s",
    sentence_start=0, trigger_text=None, trigger_start=None, trigger_end=None,
    num_mentions=1, num_sources=1, num_articles=1,
)


def test_an_old_store_gets_its_actor_keys(store_url: str) -> None:
    """A store made before 0002 has its events' actor keys filled by the migration."""
    from sqlalchemy import text

    from allegiance.store import m0001_initial, schema
    from allegiance.store.engine import make_engine

    engine = make_engine(store_url)
    with engine.begin() as conn:
        schema.migrations_table.create(conn)
        m0001_initial.apply(conn)
        conn.execute(text("INSERT INTO schema_migrations VALUES ('0001_initial', 'x')"))
        for n, (src, tgt) in enumerate([("VENGOV", "IGOUNOWHO"), ("NGOAMN", None)]):
            row = dataclasses.replace(
                OLD_EVENT, id=f"e{n}", source=StoredActor(src, src[:3], None, src, 0, 1),
                target=StoredActor(tgt, tgt[:3], None, tgt, 2, 3) if tgt else None).to_row()
            conn.execute(m0001_initial.events.insert().values(
                **row, merge_key=f"e{n}", last_date=None))
    engine.dispose()
    with Store(store_url) as store, store.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, source_key, target_key FROM events ORDER BY id"))
        assert [tuple(r) for r in rows] == [("e0", "VEN", "IGOUNO"), ("e1", "NGOAMN", None)]


def test_opening_without_create_says_what_is_missing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StoreError, match="no event store at"):
        Store(f"sqlite:///{tmp_path / 'new.db'}", create=False)


def test_bad_urls_are_clear_errors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StoreError, match="unsupported database"):
        Store("mysql://localhost/x")
    with pytest.raises(StoreError, match="cannot open"):
        Store("postgresql://nobody:wrong@127.0.0.1:1/none")
    path = tmp_path / "plain.db"
    assert Store(str(path)).backend == "sqlite" and path.exists()


def test_reports_of_one_action_merge_into_one_event(store: Store) -> None:
    a = article("First report of the request.", event("a", date="2026-11-20"))
    b = article("Second report, two days on.", event("b", date="2026-11-22"),
                publisher="AP")
    c = article("Third report, same publisher.", event("c", date="2026-11-23"))
    counts = store.write([a, b, c])
    assert (counts.articles, counts.events_added, counts.events_merged) == (3, 1, 2)
    (ev,) = store.events()
    assert (ev.num_mentions, ev.num_articles, ev.num_sources) == (3, 3, 2)
    assert ev.date == "2026-11-20" and ev.doc_id == a.id
    assert [m.article_id for m in store.mentions(ev.id)] == [a.id, b.id, c.id]


def test_what_does_not_merge(store: Store) -> None:
    store.write([
        article("One.", event("a", date="2026-11-01")),
        article("Two: ten days later.", event("b", date="2026-11-11")),
        article("Three: another root.", event("c", cameo="0312")),
        article("Four: denied.", event("d", negated=True)),
        article("Five: a promise.", event("e", mode="future")),
        article("Six: another target.", event("f", target="CHN")),
    ])
    assert store.count_events() == 6


def test_the_merge_window_is_configurable(store_url: str) -> None:
    with Store(store_url, merge_days=10) as store:
        store.write([article("One.", event("a", date="2026-11-01")),
                     article("Two: ten days later.", event("b", date="2026-11-11"))])
        assert store.count_events() == 1


def test_mentions_in_one_article_count_one_article(store: Store) -> None:
    store.write([article("Twice in one article.", event("a", eid="0:0"),
                         event("a", eid="3:0"))])
    (ev,) = store.events()
    assert (ev.num_mentions, ev.num_articles, ev.num_sources) == (2, 1, 1)


def test_writing_the_same_article_twice_adds_nothing(store: Store) -> None:
    rec = article("The same text.", event("a"), url="https://x.org/a?utm_source=tw#top")
    assert store.write([rec]).articles == 1
    assert store.write([rec]).already == 1
    stats = store.stats()
    assert (stats.articles, stats.events, stats.mentions) == (1, {"allegiance": 1}, 1)
    assert store.known(url="https://x.org/a")
    assert store.known(text_hash=rec.fingerprint.text_hash)


WIRE = (
    "Venezuela has formally asked Russia, China and Iran for military assistance as the "
    "United States expands its naval presence in the Caribbean, officials in Caracas said on "
    "Tuesday. The request covers radar systems, drones and spare parts for fighter jets, "
    "according to letters seen by reporters. Moscow has not replied publicly, while Beijing "
    "said it opposed interference in the internal affairs of other countries. Tehran "
    "officials said they would study the request."
)


def test_syndicated_copies_are_linked_not_coded(store: Store) -> None:
    store.write([article(WIRE, event("wire"), url="https://wire.example/1")])
    dedup = Deduper(store)
    copy = RawArticle(where="copy", id="c", text="CARACAS (AP) - " + WIRE.replace(
        "Tuesday", "Tuesday afternoon"), url="https://paper.example/2", publisher="Paper")
    decision = dedup.decide(copy)
    assert isinstance(decision, Copy)
    original = article(WIRE).id
    assert decision.original == original
    store.write([ArticleRecord(copy, decision.fingerprint, decision.url,
                               duplicate_of=decision.original)])
    stats = store.stats()
    assert (stats.articles, stats.copies, stats.mentions) == (1, 1, 1)
    assert isinstance(dedup.decide(copy), Duplicate)  # the copy itself is now known
    other = RawArticle(where="other", id="o", text=WIRE.replace("military", "economic")
                       .replace("radar systems, drones and spare parts for fighter jets",
                                "loans, grain and fuel shipments for the coming winter"))
    assert isinstance(dedup.decide(other), New)


def test_short_texts_never_match_as_near_copies(store: Store) -> None:
    store.write([article("Iran denied sending drones to Russia on Monday.", event("s"))])
    decision = Deduper(store).decide(RawArticle(
        where="x", id="x", text="Iran denied sending drones to Russia on Tuesday."))
    assert isinstance(decision, New)


@pytest.fixture
def filled(store: Store) -> Store:
    store.write([
        article("A.", event("a", source="VENMIL", target="RUS", cameo="0232",
                            date="2026-11-01", confidence=0.9)),
        article("B.", event("b", source="USA", target="VEN", cameo="1721", date="2026-11-10",
                            confidence=0.4)),
        article("C.", event("c", source="CHN", target=None, cameo="154", date="2026-11-20",
                            mode="reported", confidence=0.6)),
        article("D.", event("d", source="IRN", target="VENGOV", cameo="0312",
                            date="2026-11-21", negated=True, confidence=0.7)),
    ])
    return store


@pytest.mark.parametrize(("where", "expected"), [
    (EventFilter(), ["d", "c", "b", "a"]),
    (EventFilter(actor="VEN"), ["d", "b", "a"]),
    (EventFilter(source="VENMIL"), ["a"]),
    (EventFilter(target="VEN"), ["d", "b"]),
    (EventFilter(country="VEN"), ["d", "b", "a"]),
    (EventFilter(dyad="USA-VEN"), ["b"]),
    (EventFilter(dyad="*-RUS"), ["a"]),
    (EventFilter(cameo="17"), ["b"]),
    (EventFilter(root="15"), ["c"]),
    (EventFilter(quad=1), ["d", "a"]),
    (EventFilter(since="2026-11-10", until="2026-11-20"), ["c", "b"]),
    (EventFilter(modes=("reported",)), ["c"]),
    (EventFilter(min_confidence=0.65), ["d", "a"]),
    (EventFilter(negated=True), ["d"]),
    (EventFilter(negated=False, text="MILITARY aid"), ["c", "b", "a"]),
    (EventFilter(coder="gdelt"), []),
])
def test_filters(filled: Store, where: EventFilter, expected: list[str]) -> None:
    docs = {article(t).id: t[0].lower() for t in ("A.", "B.", "C.", "D.")}
    assert [docs[e.doc_id or ""] for e in filled.events(where)] == expected
    assert filled.count_events(where) == len(expected)


def test_orders_and_limits(filled: Store) -> None:
    by_conf = [e.confidence for e in filled.events(order="confidence", limit=2)]
    assert by_conf == [0.9, 0.7]
    with pytest.raises(ConfigError, match="unknown order"):
        list(filled.events(order="random"))


@pytest.mark.parametrize("bad", [
    {"since": "last week"}, {"modes": ("certain",)}, {"quad": 7}, {"dyad": "VEN"},
])
def test_bad_filters_say_what_is_wrong(bad: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        EventFilter(**bad)  # type: ignore[arg-type]


def test_events_come_back_with_their_contract_fields(filled: Store) -> None:
    (ev,) = filled.events(EventFilter(source="VENMIL"))
    record = ev.to_dict()
    assert record["source"] == {"text": "Venezuela", "start": 0, "end": 9, "code": "VENMIL",
                                "country": "VEN", "agent": "MIL"}
    assert record["trigger"] == {"text": "asked", "start": 10, "end": 15}
    assert (record["cameo"], record["root"], record["quad"], record["mode"]) == (
        "0232", "02", 1, "asserted")
    assert record["coder"] == "allegiance" and record["coder_version"]
    assert record["sentence"] == SENTENCE and record["publisher"] == "Reuters"


def test_the_deduper_forgets_old_articles_but_the_store_remembers(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import allegiance.ingest.dedup as dedup_module

    monkeypatch.setattr(dedup_module, "RUN_MEMORY", 2)
    dedup = Deduper(store)
    texts = [f"Story number {i}: " + WIRE for i in range(4)]
    first = dedup.decide(RawArticle(where="w0", id="w0", text=WIRE))
    assert isinstance(first, New)
    store.write([ArticleRecord(RawArticle(where="w0", id="w0", text=WIRE), first.fingerprint,
                               None)])
    decisions = [dedup.decide(RawArticle(where=f"s{i}", id=f"s{i}", text=t))
                 for i, t in enumerate(texts)]
    assert all(isinstance(d, Copy) for d in decisions)  # of the stored wire story
    assert len(dedup.recent) == 2 and len(dedup.hashes) == 2  # memory stays bounded
    assert isinstance(dedup.decide(RawArticle(where="again", id="a", text=WIRE)), Duplicate)


def test_actor_days_follow_every_write(store: Store) -> None:
    """The day counts stay equal to a recount through new events, merges that move an
    event to an earlier day, events with one country on both sides, background and
    negated events, and a second batch."""
    store.write([
        article("One.", event("a", date="2026-11-05")),
        article("Two.", event("b", source="USA", target="USA", cameo="0312",
                              date="2026-11-05")),
        article("Three: background.", event("c", mode="historical", target="CHN",
                                            date="2026-11-06")),
        article("Four: denied.", event("d", negated=True, date="2026-11-06")),
        article("Five: one-sided.", event("e", target=None, cameo="145", date="2026-11-06")),
    ])
    assert stored_day_counts(store) == recounted_day_counts(store)
    assert stored_day_counts(store)[("allegiance", "USA", "2026-11-05")] == 1
    # A report dated two days earlier joins the first event and moves it to its day.
    store.write([article("Six: earlier report.", event("f", date="2026-11-03"),
                         publisher="AP")])
    (moved,) = [e for e in store.events(EventFilter(cameo="0232", negated=False))
                if e.mode == "asserted"]
    assert moved.date == "2026-11-03" and moved.num_mentions == 2
    assert stored_day_counts(store) == recounted_day_counts(store)
    assert ("allegiance", "VEN", "2026-11-05") not in stored_day_counts(store)


def test_opening_a_store_being_created_waits_for_it(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """SQLite may answer "database is locked" at once while another process creates the
    file; opening tries again rather than failing."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    import allegiance.store.store as store_module

    real, calls = store_module.migrate, []

    def busy_twice(engine, **kw):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) <= 2:
            raise OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked"))
        return real(engine, **kw)

    monkeypatch.setattr(store_module, "migrate", busy_twice)
    with Store(f"sqlite:///{tmp_path / 'new.db'}") as store:
        assert store.migrations() and len(calls) == 3


def test_pages_after_a_cursor_run_through_dated_then_undated_events(store: Store) -> None:
    """Keyset pages (after=(date, id)) give the whole date order once, across the step from
    the dated events (one index range) to the undated tail (a second read)."""
    sources = ["VEN", "CUB", "IRN", "CHN", "BRA", "MEX", "COL"]
    dates = ["2026-11-03", "2026-11-03", None, "2026-10-01", None, "2026-11-05", None]
    store.write([article(f"Story {i} about {src}.", event(f"d{i}", source=src, date=day),
                         date=day)
                 for i, (src, day) in enumerate(zip(sources, dates, strict=True))])
    whole = [e.id for e in store.events()]
    assert len(whole) == 7
    for size in (1, 2, 3, 4, 7):
        seen: list[str] = []
        after = None
        while True:
            page = list(store.events(limit=size, after=after))
            seen += [e.id for e in page]
            if len(page) < size:
                break
            after = (page[-1].date or "", page[-1].id)
        assert seen == whole, size
    dated = [e for e in store.events() if e.date]
    assert 0 < len(dated) < 7
    tail = list(store.events(after=(dated[-1].date or "", dated[-1].id)))
    assert tail and all(e.date is None for e in tail)
