"""Hand-built records for tests: events, articles ready to store, sample input records."""

from __future__ import annotations

import json
from pathlib import Path

from allegiance.ontology.cameo import codebook
from allegiance.records import ActorCode, ActorMention, Event, RawArticle, Span
from allegiance.store.dedupe import canonical_url, fingerprint
from allegiance.store.writer import ArticleRecord

__all__ = ["SAMPLE", "SENTENCE", "actor", "article", "event", "sample_records", "write_jsonl"]

ROOT = Path(__file__).resolve().parents[2]

SENTENCE = "Venezuela asked Russia for military aid."


def actor(code: str, text: str, start: int) -> ActorMention:
    return ActorMention(text, start, start + len(text), ActorCode(code, code[:3], code[3:] or None))


def event(doc: str, *, source: str = "VEN", target: str | None = "RUS", cameo: str = "0232",
          date: str | None = "2026-11-20", negated: bool = False, mode: str = "asserted",
          confidence: float = 0.8, eid: str = "0:0") -> Event:
    code = codebook()[cameo]
    return Event(
        doc_id=doc, event_id=f"{doc}:{eid}", sentence=SENTENCE, sentence_start=0,
        source=actor(source, "Venezuela", 0),
        target=actor(target, "Russia", 16) if target else None,
        cameo=cameo, root=cameo[:2], plover=code.plover, quad=code.quad,
        goldstein=code.goldstein,
        negated=negated, mode=mode,  # type: ignore[arg-type]
        date=date, location=None, confidence=confidence, trigger=Span("asked", 10, 15),
    )


def article(text: str, *events: Event, url: str | None = None, publisher: str = "Reuters",
            date: str | None = "2026-11-20") -> ArticleRecord:
    raw = RawArticle(where=f"test {text[:10]}", id=text[:10], text=text, url=url,
                     publisher=publisher, date=date, title="t")
    return ArticleRecord(raw, fingerprint(text), canonical_url(url) if url else None, events,
                         spans=((0, len(text)),))


SAMPLE = ROOT / "src" / "allegiance" / "data" / "samples" / "world_news_demo.jsonl"


def sample_records(n: int, start: int = 0) -> list[dict[str, object]]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()[start:start + n]
    return [json.loads(line) for line in lines]


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
