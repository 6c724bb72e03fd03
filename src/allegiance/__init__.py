"""allegiance: who did what to whom, coded from news text.

The public surface is listed in ``__all__``; everything else is internal. Names load
lazily, so ``import allegiance.actors`` does not pay for importing spaCy.
"""

from __future__ import annotations

from allegiance._lazy import lazy_getattr

_EXPORTS = {
    "ActorCode": "allegiance.records",
    "ActorMention": "allegiance.records",
    "AllegianceError": "allegiance.errors",
    "Article": "allegiance.pipeline.document",
    "ClassifyResult": "allegiance.records",
    "CodedDoc": "allegiance.pipeline.document",
    "Coder": "allegiance.pipeline.coder",
    "CoderConfig": "allegiance.pipeline.config",
    "ConfigError": "allegiance.errors",
    "DictionaryError": "allegiance.errors",
    "Event": "allegiance.records",
    "EventFilter": "allegiance.store.query",
    "IngestOptions": "allegiance.ingest.api",
    "IngestSummary": "allegiance.ingest.run",
    "RawArticle": "allegiance.records",
    "Store": "allegiance.store.store",
    "StoreError": "allegiance.errors",
    "StoredActor": "allegiance.records",
    "StoredEvent": "allegiance.records",
    "events_frame": "allegiance.analysis.frames",
    "ingest": "allegiance.ingest.api",
    "InputError": "allegiance.errors",
    "ModelError": "allegiance.errors",
    "ResolvedActor": "allegiance.records",
    "Span": "allegiance.records",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_getattr("allegiance", _EXPORTS)


def __dir__() -> list[str]:
    return __all__
