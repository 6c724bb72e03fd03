"""The pipeline is checked when it is built: each stage's needs come from earlier stages."""

from __future__ import annotations

from typing import ClassVar

import pytest

from allegiance.errors import ConfigError
from allegiance.pipeline.config import DEFAULT_STAGES, CoderConfig
from allegiance.pipeline.resources import Resources
from allegiance.pipeline.stages import STAGES, Stage, build_stages, check_pipeline, pipeline_facts


def test_the_default_pipeline_is_consistent() -> None:
    facts = pipeline_facts()
    assert [f.name for f in facts] == list(DEFAULT_STAGES)
    evidence = dict(facts[-1].requires)
    assert evidence["frames.cameo"] == "classification.v1"
    assert evidence["frames.mode"] == "modality.v1"


def test_a_misordered_pipeline_fails_when_built() -> None:
    names = list(DEFAULT_STAGES)
    names.remove("modality.v1")
    names.append("modality.v1")  # dates and evidence now read a mode nobody set yet
    with pytest.raises(ConfigError, match=r"stage 'dates' requires frames.mode"):
        build_stages(Resources(CoderConfig(stages=tuple(names))))


def test_an_unknown_stage_name_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown stage 'events.v9'; known: .*events.v1"):
        build_stages(Resources(CoderConfig(stages=("sentences.v1", "events.v9"))))


def test_a_field_that_is_not_on_the_document_is_refused() -> None:
    class Typo(Stage):
        name = "typo"
        assigns: ClassVar[tuple[str, ...]] = ("frame",)

    with pytest.raises(ConfigError, match=r"names 'frame', which is not a field"):
        check_pipeline([STAGES.get("sentences.v1"), Typo])
