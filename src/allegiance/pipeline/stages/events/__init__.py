"""Stage ``events``: triggers (verbs and event nouns) with their sources and targets.

    frames.py       triggers and the frames around them, from the parse
    attribution.py  which actor mention fills which role (subject, object, ...)
    pairs.py        pair frames: actor pairs no parse frame links (learned confidence only)
"""

from __future__ import annotations

import dataclasses
import itertools

from allegiance.pipeline.document import CodedDoc, Frame
from allegiance.pipeline.lexicon import words
from allegiance.pipeline.stages.base import Stage
from allegiance.pipeline.stages.events.attribution import ActorIndex
from allegiance.pipeline.stages.events.frames import (
    NON_EVENT_VERBS,
    fallback_frame,
    find_frames,
)
from allegiance.pipeline.stages.events.pairs import pair_candidates
from allegiance.records import ActorMention, Span

__all__ = ["AUDIENCE_VERBS", "Events", "is_media"]

# "told reporters", "told VOA", "TASS cited police": data/lexicon/audience_verbs.txt.
AUDIENCE_VERBS = words("audience_verbs")


def is_media(m: ActorMention) -> bool:
    """A news outlet or journalists (a MED role anywhere in the code)."""
    code = m.actor.code
    return "MED" in (code[i:i + 3] for i in range(0, len(code), 3))


def _without_media(sources: tuple[ActorMention, ...], targets: tuple[ActorMention, ...],
                   lemma: str) -> tuple[tuple[ActorMention, ...], tuple[ActorMention, ...]]:
    """An outlet that is told or that tells is the audience or the messenger: it is
    neither side of what is said ("an outlet that reports is not an actor of what it
    reports")."""
    if lemma not in AUDIENCE_VERBS:
        return sources, targets
    return (tuple(m for m in sources if not is_media(m)),
            tuple(m for m in targets if not is_media(m)))


class Events(Stage):
    """Triggers and their sources and targets (detection and attribution)."""

    name = "events"
    requires = ("sentences.mentions", "parses")
    assigns = ("frames",)

    def __call__(self, doc: CodedDoc) -> CodedDoc:
        frames: list[Frame] = []
        for i, parsed in sorted(doc.parses.items()):
            sent = doc.sentences[i]
            index = ActorIndex(parsed, sent.mentions, sent.start)
            nouns = self.res.patterns.event_nouns(parsed)
            specific = self.res.patterns.specific_verbs(parsed, NON_EVENT_VERBS)
            raws = find_frames(parsed, index, nouns, specific)
            fallback = None
            if not any(r.roles.sources and r.roles.targets for r in raws):
                fallback = fallback_frame(parsed, index)
                raws = [r for r in raws if fallback is None or r.trigger.i != fallback.trigger.i]
                raws += [fallback] if fallback is not None else []
            for raw in raws:
                t = raw.trigger
                hits = self.res.patterns.hits_for(raw.triggers)
                sources, targets = _without_media(raw.roles.sources, raw.roles.targets,
                                                  t.lemma_)
                if not sources and not targets:
                    continue
                frames.append(Frame(
                    sentence=i,
                    trigger=Span(t.text, sent.start + t.idx, sent.start + t.idx + len(t.text)),
                    trigger_i=t.i, sources=sources, targets=targets,
                    pattern_hits=hits, core_roles=raw.roles.core, fallback=raw is fallback,
                    located_target=raw.roles.located,
                ))
            if self.res.config.pair_frames:  # only the learned model can judge them
                covered = {(a.start, b.start) for raw in raws
                           for a, b in itertools.product(raw.roles.sources,
                                                         raw.roles.sources + raw.roles.targets)}
                for src, tgt, join in pair_candidates(parsed, index, covered):
                    start = sent.start + join.idx
                    frames.append(Frame(
                        sentence=i, trigger=Span(join.text, start, start + len(join.text)),
                        trigger_i=join.i, sources=(src,), targets=(tgt,),
                        pattern_hits=self.res.patterns.hits_for((join,)), core_roles=False,
                        pair=True,
                    ))
        return dataclasses.replace(doc, frames=tuple(frames))
