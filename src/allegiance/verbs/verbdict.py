"""Readers for the verb pattern dictionaries: PETRARCH2's CAMEO.2.0.txt and our curated YAML.

Both compile to the same record, :class:`VerbPattern`: a trigger lemma, the CAMEO code, and the
:class:`Slot` requirements the trigger's dependents must meet.

PETRARCH2 format (``data/verbs/CAMEO.2.0.txt``, MIT, see ``LICENSE-PETRARCH2.txt``)::

    &SYNSET                      a synonym set, members on the following ``+WORD`` lines
    ---  NAME  [code]  ---       a block of synonymous verbs; [code] is the block default
    VERB {FORMS} [code] # note   a verb of the block (irregular forms ignored: we match lemmas)
    +VERB_PARTICLE {FORMS}       a phrasal verb
    - PRE * POST (PREP WORDS) {MULTI WORD} &SYNSET [code]  # ORIGINAL_VERB
    ~ ...                        a verb transformation rule (not used here)

How the pattern notation is read over a dependency parse:

- ``*`` is the trigger; words before it must occur in the subject or left modifiers (``pre``),
  words after it anywhere in the trigger's complement (``post``: objects, particles, clauses).
- ``(PREP WORDS)``: a preposition (or particle) in the complement whose phrase holds WORDS.
- ``{A B}`` and ``A_B``: words that must occur in this order, at most three tokens apart.
- ``$`` ``+`` ``^`` ``%`` (source, target, skip, compound markers) are positions, not words.
- Codes: ``[---]`` means "not an event" (a null pattern that blocks weaker matches);
  ``[A:B]`` is a paired event (the subject does A; B is the reverse event, which we drop);
  ``[:B]`` is the reverse only (the *target* does B to the subject: ``swap`` is set).
  ``080!`` is read as ``080``; any other code must be in the CAMEO codebook.
- A pattern whose comment names verbs of its block (``# RUSH``) applies to those verbs only:
  PETRARCH2 shares patterns across a whole synonym block, which lets "interview support" code as
  an appeal; keeping the original verb buys precision.

Curated YAML (``data/verbs/supplement.yaml``): see the comment at the top of that file.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from allegiance._cache import cached, code_digest
from allegiance.errors import DictionaryError
from allegiance.ontology.cameo import codebook

__all__ = [
    "Phrase",
    "Slot",
    "VerbPattern",
    "load_default_patterns",
    "read_petrarch_drops",
    "read_petrarch_verbs",
    "read_supplement",
]

_log = logging.getLogger(__name__)

# A phrase: words in order; each word is the set of forms (lowercase, singular/plural) it accepts.
Phrase = tuple[frozenset[str], ...]

_CODE_RE = re.compile(r"^(?:---|\d{2,4}|:\d{2,4}|\d{2,4}:\d{2,4})$")
_SKIP_WORDS = frozenset({"$", "+", "^", "%", "*"})


@dataclass(frozen=True, slots=True)
class Slot:
    """One requirement: a phrase (one of ``phrases``) in a region of the trigger's parse.

    ``where`` is ``"post"`` (complement), ``"pre"`` (subject, left modifiers) or ``"prep"``
    (inside a preposition or particle ``prep``; empty ``phrases``: the preposition alone).
    """

    where: str
    phrases: tuple[Phrase, ...]
    prep: str | None = None


@dataclass(frozen=True, slots=True)
class VerbPattern:
    """A compiled pattern. ``code`` None is a null pattern (the phrase is not an event)."""

    lemma: str
    code: str | None
    slots: tuple[Slot, ...]
    pos: str  # "VERB", "NOUN" or "ANY"
    text: str
    origin: str
    curated: bool
    swap: bool = False

    @property
    def specificity(self) -> int:
        """How many words the pattern requires besides the trigger."""
        return sum(min(map(len, s.phrases)) if s.phrases else 1 for s in self.slots)


def word_forms(word: str) -> frozenset[str]:
    """The lowercase forms a dictionary word accepts: itself and a naive singular."""
    w = word.lower().strip("_")
    forms = {w}
    if len(w) > 4 and w.endswith("ies"):
        forms.add(w[:-3] + "y")
    elif len(w) > 3 and w.endswith("es"):
        forms.update((w[:-1], w[:-2]))
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        forms.add(w[:-1])
    return frozenset(forms)


def split_words(term: str) -> list[str]:
    """``CEASE-FIRE`` / ``ARMED_FORCES`` / ``armed forces`` -> lowercase words."""
    return [w for w in re.split(r"[\s_\-]+", term.lower()) if w]


class _Synsets:
    """Named word sets (``&MILITARY``); members are word sequences."""

    def __init__(self) -> None:
        self.sets: dict[str, list[tuple[str, ...]]] = {}

    def add(self, name: str, members: Iterable[str]) -> None:
        self.sets.setdefault(name.strip("_").upper(), []).extend(
            tuple(split_words(m)) for m in members if split_words(m)
        )

    def alternatives(self, term: str) -> list[tuple[str, ...]]:
        if not term.startswith("&"):
            return [tuple(split_words(term))]
        try:
            return self.sets[term[1:].strip("_").upper()]
        except KeyError:
            raise ValueError(f"unknown synonym set {term}: define it before use") from None


def _expand(terms: list[str], synsets: _Synsets) -> tuple[Phrase, ...]:
    """Terms in order (words or &SETS) -> every phrase they can spell."""
    choices = [synsets.alternatives(t) for t in terms if t not in _SKIP_WORDS]
    phrases = []
    for combo in itertools.product(*choices):
        words = [w for part in combo for w in part]
        if words:
            phrases.append(tuple(word_forms(w) for w in words))
    return tuple(phrases)


def _tokens(pattern: str) -> list[str]:
    # "*SCEPTICAL", "SPY_*_DEAL": the verb marker glued to words by a joiner
    words = re.findall(r"[(){}*]|[^\s(){}*]+", pattern)
    return [w.strip("_") for w in words if w.strip("_")]


def _parse_slots(pattern: str, synsets: _Synsets) -> tuple[Slot, ...]:
    """``PRE * POST (PREP X) {A B}`` -> slots; raises ValueError on bad syntax."""
    toks = _tokens(pattern)
    if toks.count("*") != 1:
        raise ValueError(f"a pattern needs exactly one '*' (the verb), got {pattern!r}")
    slots: list[Slot] = []
    where, i = "pre", 0
    while i < len(toks):
        tok = toks[i]
        if tok == "*":
            where = "post"
        elif tok in "({":
            close = ")" if tok == "(" else "}"
            try:
                j = toks.index(close, i + 1)
            except ValueError:
                raise ValueError(f"unbalanced {tok!r} in {pattern!r}") from None
            inner = [t for t in toks[i + 1 : j] if t not in "{}"]
            slots.extend(_group_slot(tok, inner, where, synsets))
            i = j
        elif tok in ")}":
            raise ValueError(f"unbalanced {tok!r} in {pattern!r}")
        elif tok not in _SKIP_WORDS:
            slots.append(Slot(where, _expand([tok], synsets)))
        i += 1
    return tuple(s for s in slots if s.phrases or s.where == "prep")


def _group_slot(opener: str, inner: list[str], where: str, synsets: _Synsets) -> list[Slot]:
    if opener == "{":
        phrases = _expand(inner, synsets)
        return [Slot(where, phrases)] if phrases else []
    words = [t for t in inner if t not in _SKIP_WORDS]
    if not words:
        return []
    prep = split_words(words[0])[0]
    return [Slot("prep", _expand(words[1:], synsets), prep=prep)]


def _parse_code(raw: str) -> tuple[str | None, bool]:
    """PETRARCH code text -> (CAMEO code or None for '---', swap)."""
    raw = raw.strip().rstrip("!")  # "080!" (one pattern in BACK DOWN) is plain 080
    if not _CODE_RE.match(raw):
        raise ValueError(f"bad event code [{raw}]: expected [ddd], [ddd:ddd], [:ddd] or [---]")
    if raw == "---":
        return None, False
    first, _, second = raw.partition(":")
    code, swap = (first, False) if first else (second, True)
    if code not in codebook():
        raise ValueError(f"[{raw}]: {code} is not a CAMEO code in the codebook")
    return code, swap


@dataclass(frozen=True, slots=True)
class _Verb:
    lemma: str
    particle: str | None
    code: str | None
    swap: bool


@dataclass
class _Block:
    code: str | None
    swap: bool
    verbs: list[_Verb]


def _strip_comment(line: str) -> tuple[str, str]:
    body, _, comment = line.partition("#")
    body = body.split(";", 1)[0]  # old TABARI-style ";note" comments
    return body.strip(), comment.strip()


def _split_code(body: str) -> tuple[str, str | None]:
    """``TEXT [code]`` -> (TEXT, code text or None)."""
    m = re.search(r"\[([^\]]*)\]\s*$", body)
    if not m:
        return body.strip(), None
    return body[: m.start()].strip(), m.group(1)


def _read_verb(body: str, block: _Block) -> _Verb:
    text, raw = _split_code(body)
    text = re.sub(r"\{[^}]*\}", " ", text).strip()
    if not re.fullmatch(r"\+?[A-Z][A-Z'\-]*(?:_[A-Z'\-]+)*", text):
        raise ValueError(f"bad verb form {text!r}: expected VERB or +VERB_PARTICLE")
    code, swap = _parse_code(raw) if raw is not None else (block.code, block.swap)
    words = split_words(text.lstrip("+"))
    return _Verb(words[0], " ".join(words[1:]) or None, code, swap)


def _pattern_verbs(comment: str, block: _Block) -> list[_Verb]:
    """The verbs a pattern applies to: those its comment names, else the whole block."""
    named = {w.lower() for w in re.findall(r"[A-Za-z_]+", comment.split("  ")[0])}
    chosen = [v for v in block.verbs if v.lemma in named and v.particle is None]
    return chosen or block.verbs


def _verb_slots(verb: _Verb) -> tuple[Slot, ...]:
    if verb.particle is None:
        return ()
    first, *rest = verb.particle.split()
    phrases = (tuple(word_forms(w) for w in rest),) if rest else ()
    return (Slot("prep", phrases, prep=first),)


class _PetrarchReader:
    """A line-by-line state machine over CAMEO.2.0.txt."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.synsets = _Synsets()
        self.synset: str | None = None
        self.block: _Block | None = None
        self.out: list[VerbPattern] = []

    def feed(self, lineno: int, line: str) -> None:
        if not line.strip():
            self.synset = None  # a blank line ends a synonym set
            return
        body, comment = _strip_comment(line)
        if not body or body.startswith("~"):
            return
        if body.startswith("&"):
            self.synset = body.split()[0][1:]
            self.synsets.add(self.synset, [])
        elif body.startswith("+") and self.synset is not None:
            self.synsets.add(self.synset, [body[1:].split()[0]])
        elif body.startswith("---"):
            self._start_block(body)
        elif self.block is None:
            raise ValueError(f"{body!r} outside a verb block: start one with '--- NAME [code] ---'")
        elif body.startswith("-"):
            self._add_pattern(body[1:].strip(), comment, lineno)
        else:
            self._add_verb(body, lineno)

    def _start_block(self, body: str) -> None:
        # a few headers read "[110]---  ---": tolerate the doubled dashes
        m = re.fullmatch(r"---\s+\S+\s+\[([^\]]*)\][\s-]*---", body)
        if not m:
            raise ValueError(f"bad block header {body!r}: expected '---  NAME  [code]  ---'")
        code, swap = _parse_code(m.group(1))
        self.synset = None
        self.block = _Block(code, swap, [])

    def _add_verb(self, body: str, lineno: int) -> None:
        assert self.block is not None
        verb = _read_verb(body, self.block)
        self.block.verbs.append(verb)
        if verb.code is not None:
            self.out.append(
                self._make(verb, verb.code, verb.swap, _verb_slots(verb), body, lineno))

    def _add_pattern(self, body: str, comment: str, lineno: int) -> None:
        assert self.block is not None
        text, raw = _split_code(body)
        if raw is None:
            raise ValueError(f"pattern {body!r} has no [code]")
        code, swap = _parse_code(raw)
        slots = _parse_slots(text, self.synsets)
        for verb in _pattern_verbs(comment, self.block):
            self.out.append(self._make(verb, code, swap, _verb_slots(verb) + slots, text, lineno))

    def _make(
        self, verb: _Verb, code: str | None, swap: bool, slots: tuple[Slot, ...],
        text: str, lineno: int,
    ) -> VerbPattern:
        return VerbPattern(
            lemma=verb.lemma, code=code, slots=slots,
            pos="VERB", text=text, origin=f"{self.path}:{lineno}", curated=False, swap=swap,
        )


