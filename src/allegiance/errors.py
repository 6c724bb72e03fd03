"""The exception tree of allegiance.

    AllegianceError              every error this package raises on purpose
    ├── InputError               a bad input record (line number in ``where``)
    ├── DictionaryError          a dictionary file that cannot be read
    ├── ModelError               a spaCy pipeline or classifier that cannot be loaded
    ├── ConfigError              an option or setting that makes no sense
    ├── StoreError               the event database cannot be opened, migrated or written
    └── NoDataError              an analysis has no events in its window

Each message says what was wrong, where, and what to do about it.
"""

from __future__ import annotations


class AllegianceError(Exception):
    """Base class: catch this to catch every deliberate allegiance error."""


class InputError(AllegianceError):
    """A record, file or line that cannot be coded.

    ``where`` names the place (``"line 12"``, ``"article.html"``) so a batch can
    report it and go on with the rest.
    """

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class DictionaryError(AllegianceError):
    """An actor or verb dictionary that cannot be parsed."""

    def __init__(self, message: str, *, path: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class ModelError(AllegianceError):
    """A model (spaCy pipeline, event classifier) that is missing or broken."""


class ConfigError(AllegianceError):
    """A setting or option that cannot be used."""


class StoreError(AllegianceError):
    """The event store cannot be opened, migrated or written (the message says which URL)."""


class NoDataError(AllegianceError):
    """An analysis found no events to work on (an empty window, a dyad with no events):
    the message says which actors and dates, so the user can widen them."""
