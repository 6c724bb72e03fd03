"""Small facts about a dependency parse (spaCy tokens, read duck-typed)."""

from __future__ import annotations

from typing import Any

__all__ = ["ancestors", "head_of", "path_length"]


def head_of(tokens: list[Any]) -> Any:
    """The syntactic head of a phrase's tokens: the one whose head lies outside them
    (None for no tokens)."""
    inside = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), None)


def ancestors(tok: Any) -> list[Any]:
    """The token and its heads up to the root."""
    chain = [tok]
    while chain[-1].head.i != chain[-1].i and len(chain) < 60:
        chain.append(chain[-1].head)
    return chain


def path_length(a: Any, b: Any) -> tuple[int, Any]:
    """Edges between two tokens in the dependency tree, and their lowest common ancestor
    (99 and the first token's root when they share none)."""
    up_a = ancestors(a)
    depth = {t.i: d for d, t in enumerate(up_a)}
    for d_b, t in enumerate(ancestors(b)):
        if t.i in depth:
            return depth[t.i] + d_b, t
    return 99, up_a[-1]
