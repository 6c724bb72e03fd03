"""Versioned names for the swappable parts of allegiance.

A part (a pipeline stage now; actor sources, classifiers and geolocators next) is
registered under a name with a version, ``"events.v1"``, the way spaCy names its
architectures. A configuration lists names, not classes, so a run can be repeated
later with the same parts, and a changed part gets a new version instead of changing
an old name's meaning.

    >>> from allegiance.registry import Registry
    >>> shapes = Registry("shape")
    >>> @shapes.register("square.v1")
    ... def square(x: int) -> int:
    ...     return x * x
    >>> shapes.get("square.v1")(3)
    9
    >>> shapes.get("circle.v1")
    Traceback (most recent call last):
    ...
    allegiance.errors.ConfigError: unknown shape 'circle.v1'; known: square.v1
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Generic, TypeVar

from allegiance.errors import ConfigError

__all__ = ["Registry"]

T = TypeVar("T")
_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.v\d+$")


class Registry(Generic[T]):
    """Named, versioned parts of one kind."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._parts: dict[str, T] = {}

    def register(self, name: str) -> Callable[[T], T]:
        """Decorator: register the part under ``name`` (``family.vN``)."""
        if not _NAME.match(name):
            raise ConfigError(f"{self.kind} name {name!r} must look like 'name.v1'")

        def add(part: T) -> T:
            if name in self._parts and self._parts[name] is not part:
                raise ConfigError(f"{self.kind} {name!r} is registered twice; give the "
                                  "new one a new version")
            self._parts[name] = part
            return part

        return add

    def get(self, name: str) -> T:
        try:
            return self._parts[name]
        except KeyError:
            raise ConfigError(f"unknown {self.kind} {name!r}; known: "
                              f"{', '.join(sorted(self._parts))}") from None

    def names(self) -> list[str]:
        return sorted(self._parts)

    def __contains__(self, name: object) -> bool:
        return name in self._parts
