"""The actor layer on the shipped dictionaries: mentions, composition, dates, user files."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from pathlib import Path

import pytest

import allegiance.actors as actors_module
from allegiance.actors import ActorDictionary, resolve_record
from allegiance.actors._petrarch import read_petrarch_actors, read_petrarch_agents
from allegiance.errors import DictionaryError, InputError

PETRARCH = Path(actors_module.__file__).parent.parent / "data" / "actors" / "petrarch"


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return ActorDictionary.default()


def codes(actors: ActorDictionary, text: str, date: dt.date | None = None) -> list[str]:
    return [m.code for m in actors.find_mentions(text, date=date)]


@pytest.mark.parametrize(("phrase", "code"), [
    ("Venezuela", "VEN"),
    ("Venezuelans", "VEN"),
    ("Türkiye", "TUR"),
    ("Czechia", "CZE"),
    ("Kyiv", "UKR"),
    ("Caracas", "VEN"),
    ("Washington", "USA"),
    ("the Kremlin", "RUSGOV"),
    ("the White House", "USAGOV"),
    ("Downing Street", "GBRGOV"),
    ("the Pentagon", "USAMIL"),
    ("the UN", "IGOUNO"),
    ("NATO", "IGOWSTNAT"),
    ("the EU", "IGOEUREEC"),
    ("the Venezuelan army", "VENMIL"),
    ("Venezuela's defence minister", "VENGOV"),
    ("Russia's foreign ministry", "RUSGOV"),
    ("the president of France", "FRAGOV"),
    ("President Putin", "RUSGOV"),
    ("Iranian Foreign Minister Mohammad Javad Zarif", "IRNGOV"),
    ("a U.S. Supreme Court decision", "USAJUD"),
    ("Venezuelan Defense Minister Vladimir Padrino", "VENGOV"),
    ("rebels in Darfur", "SDNREB"),
])
def test_resolve_examples(actors: ActorDictionary, phrase: str, code: str) -> None:
    actor = actors.resolve(phrase)
    assert actor is not None and actor.code == code


def test_resolve_unknown_is_none(actors: ActorDictionary) -> None:
    assert actors.resolve("a bowl of soup") is None
    assert actors.resolve("") is None


def test_resolve_names_country_and_igo(actors: ActorDictionary) -> None:
    lula = actors.resolve("President Luiz Inacio Lula da Silva", date=dt.date(2024, 5, 1))
    assert lula is not None
    assert (lula.code, lula.country, lula.agent, lula.name) == ("BRAGOV", "BRA", "GOV", "Brazil")
    un = actors.resolve("the United Nations")
    assert un is not None and un.country == "IGO" and un.name == "United Nations"


def test_linked_adjectives(actors: ActorDictionary) -> None:
    assert codes(actors, "Vietnamese-led forces advanced.") == ["VNMMIL"]
    assert codes(actors, "Iranian-backed Houthis fired.") == ["IRN", "YEMREB"]


def test_bare_role_has_no_country(actors: ActorDictionary) -> None:
    [rebels] = actors.find_mentions("Rebels attacked the town.")
    assert (rebels.code, rebels.actor.country, rebels.actor.agent) == ("REB", None, "REB")


@pytest.mark.parametrize(("text", "code", "country", "agent"), [
    # Country codes that are role codes too: MAR (Maronite), MUS (Muslim).
    ("Morocco protested.", "MAR", "MAR", None),
    ("Moroccan police protested.", "MARCOP", "MAR", "COP"),
    ("Mauritius protested.", "MUS", "MUS", None),
    ("The Mauritian government protested.", "MUSGOV", "MUS", "GOV"),
    ("Muslim clerics protested.", "MUS", None, "MUS"),
    ("Fundamentalist Muslims protested.", "MUSRAD", None, "MUS"),
    ("Maronite clergy protested.", "CHRMAR", None, "CHR"),
])
def test_country_codes_that_are_roles(actors: ActorDictionary, text: str, code: str,
                                      country: str | None, agent: str | None) -> None:
    found = actors.find_mentions(text)[0]
    assert (found.code, found.actor.country, found.actor.agent) == (code, country, agent)


def test_a_code_alone_reads_mar_as_morocco_and_mus_as_muslim(actors: ActorDictionary) -> None:
    """Without the entry it came from, MAR heads only Moroccan codes (no agent's code
    starts with it); MUS heads agents' codes (~MUS, ~MUSRAD), so it stays the role."""
    assert [actors.code(c).country for c in ("MAR", "MARGOV", "MUS", "MUSRAD", "IRQMUS")] \
        == ["MAR", "MAR", None, None, "IRQ"]
    assert actors.code("MUS").name is None  # the role, not named Mauritius


