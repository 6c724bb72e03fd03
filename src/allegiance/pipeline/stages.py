"""The named stages of the coding pipeline.

Each stage takes a :class:`CodedDoc` and returns a new one; ``pipe`` does the same for
a batch (the parser and the classifier are much faster on batches). ``requires`` and
``assigns`` say which fields of the document a stage reads and fills.

    sentences -> actors -> parse -> resolution -> events -> classification
    -> modality -> dates -> evidence
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from allegiance.codebook import codebook
from allegiance.pipeline.attribution import ActorIndex
from allegiance.pipeline.dates import resolve_date
from allegiance.pipeline.decide import Decision, confidence, decide
from allegiance.pipeline.document import CodedDoc, Frame, Sentence
from allegiance.pipeline.frames import fallback_frame, find_frames
from allegiance.pipeline.modality import modality_of
from allegiance.records import ActorMention, Event, Span
from allegiance.text import split_sentences

if TYPE_CHECKING:
    from allegiance.coder import Resources

__all__ = ["STAGE_NAMES", "Stage", "build_stages"]

# Codes in the country slot that are not states: IGOs and CAMEO's regions.
NON_STATE_COUNTRIES = frozenset(
    "IGO NGO IMG MNC NGM INT UIS AFR ASA BLK CRB CAU CFR CAS CEU EIN EAF EEU EUR LAM MEA MDT NAF "
    "NMR PGS SCN SAM SAS SEA SAF WAF WST".split()
)


class Stage:
    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ()

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
            mentions = tuple(
                ActorMention(m.text, m.start + sent.start, m.end + sent.start, m.actor)
                for m in found
            )
            out.append(dataclasses.replace(sent, mentions=mentions))
        return dataclasses.replace(doc, sentences=tuple(out))


class Resolution(Stage):
    """Role words in context: adjectives dropped, bare roles given the sentence's country.

    "military aid" names no actor. "Police arrested protesters in Nairobi" -> KENCOP,
    KENOPP; with two countries in the sentence the role stays bare: a wrong country is
    worse than none.
    """

    name = "resolution"
    requires = ("sentences.mentions", "parses")
    assigns = ("sentences.mentions",)

    def __call__(self, doc: CodedDoc) -> CodedDoc:
        sents = tuple(
            self._sentence(s, doc.parses[s.index]) if s.index in doc.parses else s
            for s in doc.sentences
        )
        return dataclasses.replace(doc, sentences=sents)

    def _sentence(self, sent: Sentence, parsed: Any) -> Sentence:
        kept = tuple(m for m in sent.mentions if not _adjectival_role(m, sent, parsed))
        sent = dataclasses.replace(sent, mentions=kept)
        states = {m.actor.country for m in sent.mentions if _is_state(m.actor.country)}
        bare = [m for m in sent.mentions if m.actor.country is None and m.actor.agent]
        if len(states) != 1 or not bare:
            return sent
        state = next(iter(states)) or ""
        named = {m.actor.code for m in sent.mentions}
        mentions = tuple(self._resolved(m, state, named, _owned(m, sent, parsed))
                         for m in sent.mentions)
        return dataclasses.replace(sent, mentions=mentions)

    def _resolved(self, m: ActorMention, state: str, named: set[str], owned: bool
                  ) -> ActorMention:
        if m.actor.country is not None or m.actor.agent is None or owned:
            return m
        actor = self.res.actors.code(state + m.actor.code)
        # "New Mexico's chief justice defends state judges": giving the judges the
        # justice's own code would make a self-event; the bare role says more.
        if actor.code in named:
            return m
        return ActorMention(m.text, m.start, m.end, actor)


def _adjectival_role(m: ActorMention, sent: Sentence, parsed: Any) -> bool:
    """A bare role word used as a modifier ("military aid", "police cars")."""
    if m.actor.country is not None:
        return False
    toks = [t for t in parsed if m.start <= t.idx + sent.start < m.end]
    return len(toks) == 1 and toks[0].dep_ in ("amod", "compound") and toks[0].head.pos_ == "NOUN"


def _owned(m: ActorMention, sent: Sentence, parsed: Any) -> bool:
    """The role has a proper-name modifier the dictionary did not know ("the Korean
    government", "Taliban fighters"): its country is that name's, not the sentence's."""
    toks = [t for t in parsed if m.start <= t.idx + sent.start < m.end]
    return any(c.dep_ in ("amod", "compound", "poss", "nmod") and c.text[:1].isupper()
               and not (m.start <= c.idx + sent.start < m.end)
               for t in toks for c in t.children)


def _is_state(country: str | None) -> bool:
    return country is not None and country not in NON_STATE_COUNTRIES


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


class Events(Stage):
    """Triggers and their sources and targets (detection and attribution)."""

    name = "events"
    requires = ("parses",)
    assigns = ("frames",)

    def __call__(self, doc: CodedDoc) -> CodedDoc:
        frames: list[Frame] = []
        for i, parsed in sorted(doc.parses.items()):
            sent = doc.sentences[i]
            index = ActorIndex(parsed, sent.mentions, sent.start)
            nouns = self.res.patterns.event_nouns(parsed)
            raws = find_frames(parsed, index, nouns)
            fallback = None
            if not any(r.roles.sources and r.roles.targets for r in raws):
                fallback = fallback_frame(parsed, index)
                raws = [r for r in raws if fallback is None or r.trigger.i != fallback.trigger.i]
                raws += [fallback] if fallback is not None else []
            for raw in raws:
                t = raw.trigger
                hits = self.res.patterns.hits_for(raw.triggers)
                frames.append(Frame(
                    sentence=i,
                    trigger=Span(t.text, sent.start + t.idx, sent.start + t.idx + len(t.text)),
                    trigger_i=t.i, sources=raw.roles.sources, targets=raw.roles.targets,
                    pattern_hits=hits, core_roles=raw.roles.core, fallback=raw is fallback,
                ))
        return dataclasses.replace(doc, frames=tuple(frames))


def _marked_span(m: ActorMention | None, sent: Sentence) -> tuple[int, int] | None:
    return None if m is None else (m.start - sent.start, m.end - sent.start)


class Classification(BatchStage):
    """The CAMEO code of each frame: classifier class + verb patterns."""

    name = "classification"
    requires = ("frames",)
    assigns = ("frames.cameo",)

    def pipe(self, docs: Sequence[CodedDoc]) -> list[CodedDoc]:
        keys = {k: None for doc in docs for f in doc.frames if (k := self._key(doc, f))}
        probs = dict(zip(keys, self.res.class_probs(list(keys)), strict=True))
        out = []
        for doc in docs:
            frames = []
            for f in doc.frames:
                key = self._key(doc, f)
                if key is None:  # one-sided: only a specific verb pattern can code it
                    decision = decide(None, [h for h in f.pattern_hits if h[1] > 0])
                else:
                    decision = decide(probs[key], f.pattern_hits, one_sided=not f.targets)
                if decision is not None:
                    frames.append(dataclasses.replace(
                        f, cameo=decision.cameo, class_prob=decision.class_prob,
                        pattern_agrees=decision.pattern_agrees,
                    ))
            out.append(dataclasses.replace(doc, frames=tuple(frames)))
        return out

    @staticmethod
    def _key(doc: CodedDoc, f: Frame) -> tuple[str, Any, Any] | None:
        """The classifier input of a frame; None for one-sided frames.

        The classifier learnt from actor pairs and costs most of the coding time, so it
        reads only frames with two sides; frames sharing a pair share one reading.
        """
        if not f.targets and len(f.sources) < 2:
            return None
        sent = doc.sentences[f.sentence]
        src = f.sources[0] if f.sources else None
        tgt = f.targets[0] if f.targets else f.sources[1]
        return sent.text, _marked_span(src, sent), _marked_span(tgt, sent)


class Modality(Stage):
    name = "modality"
    requires = ("frames", "parses")
    assigns = ("frames.negated", "frames.mode")

    def __call__(self, doc: CodedDoc) -> CodedDoc:
        year = doc.article.date.year if doc.article.date else None
        frames = []
        for f in doc.frames:
            trigger = doc.parses[f.sentence][f.trigger_i]
            m = modality_of(trigger, sources=tuple(s.text for s in f.sources), pub_year=year)
            frames.append(dataclasses.replace(f, negated=m.negated, mode=m.mode))
        return dataclasses.replace(doc, frames=tuple(frames))


class Dates(Stage):
    name = "dates"
    requires = ("frames", "parses")
    assigns = ("frames.date",)

    def __call__(self, doc: CodedDoc) -> CodedDoc:
        frames = []
        for f in doc.frames:
            trigger = doc.parses[f.sentence][f.trigger_i]
            clause = doc.parses[f.sentence][trigger.left_edge.i : trigger.right_edge.i + 1].text
            when = resolve_date(clause, doc.article.date, future=f.mode == "future")
            frames.append(dataclasses.replace(f, date=when.isoformat() if when else None))
        return dataclasses.replace(doc, frames=tuple(frames))


class Evidence(Stage):
    """Confidence, repeat mentions merged, background dropped, Event records written."""

    name = "evidence"
    requires = ("frames",)
    assigns = ("events",)

    def __call__(self, doc: CodedDoc) -> CodedDoc:
        cfg = self.res.config
        seen: list[tuple[str | None, str | None, str]] = []
        events: list[Event] = []
        per_sentence: dict[int, int] = {}
        for f in doc.frames:
            if f.cameo is None or (f.mode == "historical" and not cfg.include_historical):
                continue
            if not _complete(f):
                continue
            conf = self._confidence(f)
            if conf < cfg.min_confidence:
                continue
            dyads = _dyads(f)
            keys = [(s.code if s else None, t.code if t else None, f.cameo[:2]) for s, t in dyads]
            if not dyads or all(_covered(k, seen) for k in keys):
                continue  # a repeat mention of an event already coded in this article
            seen.extend(keys)
            k = per_sentence.get(f.sentence, 0)
            per_sentence[f.sentence] = k + 1
            event_id = f"{doc.article.id}:{f.sentence}:{k}"
            events.extend(self._event(doc, f, event_id, s, t, conf) for s, t in dyads)
        return dataclasses.replace(doc, events=tuple(events))

    def _confidence(self, f: Frame) -> float:
        decision = Decision(f.cameo or "", f.class_prob, None, f.pattern_agrees)
        return confidence(decision, has_source=bool(f.sources), has_target=bool(f.targets),
                          core_roles=f.core_roles, mode=f.mode, fallback=f.fallback)

    def _event(self, doc: CodedDoc, f: Frame, event_id: str, src: ActorMention | None,
               tgt: ActorMention | None, conf: float) -> Event:
        code = codebook()[f.cameo or ""]
        sent = doc.sentences[f.sentence]
        return Event(
            doc_id=doc.article.id, event_id=event_id, sentence=sent.text,
            sentence_start=sent.start, source=src, target=tgt, cameo=code.code, root=code.root,
            plover=code.plover, quad=code.quad, goldstein=code.goldstein, negated=f.negated,
            mode=f.mode, date=f.date, location=None, confidence=conf, trigger=f.trigger,
        )


# Roots whose events stand without a target (a build-up, a protest, a bombing, an
# arrest, a resignation) or without a named source ("Gaza was shelled"). Agreements,
# meetings, appeals and the like need both sides to mean anything.
ONE_SIDED_ROOTS = frozenset({"08", "09", "14", "15", "17", "18", "19", "20"})
ONE_SIDED_CODES = ("034",)  # intent to change leadership, policy, institutions
SOURCELESS_ROOTS = frozenset({"17", "18", "19", "20"})


def _complete(f: Frame) -> bool:
    root = (f.cameo or "")[:2]
    if not f.targets and len(f.sources) >= 2:
        return True  # "Kenya and Tanzania agreed": reciprocal dyads
    one_sided = root in ONE_SIDED_ROOTS or (f.cameo or "").startswith(ONE_SIDED_CODES)
    if not f.targets and (not one_sided or not f.pattern_agrees):
        # The classifier learnt from actor pairs; alone it reads a one-sided sentence
        # half-blind ("Ukraine said Russia attacked..." is no attack by Ukraine), so a
        # one-sided event needs a verb pattern to agree.
        return False
    return bool(f.sources) or root in SOURCELESS_ROOTS


def _dyads(f: Frame) -> list[tuple[ActorMention | None, ActorMention | None]]:
    if not f.targets and len(f.sources) >= 2 and (f.cameo or "")[:2] not in ONE_SIDED_ROOTS:
        return [(s, t) for s, t in itertools.permutations(f.sources, 2) if not _self_dyad(s, t)]
    sources: Iterable[ActorMention | None] = f.sources or (None,)
    targets: Iterable[ActorMention | None] = f.targets or (None,)
    return [(s, t) for s, t in itertools.product(sources, targets) if not _self_dyad(s, t)]


# A state and its own government or army are one actor: ISR -> ISRMIL is no dyad.
_STATE_ITSELF = frozenset({None, "GOV", "MIL"})


def _self_dyad(s: ActorMention | None, t: ActorMention | None) -> bool:
    """The same actor on both sides; domestic dyads (VENGOV -> VENOPP) stay."""
    if s is None or t is None:
        return False
    if s.code == t.code:
        return True
    return (s.country == t.country and s.country is not None
            and {s.agent, t.agent} <= _STATE_ITSELF and None in {s.agent, t.agent})


def _covered(key: tuple[str | None, str | None, str], seen: list[tuple[str | None, str | None, str]]
             ) -> bool:
    src, tgt, root = key
    return any(
        root == r and (src is None or s is None or _same_actor(src, s))
        and (tgt is None or _same_actor(tgt, t or ""))
        for s, t, r in seen
    )


def _same_actor(a: str, b: str) -> bool:
    """VEN and VENGOV are the same actor for deciding that a mention repeats an event."""
    return a[:3] == b[:3]


STAGES: tuple[type[Stage], ...] = (
    Sentences, Actors, Parse, Resolution, Events, Classification, Modality, Dates, Evidence,
)
STAGE_NAMES = tuple(s.name for s in STAGES)


def build_stages(res: Resources) -> list[Stage]:
    return [cls(res) for cls in STAGES]
