"""Small scoring helpers: accuracy, macro-F1, confusion tables, triple P/R/F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from allegiance.ontology.actors import GROUP_PREFIXES

__all__ = ["Tally", "actor_key", "macro_f1", "prf"]


@dataclass
class Tally:
    """Gold/predicted label pairs for one metric."""

    pairs: list[tuple[Hashable, Hashable]]

    @classmethod
    def empty(cls) -> Tally:
        return cls([])

    def add(self, gold: Hashable, pred: Hashable) -> None:
        self.pairs.append((gold, pred))

    @property
    def n(self) -> int:
        return len(self.pairs)

    @property
    def accuracy(self) -> float | None:
        return sum(g == p for g, p in self.pairs) / self.n if self.pairs else None

    @property
    def macro_f1(self) -> float | None:
        return macro_f1(self.pairs) if self.pairs else None

    def confusion(self) -> dict[str, dict[str, int]]:
        table: dict[str, Counter[str]] = {}
        for g, p in self.pairs:
            table.setdefault(str(g), Counter())[str(p)] += 1
        return {g: dict(c) for g, c in sorted(table.items())}


def macro_f1(pairs: Sequence[tuple[Hashable, Hashable]]) -> float:
    """Macro-averaged F1 over the gold classes."""
    classes = {g for g, _ in pairs}
    scores = []
    for c in classes:
        tp = sum(1 for g, p in pairs if g == c and p == c)
        fp = sum(1 for g, p in pairs if g != c and p == c)
        fn = sum(1 for g, p in pairs if g == c and p != c)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# Old CAMEO country codes some gold sets still use, and their ISO successors.
LEGACY_CODES = {"ITL": "ITA", "JAP": "JPN", "VTN": "VNM", "GDR": "DEU", "FRG": "DEU"}


def actor_key(code: str | None) -> str | None:
    """Compare actors at country level (VENGOV ~ VEN); IGOs by their organisation code."""
    if not code:
        return None
    if code.startswith("SCG") and len(code) >= 6:  # Serbia and Montenegro: the member
        code = code[3:]
    code = LEGACY_CODES.get(code[:3], code[:3]) + code[3:]
    if code.startswith(GROUP_PREFIXES):
        return code[:6]
    return code[:3]


def count_matches(gold: Iterable[tuple[str | None, ...]], pred: Iterable[tuple[str | None, ...]]
                  ) -> int:
    remaining = Counter(pred)
    tp = 0
    for g in gold:
        if remaining[g] > 0:
            remaining[g] -= 1
            tp += 1
    return tp
