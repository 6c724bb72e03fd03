"""Facts about CAMEO actor codes: which three-letter prefixes are not states.

A CAMEO actor code starts with a country (ISO alpha-3) or with one of these
prefixes standing where a country would (CAMEO manual, chapter 3). This is the one
list the coder, the actor dictionaries, the exports and the evaluation share.
"""

from __future__ import annotations

__all__ = [
    "GROUP_PREFIXES",
    "NON_STATE_COUNTRIES",
    "NON_STATE_PREFIXES",
    "ORGANISATION_PREFIXES",
    "REGION_CODES",
    "actor_key",
    "is_state",
]

# International and non-governmental organisations: the next three letters name the
# organisation (IGOUNO, NGOAMN); GDELT writes them as KnownGroupCode.
ORGANISATION_PREFIXES: tuple[str, ...] = ("IGO", "NGO")

# Organisations, multinational companies and militant groups (IGO, NGO, IMG, MNC) are
# compared by their first six letters: IGOUNO and IGOEUR are different actors.
GROUP_PREFIXES: tuple[str, ...] = ("IGO", "NGO", "IMG", "MNC")

# Every prefix that stands where a country would and is no state; never read as a role.
NON_STATE_PREFIXES = frozenset({*GROUP_PREFIXES, "NGM", "INT", "UIS"})

# CAMEO's regions: actors of a region, not of one state.
REGION_CODES = frozenset(
    "AFR ASA BLK CRB CAU CFR CAS CEU EIN EAF EEU EUR LAM MEA MDT NAF NMR PGS SCN SAM SAS SEA "
    "SAF WAF WST".split()
)

# Codes in the country slot that are not states: the prefixes above and the regions.
NON_STATE_COUNTRIES = NON_STATE_PREFIXES | REGION_CODES


def is_state(country: str | None) -> bool:
    """A real state's code (not None, not an organisation, not a region)."""
    return country is not None and country not in NON_STATE_COUNTRIES


def actor_key(code: str) -> str:
    """The part of an actor code that says who it is: the country (VENGOV -> VEN), or the
    organisation for organisations and groups (IGOUNO -> IGOUNO, IGOWSTNAT -> IGOWST)."""
    return code[:6] if code.startswith(GROUP_PREFIXES) else code[:3]
