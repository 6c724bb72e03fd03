"""Plain-text helpers: sentence splitting and an English check, both fast and rule-based.

Sentences are split without spaCy on purpose: the coder parses only sentences that
name at least one actor, so splitting must not cost a parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from allegiance.pipeline.lexicon import words

__all__ = ["MAX_SENTENCE_CHARS", "TextSpan", "english_score", "split_sentences"]

# Sentences longer than this are cut at whitespace: a parser fed one 5 MB "sentence"
# (a scraped table, a log dump) takes minutes and gigabytes to say nothing useful.
MAX_SENTENCE_CHARS = 1200

# Word lists: data/lexicon/<name>.txt (see its README.md).
_ABBREVIATIONS = words("abbreviations")
_BOUNDARY = re.compile(r"""([.!?]+["'”’)\]]*)(\s+)(?=["'“‘(\[]?[A-Z0-9])""")
_PARAGRAPH = re.compile(r"\n\s*\n|\r\n\s*\r\n|\n(?=\s*[A-Z\"“])")
_WORD = re.compile(r"[A-Za-z]+")
# Function words of French, Spanish, German, Italian and Portuguese that English lacks.
_FOREIGN_STOPWORDS = words("foreign_stopwords")
_STOPWORDS = words("english_stopwords")


@dataclass(frozen=True, slots=True)
class TextSpan:
    start: int
    end: int


def _is_abbreviation(text: str, dot: int) -> bool:
    """True if the period at ``dot`` ends an abbreviation or an initial ("U.S.", "J.")."""
    j = dot
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot].lower().rstrip(".")
    if not word:
        return False
    if word == "no":  # "No. 10 Downing Street", but "He said no. Talks end."
        return text[dot + 1 : dot + 3].strip()[:1].isdigit()
    return word in _ABBREVIATIONS or len(word) == 1 or (len(word) <= 4 and "." in word)


def _split_block(text: str, start: int, end: int) -> list[TextSpan]:
    spans: list[TextSpan] = []
    pos = start
    for m in _BOUNDARY.finditer(text, start, end):
        dot = m.start(1)
        if text[dot] == "." and _is_abbreviation(text, dot):
            continue
        spans.append(TextSpan(pos, m.end(1)))
        pos = m.end(2)
    if pos < end:
        spans.append(TextSpan(pos, end))
    return spans


def _cut_long(text: str, span: TextSpan) -> list[TextSpan]:
    """Cut an over-long sentence at whitespace into pieces of MAX_SENTENCE_CHARS at most."""
    out: list[TextSpan] = []
    pos = span.start
    while span.end - pos > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", pos, pos + MAX_SENTENCE_CHARS)
        if cut <= pos:
            cut = pos + MAX_SENTENCE_CHARS
        out.append(TextSpan(pos, cut))
        pos = cut
    out.append(TextSpan(pos, span.end))
    return out


def _trim(text: str, span: TextSpan) -> TextSpan | None:
    s, e = span.start, span.end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return TextSpan(s, e) if e > s else None


def split_sentences(text: str) -> list[TextSpan]:
    """Sentence spans (character offsets into ``text``), paragraphs first, then punctuation."""
    blocks: list[TextSpan] = []
    pos = 0
    for m in _PARAGRAPH.finditer(text):
        blocks.append(TextSpan(pos, m.start()))
        pos = m.end()
    blocks.append(TextSpan(pos, len(text)))
    out: list[TextSpan] = []
    for block in blocks:
        for span in _split_block(text, block.start, block.end):
            for piece in _cut_long(text, span):
                trimmed = _trim(text, piece)
                if trimmed is not None:
                    out.append(trimmed)
    return out


def english_score(text: str, *, sample_chars: int = 4000) -> float:
    """How English a text looks, from 0 (not at all) to about 1.

    Two cheap signals over a sample: the share of letters in Latin script (Cyrillic,
    Arabic, CJK text scores near 0) and English function words against those of the
    other big Latin-script news languages. English news has almost no "der", "les" or
    "que"; French, Spanish, German, Italian and Portuguese are full of them. Short
    one-liners with no function words at all pass on script alone.
    """
    sample = text[:sample_chars]
    words = [w.lower() for w in _WORD.findall(sample)]
    alpha = sum(1 for ch in sample if ch.isalpha())
    if not words or not alpha:
        return 0.0
    latin = sum(len(w) for w in words) / alpha
    english = sum(1 for w in words if w in _STOPWORDS)
    foreign = sum(1 for w in words if w in _FOREIGN_STOPWORDS)
    if foreign > english and foreign >= max(3, len(words) // 8):
        return 0.0
    return latin * (0.5 + 0.5 * english / (english + foreign)) if english + foreign else 0.5 * latin