def _read_petrarch(text: str, path: str, *, skip_bad_patterns: bool) -> _PetrarchReader:
    reader = _PetrarchReader(path)
    for lineno, line in enumerate(text.splitlines(), start=1):
        try:
            reader.feed(lineno, line)
        except ValueError as exc:
            if skip_bad_patterns and line.startswith("-"):
                _log.debug("%s:%d: skipped: %s", path, lineno, exc)
                continue
            raise DictionaryError(str(exc), path=path, line=lineno) from None
    return reader


def read_petrarch_verbs(
    text: str, *, path: str = "CAMEO.2.0.txt", skip_bad_patterns: bool = False
) -> list[VerbPattern]:
    """Compile a PETRARCH2 verb dictionary; a bad line raises DictionaryError naming it.

    ``skip_bad_patterns`` drops (and logs) bad ``-`` pattern lines instead: the shipped
    CAMEO.2.0.txt has six (stray ``)``, four undefined synonym sets such as ``&WEATHER``).
    """
    return _read_petrarch(text, path, skip_bad_patterns=skip_bad_patterns).out


_SLOT_KEYS = ("pre", "post", "also")
_ENTRY_KEYS = frozenset({"code", "verbs", "nouns", "any", "prep", "note", *_SLOT_KEYS})


def _yaml_slots(entry: Mapping[str, Any], synsets: _Synsets) -> list[Slot]:
    slots = []
    for key in _SLOT_KEYS:
        if entry.get(key):  # an empty list asks for nothing
            where = "pre" if key == "pre" else "post"
            phrases = [p for term in entry[key] for p in _expand(str(term).split(), synsets)]
            slots.append(Slot(where, tuple(phrases)))
    for prep, terms in (entry.get("prep") or {}).items():
        phrases = [p for term in terms or () for p in _expand(str(term).split(), synsets)]
        slots.append(Slot("prep", tuple(phrases), prep=str(prep).lower()))
    return slots


