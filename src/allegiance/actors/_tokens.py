"""A fast regex tokenizer with character offsets, shared by dictionaries and text.

Dictionary phrases and sentences go through the same normalisation, so that a key
built from ``MR._OBAMA`` matches the text "Mr. Obama" and ``U.S.`` matches "US".
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

__all__ = ["Token", "normalize", "phrase_key", "tokenize"]

# Dotted abbreviations first ("U.S.", "U.N."), then words that may hold inner hyphens
# or apostrophes ("al-Qaeda", "d'Ivoire"). Other punctuation is not a token.
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:[-'’][^\W_]+)*")
_POSSESSIVE = ("'s", "’s", "'S", "’S")
# "Saudi-led", "Iranian-backed": the actor and the link word become two tokens, so the
# first part can match the dictionary.
_LINK = re.compile(r"-(led|backed|based|allied|aligned|controlled|owned|run|funded|"
                   r"sponsored|born|held|occupied)$", re.IGNORECASE)


class Token(NamedTuple):
    """One word of the text: its normalised form, offsets and original spelling."""

    norm: str
    start: int
    end: int
    raw: str


def normalize(word: str) -> str:
    """Lower-case, dots out of abbreviations, curly quotes and accents folded."""
    word = word.lower().replace(".", "")
    if word.isascii():
        return word
    word = word.replace("’", "'")
    folded = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; a possessive "'s" becomes a token of its own."""
    tokens: list[Token] = []
    append = tokens.append
    for match in _TOKEN.finditer(text):
        raw = match.group()
        start, end = match.span()
        link = _LINK.search(raw) if "-" in raw else None
        if len(raw) > 2 and raw[-2:] in _POSSESSIVE:
            append(Token(normalize(raw[:-2]), start, end - 2, raw[:-2]))
            append(Token("'s", end - 2, end, raw[-2:]))
        elif link is not None and link.start() > 0:
            cut = start + link.start()
            append(Token(normalize(raw[:link.start()]), start, cut, raw[:link.start()]))
            append(Token(link.group(1).lower(), cut + 1, end, link.group(1)))
        else:
            append(Token(normalize(raw), start, end, raw))
    return tokens


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The lookup key of a dictionary phrase: ``VENEZUELAN_ARMY`` -> ("venezuelan", "army")."""
    return tuple(t.norm for t in tokenize(phrase.replace("_", " ")))
