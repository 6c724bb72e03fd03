"""The knowledge-base actor table: people, parties, armed groups and agencies the
PETRARCH dictionaries do not know, with dated offices; it fills gaps and overrides nothing."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest

from allegiance.actors import ActorDictionary
from allegiance.actors._kb import apply_kb, read_kb
from allegiance.actors._model import ActorEntry, DatedCode
from allegiance.actors._tables import TablesBuilder
from allegiance.errors import DictionaryError


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return ActorDictionary.default()


@pytest.mark.parametrize(("text", "code"), [
    ("Mossad", "ISRSPY"),
    ("Likud", "ISRPTY"),
    ("the Haqqanis", "AFGREB"),
    ("Roh Moo-hyun", "KORGOV"),
])
def test_kb_names_resolve(actors: ActorDictionary, text: str, code: str) -> None:
    found = actors.resolve(text, date=dt.date(2006, 5, 1))
    assert found is not None and found.code == code


def test_a_person_is_coded_by_the_office_held_on_the_day(actors: ActorDictionary) -> None:
    # Slade Brockman: Australian senator from 2017, a minister 2021-10-18 .. 2022-07-26.
    on = {day: actors.resolve("Slade Brockman", date=day) for day in
          (dt.date(2022, 3, 1), dt.date(2024, 3, 1))}
    assert [None if c is None else c.code for c in on.values()] == ["AUSGOV", "AUSLEG"]


def test_the_table_fills_gaps_and_overrides_no_earlier_dictionary() -> None:
    builder = TablesBuilder()
    data = gzip.compress(b"Vladimir Putin|Putin Vladimir\tRUSLEG\nAnna Smith\tGBRGOV\n")
    builder.add_actor(ActorEntry(("Vladimir Putin",), (DatedCode("RUSGOV"),)))
    apply_kb(builder, data, path="kb.tsv.gz")
    tables = builder.tables
    assert [c.code for c in tables.codes_of(("vladimir", "putin"))] == ["RUSGOV"]
    assert tables.codes_of(("putin", "vladimir")) == ()  # the known actor's, not the table's
    assert [c.code for c in tables.codes_of(("anna", "smith"))] == ["GBRGOV"]


def test_a_malformed_line_names_the_file_and_line() -> None:
    with pytest.raises(DictionaryError, match=r"kb\.tsv:2"):
        list(read_kb(b"Anna Smith\tGBRGOV\nno tab here\n", path="kb.tsv"))
    with pytest.raises(DictionaryError, match="ISO date"):
        list(read_kb(b"Anna Smith\tGBRGOV@2020-13-01/\n", path="kb.tsv"))
