"""The verb patterns as the pipeline uses them: over a frame's trigger words at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from allegiance.verbs import VerbPatterns

__all__ = ["PatternsAdapter"]

_NOUN_POS = ("NOUN", "PROPN")


class PatternsAdapter:
    def __init__(self, patterns: VerbPatterns) -> None:
        self.patterns = patterns

    @classmethod
    def default(cls) -> PatternsAdapter:
        return cls(VerbPatterns.default())

    def event_nouns(self, doc: Any) -> list[Any]:
        """Nouns the dictionary knows as event triggers ("airstrike", "talks", "appeal")."""
        return [t for t in self.patterns.trigger_candidates(doc[:]) if t.pos_ in _NOUN_POS]

    def specific_verbs(self, doc: Any, lemmas: frozenset[str]) -> set[int]:
        """Indices of verbs with these lemmas that a pattern beyond the bare verb fits.

        "gave", "raised", "turned" are no events alone, but "gave Ukraine military aid"
        (072), "raised tariffs" and "turned to Russia for military aid" (0232) are: a
        pattern that needed more words than the verb says so.
        """
        return {t.i for t in doc if t.pos_ == "VERB" and t.lemma_ in lemmas
                and any(m.specificity > 0 for m in self.patterns.match(t))}

    def matches_for(self, triggers: Sequence[Any]) -> list[Any]:
        """Pattern matches of all the trigger words of a frame, most specific first."""
        found = [m for t in triggers for m in self.patterns.match(t)]
        return sorted(found, key=lambda m: -m.specificity)

    def hits_for(self, triggers: Sequence[Any]) -> tuple[tuple[str, int], ...]:
        """(code, specificity) per code the frame's trigger words support, best first."""
        best: dict[str, int] = {}
        for m in self.matches_for(triggers):
            best.setdefault(m.code, m.specificity)
        return tuple(best.items())
