"""Stage ``sentences``: a fast rule-based splitter (no parse needed)."""

from __future__ import annotations

import dataclasses

from allegiance.pipeline.document import CodedDoc, Sentence
from allegiance.pipeline.stages.base import Stage
from allegiance.pipeline.text import split_sentences

__all__ = ["Sentences"]


class Sentences(Stage):
    name = "sentences"
    assigns = ("sentences",)

    def __call__(self, doc: CodedDoc) -> CodedDoc:
        text = doc.article.text
        sents = tuple(
            Sentence(i, s.start, s.end, text[s.start : s.end])
            for i, s in enumerate(split_sentences(text))
        )
        return dataclasses.replace(doc, sentences=sents)