def test_mention_offsets_cover_the_composed_phrase(actors: ActorDictionary) -> None:
    text = "The Venezuelan army met Russia's defence minister in Caracas."
    mentions = actors.find_mentions(text)
    assert [(m.text, m.code) for m in mentions] == [
        ("Venezuelan army", "VENMIL"), ("Russia's defence minister", "RUSGOV"),
        ("Caracas", "VEN")]
    for m in mentions:
        assert text[m.start:m.end] == m.text


def test_mentions_do_not_overlap(actors: ActorDictionary) -> None:
    text = "U.S. President Barack Obama met Israeli Prime Minister Benjamin Netanyahu."
    mentions = actors.find_mentions(text, date=dt.date(2010, 3, 1))
    assert [m.code for m in mentions] == ["USAGOV", "ISRGOV"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


@pytest.mark.parametrize("text", ["Tell us what you think.", "The chad fell out.",
                                  "It may rain.", "Who knows?"])
def test_common_words_are_not_actors(actors: ActorDictionary, text: str) -> None:
    assert [m for m in actors.find_mentions(text) if m.actor.country] == []


def test_acronyms_in_capitals_are_actors(actors: ActorDictionary) -> None:
    assert codes(actors, "The US and the WHO met in Chad.") == ["USA", "IGOUNOHLHWHO", "TCD"]


def test_office_holders_follow_the_date(actors: ActorDictionary) -> None:
    assert codes(actors, "Obama spoke.", dt.date(2010, 6, 1)) == ["USAGOV"]
    assert codes(actors, "Obama spoke.", dt.date(2020, 6, 1)) == ["USAELI"]
    assert codes(actors, "Former President Obama spoke.", dt.date(2010, 6, 1)) == ["USAELI"]


def test_no_date_means_the_current_code(actors: ActorDictionary) -> None:
    assert codes(actors, "Putin spoke.") == ["RUSGOV"]


def test_petrarch_date_limited_codes() -> None:
    validate = ActorDictionary.load([PETRARCH / "PETR.Validate.actors.txt",
                                     PETRARCH / "PETR.Validate.agents.txt"],
                                    include_default=False)
    assert codes(validate, "Sam Gamgee", dt.date(2007, 1, 1)) == ["HOBCIV"]
    assert codes(validate, "Sam Gamgee", dt.date(2010, 1, 10)) == ["ORCHOB"]
    assert codes(validate, "Sam Gamgee", dt.date(2011, 1, 1)) == ["HOBMIL"]
    assert codes(validate, "Sam Gamgee", dt.date(2014, 1, 1)) == ["HOBELI"]
    assert codes(validate, "Hamfast Gamgee", dt.date(2000, 1, 1)) == ["HOB"]


def test_validate_dictionaries_load(actors: ActorDictionary) -> None:
    validate = ActorDictionary.load([PETRARCH / "PETR.Validate.actors.txt",
                                     PETRARCH / "PETR.Validate.agents.txt"],
                                    include_default=False)
    assert codes(validate, "Arnor and Gondor signed.") == ["ARN", "GON"]
    assert codes(validate, "Gondor police arrived.") == ["GONCOP"]
    # Boromir has the null code [---]: named, but not an actor.
    assert codes(validate, "Boromir spoke.") == []


def test_petrarch_agents_plurals_and_substitutions() -> None:
    text = "!PERSON! = MAN, MEN\nSOLDIER [~MIL]\nPOLICE {} [~COP]\nPOLICE!PERSON! [~COP]\n" \
           "ARMY [~MIL]\nAUTHORITY [~GOV]\nTRUCE_MONITOR [IGO~]\n"
    entries = read_petrarch_agents(text, path="x.txt")
    phrases = {e.phrase: (e.code, e.prefix) for e in entries}
    assert phrases["SOLDIERS"] == ("MIL", False)
    assert "POLICES" not in phrases
    assert phrases["POLICEMEN"] == ("COP", False)
    assert phrases["ARMIES"] == ("MIL", False)
    assert phrases["AUTHORITIES"] == ("GOV", False)
    assert phrases["TRUCE MONITOR"] == ("IGO", True)


def test_petrarch_actor_format() -> None:
    text = ("# comment\nVENEZUELA_ [VEN]\n+VENEZUELAN_\nHUGO_CHAVEZ_  # note\n"
            "\t[VENGOV 990202-130305]\n\t[VENELI]\nX [IRQ <20030320] [IRQOCC 20030320-060520]\n")
    entries = read_petrarch_actors(text, path="x.txt")
    assert [e.phrases for e in entries] == [("VENEZUELA", "VENEZUELAN"), ("HUGO CHAVEZ",),
                                            ("X",)]
    chavez = entries[1].codes
    assert chavez[0].code == "VENGOV"
    assert dt.date.fromordinal(chavez[0].start) == dt.date(1999, 2, 2)
    assert not chavez[1].dated


def test_user_csv_dictionary(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("name,aliases,code,start,end,title\n"
                    "Acme Widgets,Acme,USABUS,,,\n"
                    "Jane Roe,Roe;Governor Roe,USAGOV,2020-01-01,2022-12-31,Governor\n",
                    encoding="utf-8")
    mine = ActorDictionary.load([path])
    assert codes(mine, "Acme sued Venezuela.") == ["USABUS", "VEN"]
    assert codes(mine, "Roe spoke.", dt.date(2021, 1, 1)) == ["USAGOV"]
    # Outside her term she is still American: an elite (ELI), as CAMEO codes ex-officials.
    assert codes(mine, "Roe spoke.", dt.date(2023, 1, 1)) == ["USAELI"]
    alone = ActorDictionary.load([path], include_default=False)
    assert codes(alone, "Acme sued Venezuela.") == ["USABUS"]


def test_user_yaml_dictionary(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("- name: Blue Widget Party\n  aliases: [BWP]\n  code: GBROPP\n",
                    encoding="utf-8")
    mine = ActorDictionary.load(path)
    assert codes(mine, "The BWP protested.") == ["GBROPP"]


def test_user_petrarch_dictionary(tmp_path: Path) -> None:
    path = tmp_path / "mine.actors.txt"
    path.write_text("FREEDONIA_ [FRD]\n+FREEDONIAN_\n", encoding="utf-8")
    mine = ActorDictionary.load([path])
    assert codes(mine, "The Freedonian army crossed into Venezuela.") == ["FRDMIL", "VEN"]


@pytest.mark.parametrize(("name", "content", "line"), [
    ("bad.txt", "GOOD [ABC]\nBAD [ABC 99-99]\n", 2),
    ("bad.txt", "GOOD [ABC]\n+SYN\nNOCODE\nNEXT [DEF]\n", 3),
    ("bad.csv", "name,aliases,code,start,end,title\nX,,ABC,,,\nY,,ABC,yesterday,,\n", 3),
    ("bad.csv", "name,code\nX,ABC\n,DEF\n", 3),
])
def test_bad_user_file_names_the_line(tmp_path: Path, name: str, content: str,
                                      line: int) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DictionaryError) as info:
        ActorDictionary.load([path], include_default=False)
    assert info.value.line == line
    assert str(path) in str(info.value)


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(DictionaryError):
        ActorDictionary.load([path])


def test_resolve_record(actors: ActorDictionary) -> None:
    record = {"id": "a-1", "text": "President Luiz Inacio Lula da Silva", "date": "2024-05-01"}
    assert resolve_record(record, actors).to_dict() == {
        "id": "a-1", "code": "BRAGOV", "country": "BRA", "agent": "GOV", "name": "Brazil"}
    igo = resolve_record({"id": "a-2", "text": "NATO"}, actors)
    assert (igo.code, igo.country) == ("IGOWSTNAT", "IGO")
    unknown = resolve_record({"id": "a-3", "text": "the weather"}, actors)
    assert unknown.to_dict() == {"id": "a-3", "code": None, "country": None, "agent": None,
                                 "name": None}


@pytest.mark.parametrize("record", [{"text": "x"}, {"id": "a"}, {"id": "a", "text": 3},
                                   {"id": "a", "text": "x", "date": "soon"}, ["id"]])
def test_resolve_record_rejects_bad_records(actors: ActorDictionary, record: object) -> None:
    with pytest.raises(InputError):
        resolve_record(record, actors)  # type: ignore[arg-type]


def test_find_mentions_is_fast(actors: ActorDictionary) -> None:
    sentence = ("Venezuela has asked Russia, China and Iran for military aid as the "
                "U.S. Navy builds up forces in the Caribbean, officials said on Tuesday.")
    started = time.perf_counter()
    for _ in range(300):
        actors.find_mentions(sentence)
    assert (time.perf_counter() - started) / 300 < 0.003


def test_public_names() -> None:
    assert set(actors_module.__all__) == {"ActorCode", "ActorDictionary", "ActorMention",
                                          "ResolvedActor", "resolve_record"}
