"""Event coding helpers: CAMEO verb patterns over the spaCy parse."""

from allegiance.events.patterns import PatternMatch, VerbPatterns
from allegiance.events.verbdict import (
    VerbPattern,
    load_default_patterns,
    read_petrarch_verbs,
    read_supplement,
)

__all__ = [
    "PatternMatch",
    "VerbPattern",
    "VerbPatterns",
    "load_default_patterns",
    "read_petrarch_verbs",
    "read_supplement",
]
