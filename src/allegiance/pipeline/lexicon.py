"""The English word lists the pipeline's rules match against, read from data files.

Each list is a plain-text file ``allegiance/data/lexicon/<name>.txt``: one entry per
line (a lemma, a lower-cased word or a phrase, exactly as it is matched), ``#`` lines
are comments, blank lines are skipped. See ``data/lexicon/README.md`` for who reads what.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from allegiance.errors import DictionaryError

__all__ = ["words"]

_PACKAGE = "allegiance.data"
_FOLDER = "lexicon"


def _path(name: str) -> str:
    return f"{_FOLDER}/{name}.txt"


def _entries(name: str) -> tuple[str, ...]:
    """The file's entries in file order: comments and blank lines dropped, ends stripped."""
    item = resources.files(_PACKAGE).joinpath(_FOLDER, f"{name}.txt")
    try:
        text = item.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise DictionaryError(f"no word list named {name!r}", path=_path(name)) from None
    except UnicodeDecodeError as exc:
        raise DictionaryError(f"not UTF-8 text: {exc}", path=_path(name)) from None
    stripped = (line.strip() for line in text.splitlines())
    return tuple(line for line in stripped if line and not line.startswith("#"))


@cache
def words(name: str) -> frozenset[str]:
    """The word list ``name`` (``data/lexicon/<name>.txt``) as a set.

    Raises DictionaryError, naming the file, when there is no such list.
    """
    return frozenset(_entries(name))
