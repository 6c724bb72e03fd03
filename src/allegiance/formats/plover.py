"""Stored events as PLOVER JSON (POLECAT tooling reads it): one record per action."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from allegiance.formats.jsonl import write_json_lines
from allegiance.ontology.cameo import CameoCode, codebook
from allegiance.records import StoredActor, StoredEvent

__all__ = ["plover_records", "write_plover"]


def _plover_actor(actor: StoredActor) -> dict[str, Any]:
    return {"name": actor.name or actor.text, "code": actor.code, "country": actor.country,
            "agent": actor.agent, "text": actor.text}


def _unique(actors: Iterable[StoredActor | None]) -> list[StoredActor]:
    # A compound source and target give every source once per target: list each once.
    return list(dict.fromkeys(a for a in actors if a is not None))


def _action_key(event: StoredEvent) -> tuple[Any, ...]:
    """Events with the same key are one reported action (the dyads of a compound actor)."""
    if event.sentence is None:
        return ("event", event.id)
    return ("action", event.sentence_start, event.sentence, event.cameo,
            event.trigger_start, event.trigger_text, event.negated, event.mode)


def _action_groups(events: Iterable[StoredEvent]) -> Iterator[list[StoredEvent]]:
    """Group the dyads of one action; groups are closed when the document changes.

    The store yields an article's events together, so this holds one document's
    events at a time, not the whole export. Dyads of one action that arrive apart
    (another document's events in between) become separate records.
    """
    groups: dict[tuple[Any, ...], list[StoredEvent]] = {}
    document: tuple[str, str | None] | None = None
    for event in events:
        if (event.coder, event.doc_id) != document:
            yield from groups.values()
            groups, document = {}, (event.coder, event.doc_id)
        key = _action_key(event)
        if key[0] == "event":
            yield [event]
        else:
            groups.setdefault(key, []).append(event)
    yield from groups.values()


def _cameo_entry(code: str) -> CameoCode | None:
    try:
        return codebook()[code]
    except KeyError:  # a foreign coder's code our codebook lacks: no PLOVER mode/context
        return None


def _plover_record(group: list[StoredEvent]) -> dict[str, Any]:
    first = group[0]
    entry = _cameo_entry(first.cameo)
    context = entry.plover_context if entry else None
    confidences = [e.confidence for e in group if e.confidence is not None]
    return {
        "id": first.id, "event_ids": [e.id for e in group],
        "coder": first.coder, "coder_version": first.coder_version,
        "date": first.date, "event_type": first.plover,
        "mode": entry.plover_mode if entry else None,
        "context": [context] if context else [],
        "actor": [_plover_actor(a) for a in _unique(e.source for e in group)],
        "recipient": [_plover_actor(a) for a in _unique(e.target for e in group)],
        "cameo": first.cameo, "root": first.root, "quad": first.quad,
        "goldstein": first.goldstein, "negated": first.negated, "modality": first.mode,
        "confidence": round(max(confidences), 4) if confidences else None,
        "location": first.location, "text": first.sentence, "trigger": first.trigger_text,
        "num_mentions": max(e.num_mentions for e in group),
        "num_sources": max(e.num_sources for e in group),
        "num_articles": max(e.num_articles for e in group),
        "doc_id": first.doc_id, "url": first.url, "title": first.title,
        "publisher": first.publisher, "published": first.published,
    }


def plover_records(events: Iterable[StoredEvent]) -> Iterator[dict[str, Any]]:
    """One PLOVER record per action: the dyads of a compound actor become one record."""
    for group in _action_groups(events):
        yield _plover_record(group)


def write_plover(events: Iterable[StoredEvent], fh: TextIO) -> int:
    """PLOVER JSON, one record per line; returns the number of records (actions)."""
    return write_json_lines(plover_records(events), fh)
