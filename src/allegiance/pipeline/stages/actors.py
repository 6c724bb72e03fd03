"""Stage ``actors``: actor mentions from the dictionaries, resolved on the article's date."""

from __future__ import annotations

import dataclasses

from allegiance.pipeline.document import CodedDoc
from allegiance.pipeline.layout import reporting_spans
from allegiance.pipeline.stages.base import Stage
from allegiance.records import ActorMention

__all__ = ["Actors"]


class Actors(Stage):
    """Actor mentions, resolved to codes with the article's date (office-holders)."""

    name = "actors"
    requires = ("sentences",)
    assigns = ("sentences.mentions",)

    def __call__(self, doc: CodedDoc) -> CodedDoc:
        date = doc.article.date
        out = []
        for sent in doc.sentences:
            found = self.res.actors.find_mentions(sent.text, date=date)
            # Datelines, credits and captions report the news: nobody in them acts in it.
            hidden = reporting_spans(sent.text)
            mentions = tuple(
                ActorMention(m.text, m.start + sent.start, m.end + sent.start, m.actor)
                for m in found if not any(a <= m.start < b for a, b in hidden)
            )
            out.append(dataclasses.replace(sent, mentions=mentions))
        return dataclasses.replace(doc, sentences=tuple(out))
