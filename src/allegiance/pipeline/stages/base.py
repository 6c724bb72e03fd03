"""What every stage is: a named step ``CodedDoc -> CodedDoc`` that says what it reads
(``requires``) and what it fills (``assigns``); batch stages work on whole batches."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from allegiance.errors import ConfigError
from allegiance.pipeline.document import CodedDoc
from allegiance.registry import Registry

if TYPE_CHECKING:
    from allegiance.pipeline.resources import Resources

__all__ = ["STAGES", "BatchStage", "Stage", "StageFacts", "check_pipeline"]


class Stage:
    name: ClassVar[str] = ""
    version: ClassVar[int] = 1  # bump when the stage's output changes meaning
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def registered_name(cls) -> str:
        return f"{cls.name}.v{cls.version}"

    def __init__(self, res: Resources) -> None:
        self.res = res

    def __call__(self, doc: CodedDoc) -> CodedDoc:
        raise NotImplementedError

    def pipe(self, docs: Sequence[CodedDoc]) -> list[CodedDoc]:
        return [self(doc) for doc in docs]


class BatchStage(Stage):
    """A stage whose work is done on whole batches (the parser, the classifier)."""

    def __call__(self, doc: CodedDoc) -> CodedDoc:
        return self.pipe([doc])[0]

    def pipe(self, docs: Sequence[CodedDoc]) -> list[CodedDoc]:
        raise NotImplementedError


# Every stage class, by its versioned name ("events.v1"); CoderConfig.stages lists names.
STAGES: Registry[type[Stage]] = Registry("stage")

# What a document holds before the first stage runs.
_GIVEN = ("article",)
_FIELDS = frozenset(f.name for f in dataclasses.fields(CodedDoc))


@dataclass(frozen=True, slots=True)
class StageFacts:
    """One stage in a built pipeline: what it needs, and which earlier stage gives it."""

    name: str
    requires: tuple[tuple[str, str], ...]  # (field, the stage that assigns it, or "input")
    assigns: tuple[str, ...]


def check_pipeline(stages: Sequence[type[Stage]]) -> list[StageFacts]:
    """Check that each stage's ``requires`` are assigned by a stage before it.

    Raises ConfigError naming the stage and the missing field, as spaCy's
    ``analyze_pipes`` does, so a misordered pipeline fails when it is built, not
    halfway through a corpus.
    """
    given = {field: "input" for field in _GIVEN}
    facts = []
    for stage in stages:
        for field in (*stage.requires, *stage.assigns):
            if field.split(".")[0] not in _FIELDS:
                raise ConfigError(f"stage {stage.name!r} names {field!r}, which is not a field "
                                  f"of the document ({', '.join(sorted(_FIELDS))})")
        missing = [f for f in stage.requires if f not in given]
        if missing:
            raise ConfigError(
                f"stage {stage.name!r} requires {', '.join(missing)}, which no stage before it "
                f"assigns; put a stage that assigns it earlier (order: "
                f"{' -> '.join(s.name for s in stages)})")
        facts.append(StageFacts(stage.registered_name(),
                                tuple((f, given[f]) for f in stage.requires), stage.assigns))
        given.update({field: stage.registered_name() for field in stage.assigns})
    return facts