def _trigger(term: str, pos: str) -> tuple[str, tuple[Slot, ...]]:
    """``hold talks`` (verb: head first) / ``air strike`` (noun: head last) -> lemma + slot."""
    words = split_words(term)
    head, rest = (words[0], words[1:]) if pos == "VERB" else (words[-1], words[:-1])
    extra = (Slot("post", (tuple(word_forms(w) for w in rest),)),) if rest else ()
    return head, extra


def _trigger_terms(terms: Iterable[Any], synsets: _Synsets) -> list[str]:
    """Trigger words, with ``&SET`` names replaced by their members."""
    out: list[str] = []
    for term in map(str, terms):
        alternatives = synsets.alternatives(term)
        out.extend(" ".join(words) for words in alternatives)
    return out


def _yaml_entry(entry: Mapping[str, Any], synsets: _Synsets, origin: str) -> list[VerbPattern]:
    unknown = set(entry) - _ENTRY_KEYS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}; allowed: {sorted(_ENTRY_KEYS)}")
    code, swap = _parse_code(str(entry.get("code", "")))
    slots = tuple(_yaml_slots(entry, synsets))
    text = " ".join(f"{k}={entry[k]}" for k in ("pre", "post", "also", "prep") if k in entry)
    out = []
    for key, pos in (("verbs", "VERB"), ("nouns", "NOUN"), ("any", "ANY")):
        for term in _trigger_terms(entry.get(key) or (), synsets):
            lemma, extra = _trigger(term, pos)
            out.append(VerbPattern(
                lemma=lemma, code=code, slots=extra + slots, pos=pos,
                text=f"{term} {text}".strip(), origin=origin, curated=True, swap=swap,
            ))
    if not out:
        raise ValueError("entry names no trigger: give verbs, nouns or any")
    return out


