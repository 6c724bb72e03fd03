from hypothesis import given
from hypothesis import strategies as st

from allegiance.pipeline.text import MAX_SENTENCE_CHARS, english_score, split_sentences


def texts(s: str) -> list[str]:
    return [s[x.start : x.end] for x in split_sentences(s)]


def test_splits_on_sentence_punctuation_not_abbreviations() -> None:
    s = "U.S. officials met Gen. Smith in Washington on Jan. 5. He said no. Talks end."
    assert texts(s) == [
        "U.S. officials met Gen. Smith in Washington on Jan. 5.", "He said no.", "Talks end.",
    ]


def test_paragraphs_split_even_without_final_period() -> None:
    assert texts("Headline without period\n\nRussia struck Kyiv.") == [
        "Headline without period", "Russia struck Kyiv.",
    ]


def test_over_long_sentence_is_cut_at_whitespace() -> None:
    s = "word " * 3000
    pieces = split_sentences(s)
    assert len(pieces) > 1
    assert all(p.end - p.start <= MAX_SENTENCE_CHARS for p in pieces)


@given(st.text(max_size=400))
def test_offsets_are_inside_the_text_and_ordered(s: str) -> None:
    last = 0
    for span in split_sentences(s):
        assert last <= span.start < span.end <= len(s)
        assert s[span.start : span.end].strip() == s[span.start : span.end]
        last = span.end


def test_english_score_separates_languages() -> None:
    en = "The government said on Tuesday that it would send aid to the region."
    fr = "Le gouvernement a annoncé mardi une nouvelle série de mesures pour la région."
    assert english_score(en) > 0.2
    assert english_score(fr) < 0.1
    assert english_score("Правительство России заявило во вторник") == 0.0
