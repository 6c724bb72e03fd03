"""Event coding helpers: CAMEO verb patterns over the spaCy parse."""

from allegiance.verbs.patterns import PatternMatch, VerbPatterns
from allegiance.verbs.verbdict import (
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