def _yaml_line(node: Any) -> int | None:
    mark = getattr(node, "start_mark", None)
    return None if mark is None else int(mark.line) + 1


def read_supplement(
    text: str, *, path: str = "supplement.yaml", petrarch_text: str | None = None
) -> list[VerbPattern]:
    """Compile the curated YAML patterns; ``&SETS`` may also name PETRARCH2 synonym sets."""
    synsets = (
        _read_petrarch(petrarch_text, "CAMEO.2.0.txt", skip_bad_patterns=True).synsets
        if petrarch_text else None
    )
    synsets = synsets or _Synsets()
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise DictionaryError(f"not valid YAML: {exc}", path=path) from None
    for name, members in (data.get("synsets") or {}).items():
        synsets.add(str(name), [str(m) for m in members])
    nodes = _pattern_nodes(root)
    out: list[VerbPattern] = []
    for i, entry in enumerate(data.get("patterns") or ()):
        line = _yaml_line(nodes[i]) if i < len(nodes) else None
        try:
            out.extend(_yaml_entry(entry, synsets, f"{path}:{line}"))
        except (ValueError, AttributeError, TypeError) as exc:
            raise DictionaryError(f"pattern {i + 1}: {exc}", path=path, line=line) from None
    return out


def _pattern_nodes(root: Any) -> list[Any]:
    for key, value in getattr(root, "value", ()):
        if getattr(key, "value", None) == "patterns":
            return list(value.value)
    return []


