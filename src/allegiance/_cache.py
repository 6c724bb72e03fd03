"""The user's cache of compiled data (actor tables, verb patterns).

A cached file is keyed on the data it was built from *and* on the source code that
built it: a new version of allegiance, or a moved class, never reads a stale or
unreadable pickle. The folder is ``$ALLEGIANCE_CACHE_DIR``, else
``$XDG_CACHE_HOME/allegiance``, else ``~/.cache/allegiance``; the tests point it at a
temporary folder so they never read or write the user's.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

__all__ = ["cache_dir", "cached", "code_digest"]

log = logging.getLogger(__name__)

T = TypeVar("T")
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    explicit = os.environ.get("ALLEGIANCE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "allegiance"


def code_digest(packages: Iterable[str]) -> str:
    """A hash of every ``.py`` file in these subpackages of allegiance (``"actors"``)."""
    digest = hashlib.sha256()
    for package in sorted(packages):
        for path in sorted((_PACKAGE / package).rglob("*.py")):
            digest.update(str(path.relative_to(_PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cached(name: str, key: str, build: Callable[[], T]) -> T:
    """``build()``, kept in the cache as ``name-KEY.pickle`` and read back while ``key`` holds.

    An unreadable file (truncated, or pickled by other code) is built again; a cache
    folder that cannot be written costs only the build time.
    """
    path = cache_dir() / f"{name}-{key[:16]}.pickle"
    try:
        stored_key, value = pickle.loads(path.read_bytes())
        if stored_key == key:
            return value  # type: ignore[no-any-return]
    except FileNotFoundError:
        pass
    except Exception as exc:
        log.debug("ignoring the unreadable cache file %s: %s", path, exc)
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)  # atomic: parallel workers never read half a file
    except OSError as exc:
        log.debug("cannot write the cache file %s: %s", path, exc)
    return value
