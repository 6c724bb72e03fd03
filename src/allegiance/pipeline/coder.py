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
from typing import TYPE_CHECKING, Any

from allegiance.pipeline.config import DEFAULT_SPACY_MODEL, CoderConfig
from allegiance.pipeline.document import Article, CodedDoc
from allegiance.pipeline.resources import Resources
from allegiance.records import Event

if TYPE_CHECKING:
    from allegiance.pipeline.stages import Stage

__all__ = ["DEFAULT_SPACY_MODEL", "Coder", "CoderConfig", "Resources"]


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

    def _run(self, articles: Sequence[Article], *, keep_parses: bool = False
             ) -> list[CodedDoc]:
        docs = [CodedDoc(article=a) for a in articles]
        for stage in self.stages:
            docs = stage.pipe(docs)
        if keep_parses:
            return docs
        return [d.__class__(article=d.article, sentences=d.sentences, frames=d.frames,
                            events=d.events) for d in docs]  # drop parses: they are large

    def code(self, article: Article, *, keep_parses: bool = False) -> CodedDoc:
        """One article coded; ``keep_parses`` keeps the sentences' spaCy parses (for
        training and inspection: they are large)."""
        return self._run([article], keep_parses=keep_parses)[0]

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
