"""allegiance: who did what to whom, coded from news text.

The public surface is listed in ``__all__``; everything else is internal.
"""

from allegiance.coder import Coder, CoderConfig
from allegiance.errors import AllegianceError, ConfigError, DictionaryError, InputError, ModelError
from allegiance.pipeline.document import Article, CodedDoc
from allegiance.records import (
    ActorCode,
    ActorMention,
    ClassifyResult,
    Event,
    ResolvedActor,
    Span,
)

__all__ = [
    "ActorCode",
    "ActorMention",
    "AllegianceError",
    "Article",
    "ClassifyResult",
    "CodedDoc",
    "Coder",
    "CoderConfig",
    "ConfigError",
    "DictionaryError",
    "Event",
    "InputError",
    "ModelError",
    "ResolvedActor",
    "Span",
]
