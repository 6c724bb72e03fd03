"""Readable names for actor keys (VEN -> Venezuela, IGOUNO -> United Nations), for briefs
and pictures. Read from the actor tables the coder uses (data/actors/)."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

__all__ = ["actor_name"]


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("allegiance.data").joinpath("actors", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for name in ("igos.csv", "regions.csv"):
        for row in _rows(name):
            names.setdefault(row["code"], row["name"])
    for row in _rows("countries.csv"):
        names[row["code"]] = row["name"]
    return names


def actor_name(key: str | None) -> str:
    """The name of an actor key; the key itself when no table names it."""
    if key is None:
        return "unnamed actors"
    return _names().get(key, key)
