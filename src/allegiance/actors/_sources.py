"""Dictionary files -> tables: the shipped default set, users' files, and the compiled cache.

The default dictionary is compiled from the files in ``allegiance/data/actors/`` in the
order of ``DEFAULT_SOURCES`` (later files correct earlier ones). Compiling takes about
a second, so the result is kept in the user's cache (see ``allegiance._cache``), keyed
on the data files and on the code that compiles them; nothing compiled is shipped.
"""

from __future__ import annotations

import hashlib
import logging
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from allegiance._cache import cached, code_digest
from allegiance.errors import DictionaryError

from ._kb import apply_kb
from ._petrarch import looks_like_agents, read_petrarch_actors, read_petrarch_agents
from ._simple import read_countries, read_simple_csv, read_simple_yaml
from ._tables import Tables, TablesBuilder

__all__ = ["apply_file", "compile_default", "default_tables", "fingerprint"]

log = logging.getLogger(__name__)

# Bump when the compiled layout or the compiling rules change.
_FORMAT = "allegiance-actors-7"

# (file, how to read it). Missing optional files (office_holders.csv) are skipped.
DEFAULT_SOURCES: tuple[tuple[str, str], ...] = (
    ("petrarch/Phoenix.Countries.actors.txt", "petrarch-lenient"),
    ("petrarch/Phoenix.International.actors.txt", "petrarch-lenient"),
    ("petrarch/Phoenix.MilNonState.actors.txt", "petrarch-lenient"),
    ("petrarch/Phoenix.agents.txt", "agents-lenient"),
    ("countries.csv", "countries"),
    ("igos.csv", "named-csv"),
    ("regions.csv", "named-csv"),
    ("metonyms.csv", "csv"),
    ("ethnic_groups.csv", "csv"),
    ("roles.txt", "agents"),
    ("patches.txt", "petrarch"),
    ("office_holders.csv", "csv"),
    # Fills gaps only: names no file above knows (people, parties, armed groups, agencies).
    ("kb_actors.tsv.gz", "kb"),
    ("removed_actors.txt", "remove-actors"),
    ("removed_agents.txt", "remove-agents"),
)
_COMMON_WORDS = "common_words.txt"


def _data_dir() -> Traversable:
    return resources.files("allegiance.data").joinpath("actors")


def _read(item: Traversable) -> str:
    return item.read_bytes().decode("utf-8", errors="replace")


def _phrase_lines(text: str) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in text.splitlines()
            if line.split("#", 1)[0].strip()]


def apply_file(builder: TablesBuilder, text: str, *, path: str, kind: str) -> None:
    """Read one dictionary file of the given kind into ``builder``."""
    lenient = kind.endswith("-lenient")
    kind = kind.removesuffix("-lenient")
    if kind == "petrarch":
        for entry in read_petrarch_actors(text, path=path, strict=not lenient):
            builder.add_actor(entry)
    elif kind == "agents":
        for agent in read_petrarch_agents(text, path=path, strict=not lenient):
            builder.add_agent(agent)
    elif kind == "countries":
        entries, names = read_countries(text, path=path)
        builder.tables.names.update(names)
        for entry in entries:
            builder.add_actor(entry)
    elif kind in ("csv", "named-csv", "yaml"):
        rows = read_simple_yaml(text, path=path) if kind == "yaml" else read_simple_csv(
            text, path=path)
        for entry in rows:
            builder.add_actor(entry)
            code = entry.codes[0].code
            if kind == "named-csv" and code:
                builder.tables.names.setdefault(code, entry.phrases[0])
    elif kind.startswith("remove-"):
        builder.remove(_phrase_lines(text), agents=kind == "remove-agents")
    else:
        raise ValueError(f"unknown dictionary kind {kind!r}")


def kind_of(path: Path, text: str) -> str:
    """How to read a user's file, from its suffix (and content for PETRARCH files)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".txt":
        return "agents" if looks_like_agents(text) else "petrarch"
    raise DictionaryError("unknown dictionary format: use a PETRARCH .txt file, .csv, "
                          ".yaml or .yml", path=str(path))


def _sources() -> list[tuple[str, str, Traversable]]:
    base = _data_dir()
    found = []
    for name, kind in DEFAULT_SOURCES:
        item = base.joinpath(name)
        if item.is_file():
            found.append((name, kind, item))
    return found


def fingerprint() -> str:
    """A hash of the default data files and of the code that compiles them."""
    digest = hashlib.sha256(_FORMAT.encode())
    for name, _kind, item in _sources():
        digest.update(name.encode())
        digest.update(item.read_bytes())
    common = _data_dir().joinpath(_COMMON_WORDS)
    if common.is_file():
        digest.update(common.read_bytes())
    digest.update(code_digest(["actors", "ontology"]).encode())
    return digest.hexdigest()


def compile_default() -> Tables:
    """Compile the shipped dictionary files (a few seconds: 160,000 names)."""
    builder = TablesBuilder()
    for name, kind, item in _sources():
        path = f"allegiance/data/actors/{name}"
        if kind == "kb":
            apply_kb(builder, item.read_bytes(), path=path)
        else:
            apply_file(builder, _read(item), path=path, kind=kind)
    common = _data_dir().joinpath(_COMMON_WORDS)
    words = set(_phrase_lines(_read(common))) if common.is_file() else set()
    return builder.finish({w.lower() for w in words})


def default_tables() -> Tables:
    """The compiled default tables: from the user's cache, or compiled (a few seconds)."""
    return cached("actors", fingerprint(), compile_default)