def _data_text(name: str) -> str:
    return resources.files("allegiance.data").joinpath("verbs", name).read_text("utf-8")


def read_petrarch_drops(text: str, *, path: str = "supplement.yaml") -> frozenset[tuple[str, str]]:
    """The ``petrarch_drop`` list of the curated YAML: (lemma, code) pairs to leave out.

    Used where PETRARCH2 contradicts the CAMEO manual (signing a trade agreement is 057, not
    0311; arresting protesters is 173, not 175).
    """
    data = yaml.safe_load(text) or {}
    out: set[tuple[str, str]] = set()
    for item in data.get("petrarch_drop") or ():
        parts = str(item).split()
        if len(parts) != 2:
            raise DictionaryError(f"petrarch_drop item {item!r}: expected 'lemma code'", path=path)
        out.add((parts[0].lower(), parts[1]))
    return frozenset(out)


@cache
def load_default_patterns() -> tuple[VerbPattern, ...]:
    """PETRARCH2's CAMEO.2.0.txt plus the curated supplement, as shipped (read once).

    Compiling takes seconds (YAML and 4,600 PETRARCH patterns), so the result is kept
    in the user's cache, keyed by both files and by the code that compiles them.
    """
    petrarch = _data_text("CAMEO.2.0.txt")
    supplement = _data_text("supplement.yaml")
    digest = hashlib.sha256(petrarch.encode())
    digest.update(supplement.encode())
    digest.update(code_digest(["verbs", "ontology"]).encode())
    return cached("verbs", digest.hexdigest(), lambda: _compile_default(petrarch, supplement))


def _compile_default(petrarch: str, supplement: str) -> tuple[VerbPattern, ...]:
    drops = read_petrarch_drops(supplement)
    patterns = [
        p for p in read_petrarch_verbs(petrarch, skip_bad_patterns=True)
        if (p.lemma, p.code) not in drops
    ]
    patterns += read_supplement(supplement, petrarch_text=petrarch)
    return tuple(patterns)
