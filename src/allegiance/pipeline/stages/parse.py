"""Stage ``parse``: the spaCy dependency parse, of the sentences that can give an event."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from allegiance.pipeline.document import CodedDoc, Sentence
from allegiance.pipeline.stages.base import BatchStage

__all__ = ["Parse"]


def _worth_parsing(sent: Sentence) -> bool:
    """A sentence can give an event worth having: a named state or IGO, or two actors.

    A lone bare role ("Police said...") can neither form a dyad nor get a country, and
    the parse is the biggest cost of coding.
    """
    return any(m.actor.country for m in sent.mentions) or len(sent.mentions) >= 2


class Parse(BatchStage):
    """Dependency parse, only of sentences that can give an event (see _worth_parsing)."""

    name = "parse"
    requires = ("sentences.mentions",)
    assigns = ("parses",)

    def pipe(self, docs: Sequence[CodedDoc]) -> list[CodedDoc]:
        keys = [(d, s.index) for d, doc in enumerate(docs) for s in doc.sentences
                if _worth_parsing(s)]
        texts = (docs[d].sentences[i].text for d, i in keys)
        parses: list[dict[int, Any]] = [{} for _ in docs]
        for (d, i), parsed in zip(keys, self.res.nlp.pipe(texts, batch_size=128), strict=True):
            parses[d][i] = parsed
        return [dataclasses.replace(doc, parses=p) for doc, p in zip(docs, parses, strict=True)]
