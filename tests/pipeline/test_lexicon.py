"""The word lists in data/lexicon and their reader, allegiance.pipeline.lexicon."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

import pytest

from allegiance.errors import DictionaryError
from allegiance.pipeline import layout, lexicon, text
from allegiance.pipeline.lexicon import words
from allegiance.pipeline.stages import events, modality
from allegiance.pipeline.stages.events import attribution, frames

FOLDER = resources.files("allegiance.data").joinpath("lexicon")


def _files() -> list[Traversable]:
    return sorted((f for f in FOLDER.iterdir() if f.name.endswith(".txt")), key=lambda f: f.name)


NAMES = [f.name.removesuffix(".txt") for f in _files()]


def _raw_entries(name: str) -> list[str]:
    """The file's entry lines, read independently of the reader (comments, blanks out)."""
    lines = FOLDER.joinpath(f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_the_lexicon_files_ship_with_the_package() -> None:
    assert len(NAMES) >= 15
    assert FOLDER.joinpath("README.md").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_each_list_reads_non_empty(name: str) -> None:
    got = words(name)
    assert isinstance(got, frozenset)
    assert got
    assert all(isinstance(w, str) and w and not w.startswith("#") for w in got)


@pytest.mark.parametrize("name", NAMES)
def test_entries_have_no_surrounding_whitespace_or_duplicates(name: str) -> None:
    entries = _raw_entries(name)
    assert [e for e in entries if e != e.strip()] == []
    dupes = sorted({e for e in entries if entries.count(e) > 1})
    assert dupes == [], f"{name}.txt repeats {dupes}"
    assert words(name) == frozenset(entries)


@pytest.mark.parametrize("name", NAMES)
def test_each_file_says_what_it_is_and_who_reads_it(name: str) -> None:
    first = FOLDER.joinpath(f"{name}.txt").read_text(encoding="utf-8").splitlines()[:4]
    assert first[0].startswith("# ")
    assert any(line.startswith("# Read by allegiance.") for line in first)
    readme = FOLDER.joinpath("README.md").read_text(encoding="utf-8")
    assert f"`{name}.txt`" in readme


def test_a_missing_list_raises_dictionary_error_naming_it() -> None:
    with pytest.raises(DictionaryError, match="no_such_list") as info:
        words("no_such_list")
    assert info.value.path == "lexicon/no_such_list.txt"


def test_the_reader_is_cached() -> None:
    assert words("reporting_heads") is words("reporting_heads")
    assert lexicon.__all__ == ["words"]


@pytest.mark.parametrize(
    ("constant", "name"),
    [
        (modality.NEGATING_HEADS, "negating_heads"),
        (modality.REPORTING_HEADS, "reporting_heads"),
        (modality.FUTURE_AUX, "future_aux"),
        (modality.FUTURE_HEADS, "future_heads"),
        (modality.HYPOTHETICAL_AUX, "hypothetical_aux"),
        (modality.HYPOTHETICAL_MARKS, "hypothetical_marks"),
        (modality.HYPOTHETICAL_WORDS, "hypothetical_words"),
        (modality.HISTORICAL_WORDS, "historical_words"),
        (modality.STATIVE, "stative_verbs"),
        (modality.REPORTING_ADVERBS, "reporting_adverbs"),
        (modality.YEAR_PREPS, "year_preps"),
        (frames.NON_EVENT_VERBS, "non_event_verbs"),
        (attribution.TARGET_PREPS, "target_preps"),
        (attribution.NOUN_TARGET_PREPS, "noun_target_preps"),
        (attribution.WEAK_TARGET_PREPS, "weak_target_preps"),
        (attribution.CO_ACTOR_VERBS, "co_actor_verbs"),
        (events.AUDIENCE_VERBS, "audience_verbs"),
        (attribution.MOTION_VERBS, "motion_verbs"),
        (layout.NEWS_OUTLETS, "news_outlets"),
        (text._ABBREVIATIONS, "abbreviations"),
        (text._STOPWORDS, "english_stopwords"),
        (text._FOREIGN_STOPWORDS, "foreign_stopwords"),
    ],
)
def test_module_constants_are_the_files(constant: frozenset[str], name: str) -> None:
    assert constant == frozenset(_raw_entries(name))


def test_every_list_is_read_by_some_constant() -> None:
    constants = [
        v for mod in (modality, frames, attribution, text, layout, events)
        for v in vars(mod).values()
        if isinstance(v, frozenset)
    ]
    unread = [n for n in NAMES if not any(c is words(n) for c in constants)]
    assert unread == []


def test_entries_kept_exactly_as_the_code_had_them() -> None:
    # Spot checks against the literals the code held before the move.
    negating = {"deny", "refute", "dismiss", "fail", "refuse", "decline", "reject"}
    assert negating == modality.NEGATING_HEADS
    assert {"will", "shall", "'ll", "wo"} == modality.FUTURE_AUX
    assert "long-standing" in modality.HISTORICAL_WORDS
    assert {"u.s", "a.m", "i.e", "sept"} <= text._ABBREVIATIONS
    assert "não" in text._FOREIGN_STOPWORDS and "das" in text._FOREIGN_STOPWORDS
    assert len(text._FOREIGN_STOPWORDS) == 73
    assert {"in", "inside", "near", "around"} == attribution.WEAK_TARGET_PREPS
