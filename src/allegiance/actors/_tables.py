"""Compiled lookup tables: token tuples -> actor codes and role codes.

Only builtins go into :class:`Tables` (dicts of tuples, ints and strings) so that the
compiled default dictionary pickles small and loads in a few tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from allegiance.ontology.actors import NON_STATE_PREFIXES
from allegiance.records import ActorCode

from ._model import ActorEntry, AgentEntry, DatedCode
from ._tokens import phrase_key

__all__ = ["GENERIC_PREFIXES", "CodeTuple", "Key", "Tables", "TablesBuilder", "phrase_keys",
           "split_code"]

Key = tuple[str, ...]
CodeTuple = tuple[str | None, int, int]  # code (None: a named non-actor), start, end

# Codes that stand where a country would: international organisations, NGOs, militant
# groups, companies. They are never read as role codes.
GENERIC_PREFIXES = NON_STATE_PREFIXES

# CAMEO role codes (manual chapter 3); the agents dictionaries add their own on top.
_BASE_ROLES = frozenset({
    "COP", "GOV", "INS", "JUD", "MIL", "OPP", "REB", "SEP", "SPY", "UAF", "AGR", "BUS",
    "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "HLH", "HRI", "LAB", "LEG", "MED", "REF",
    "MOD", "RAD", "PTY",
})


@dataclass
class Tables:
    """Everything :class:`ActorDictionary` looks up while matching text."""

    actor_keys: dict[Key, int] = field(default_factory=dict)
    heads: dict[Key, int] = field(default_factory=dict)
    groups: list[tuple[CodeTuple, ...]] = field(default_factory=list)
    actor_first: dict[str, int] = field(default_factory=dict)
    adjectives: set[Key] = field(default_factory=set)
    upper_only: set[Key] = field(default_factory=set)
    agent_keys: dict[Key, tuple[str, bool]] = field(default_factory=dict)
    agent_first: dict[str, int] = field(default_factory=dict)
    explicit_agents: set[Key] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)
    roles: set[str] = field(default_factory=lambda: set(_BASE_ROLES))
    # Roles that begin an agent's code (MUS in ~MUS), as against those only found after
    # another role (MAR in ~CHRMAR, Maronite): a code can start with these alone.
    head_roles: set[str] = field(default_factory=lambda: set(_BASE_ROLES))
    common_words: set[str] = field(default_factory=set)

    def codes_of(self, key: Key) -> tuple[DatedCode, ...]:
        gid = self.actor_keys.get(key)
        if gid is None:
            return ()
        return tuple(DatedCode(*item) for item in self.groups[gid])


def phrase_keys(phrases: tuple[str, ...]) -> list[Key | None]:
    """The lookup key of each phrase (None for one that cannot be matched): a leading
    "the" is dropped so mentions never start with it."""
    keys: list[Key | None] = []
    for phrase in phrases:
        key = phrase_key(phrase)
        if len(key) > 1 and key[0] == "the":
            key = key[1:]
        keys.append(key if key and not (len(key) == 1 and len(key[0]) < 2) else None)
    return keys


def _keys(phrases: tuple[str, ...]) -> list[Key]:
    return [k for k in phrase_keys(phrases) if k is not None]


class TablesBuilder:
    """Applies dictionary entries, in order, onto a :class:`Tables`."""

    def __init__(self, tables: Tables | None = None) -> None:
        self.tables = tables if tables is not None else Tables()

    def add_actor(self, entry: ActorEntry) -> None:
        t = self.tables
        keys = _keys(entry.phrases)
        if not keys:
            return
        new = tuple((c.code, c.start, c.end) for c in entry.codes)
        if entry.merge == "replace":
            gid = t.heads.get(keys[0])
            if gid is None:
                gid = len(t.groups)
                t.groups.append(new)
                t.heads[keys[0]] = gid
            else:
                # Redefining an actor by its head phrase: all its synonyms follow. A
                # phrase that was only someone's synonym moves to the new entry alone.
                t.groups[gid] = new
            for key in keys:
                t.actor_keys[key] = gid
        else:
            for key in keys:
                old = t.groups[t.actor_keys[key]] if key in t.actor_keys else ()
                t.actor_keys[key] = len(t.groups)
                t.groups.append(new + old)
        t.adjectives.update(_keys(entry.adjectives))

    def add_agent(self, entry: AgentEntry) -> None:
        t = self.tables
        keys = _keys((entry.phrase,))
        if not keys:
            return
        key = keys[0]
        # An explicit entry beats a plural generated from another line.
        if entry.generated and key in t.explicit_agents:
            return
        if not entry.generated:
            t.explicit_agents.add(key)
        t.agent_keys[key] = (entry.code, entry.prefix)
        code = entry.code
        t.roles.update(code[i:i + 3] for i in range(0, len(code) - 2, 3)
                       if code[i:i + 3] not in GENERIC_PREFIXES)
        if not entry.prefix and code[:3] not in GENERIC_PREFIXES:
            t.head_roles.add(code[:3])

    def remove(self, phrases: list[str], *, agents: bool) -> None:
        for key in _keys(tuple(phrases)):
            if agents:
                self.tables.agent_keys.pop(key, None)
            else:
                self.tables.actor_keys.pop(key, None)

    def finish(self, common_words: set[str]) -> Tables:
        """Index first tokens and mark keys that must be upper case in the text."""
        t = self.tables
        t.common_words = common_words
        t.actor_first = _first_index(t.actor_keys)
        t.agent_first = _first_index(t.agent_keys)
        # Names that are also common words ("US", "WHO", "CAR") only count in capitals.
        t.upper_only = {k for k in t.actor_keys if len(k) == 1 and k[0] in common_words}
        return t


def _first_index(keys: Mapping[Key, object]) -> dict[str, int]:
    first: dict[str, int] = {}
    for key in keys:
        if len(key) > first.get(key[0], 0):
            first[key[0]] = len(key)
    return first


def split_code(code: str, tables: Tables, *, from_actor: bool = False) -> ActorCode:
    """``VENMIL`` -> country VEN, agent MIL; ``REB`` -> no country, agent REB.

    A few role codes are country codes too (MAR: Maronite and Morocco; MUS: Muslim and
    Mauritius). At the head of a code such a code is the country when the code came from
    an actor entry (``from_actor``: MAURITIUS_ [MUS]), or when no agent's code begins with
    it (MAR only follows CHR, in ~CHRMAR); otherwise the role (~MUS, ~MUSRAD: Muslims,
    Islamist radicals)."""
    roles = tables.roles
    head = code[:3]
    if _is_role_head(head, tables, from_actor):
        country, rest = None, code
    else:
        country, rest = head, code[3:]
    agent = next((rest[i:i + 3] for i in range(0, len(rest) - 2, 3) if rest[i:i + 3] in roles),
                 None)
    # A role read at the head (MUS: Muslims) is not named after the country it spells.
    named = country is not None or head not in tables.names
    return ActorCode(code, country, agent,
                     _name_of(code, country, tables.names) if named else None)


def _is_role_head(head: str, tables: Tables, from_actor: bool) -> bool:
    if head not in tables.roles or head in GENERIC_PREFIXES:
        return False
    if head not in tables.names:  # no country has this code
        return True
    return not from_actor and head in tables.head_roles


def _name_of(code: str, country: str | None, names: dict[str, str]) -> str | None:
    for size in range(len(code) - len(code) % 3, 2, -3):
        name = names.get(code[:size])
        if name is not None:
            return name
    return names.get(country) if country else None
