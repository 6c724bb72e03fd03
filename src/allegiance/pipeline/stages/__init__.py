"""The named stages of the coding pipeline, in order.

Each stage takes a :class:`~allegiance.pipeline.document.CodedDoc` and returns a new
one; ``pipe`` does the same for a batch (the parser and the classifier are much
faster on batches). ``requires`` and ``assigns`` say which fields of the document a
stage reads and fills.

    sentences -> actors -> parse -> resolution -> events -> classification
    -> modality -> dates -> evidence
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allegiance.pipeline.config import DEFAULT_STAGES
from allegiance.pipeline.stages.actors import Actors
from allegiance.pipeline.stages.base import STAGES, BatchStage, Stage, StageFacts, check_pipeline
from allegiance.pipeline.stages.classification import Classification
from allegiance.pipeline.stages.dates import Dates
from allegiance.pipeline.stages.events import Events
from allegiance.pipeline.stages.evidence import Evidence
from allegiance.pipeline.stages.modality import Modality
from allegiance.pipeline.stages.parse import Parse
from allegiance.pipeline.stages.resolution import Resolution
from allegiance.pipeline.stages.sentences import Sentences

if TYPE_CHECKING:
    from allegiance.pipeline.resources import Resources

__all__ = ["STAGES", "STAGE_NAMES", "BatchStage", "Stage", "StageFacts", "build_stages",
           "check_pipeline", "pipeline_facts"]

for _stage in (Sentences, Actors, Parse, Resolution, Events, Classification, Modality, Dates,
               Evidence):
    STAGES.register(_stage.registered_name())(_stage)

STAGE_NAMES = tuple(name.split(".")[0] for name in DEFAULT_STAGES)


def pipeline_facts(names: tuple[str, ...] = DEFAULT_STAGES) -> list[StageFacts]:
    """The stages of these names, checked: what each needs and which stage gives it."""
    return check_pipeline([STAGES.get(name) for name in names])


def build_stages(res: Resources) -> list[Stage]:
    """The configured stages, checked (ConfigError when one's needs come too late)."""
    classes = [STAGES.get(name) for name in res.config.stages]
    check_pipeline(classes)
    return [cls(res) for cls in classes]
