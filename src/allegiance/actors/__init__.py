"""The actor layer: who is named in a text, and which CAMEO actor code each one has.

    >>> from allegiance.actors import ActorDictionary
    >>> actors = ActorDictionary.default()
    >>> [m.code for m in actors.find_mentions("The Venezuelan army met Russia's defence minister.")]
    ['VENMIL', 'RUSGOV']

Dictionaries: PETRARCH2's Phoenix files (MIT) corrected and extended by allegiance's
data files in ``allegiance/data/actors/``; users add their own with
:meth:`ActorDictionary.load` (PETRARCH ``.txt``, ``.csv`` or ``.yaml``).
"""

from allegiance.records import ActorCode, ActorMention, ResolvedActor

from .dictionary import ActorDictionary, resolve_record

__all__ = ["ActorCode", "ActorDictionary", "ActorMention", "ResolvedActor", "resolve_record"]
