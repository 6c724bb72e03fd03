"""The coder's known precision traps (issue 8), each a sentence of our own.

Each test names the trap: who acts, on whom, and what must not be coded.
"""

from __future__ import annotations

import datetime as dt

from allegiance.pipeline.coder import Coder
from allegiance.pipeline.document import Article


def dyads(coder: Coder, text: str) -> set[tuple[str | None, str, str | None]]:
    # Who acts on whom, whatever the confidence: these are the mechanics of attribution.
    doc = coder.replace(min_confidence=0.0).code(
        Article(id="t", text=text, date=dt.date(2024, 5, 1)))
    return {(e.source.code if e.source else None, e.cameo, e.target.code if e.target else None)
            for e in doc.events}


def test_a_pattern_that_needs_more_than_the_verb_makes_a_light_verb_an_event(
        coder: Coder) -> None:
    # "give" and "turn" are on the non-event list, but these patterns need more words.
    assert ("USA", "072", "UKR") in dyads(
        coder, "The United States gave Ukraine $2 billion in military aid.")
    assert ("VEN", "0232", "RUS") in dyads(coder, "Venezuela turned to Russia for military aid.")


def test_every_listed_subject_acts_even_in_the_fallback_frame(coder: Coder) -> None:
    found = dyads(coder, "The United Nations and NATO condemned the attack on the convoy by "
                         "Russia.")
    assert {s for s, _, _ in found} == {"IGOUNO", "IGOWSTNAT"}


def test_a_venue_is_not_a_target(coder: Coder) -> None:
    found = dyads(coder, "Ethiopian and Eritrean officials signed the accord in Qatar on "
                         "Tuesday.")
    assert found and all(t != "QAT" and s != "QAT" for s, _, t in found)


def test_the_victims_of_a_passive_attack_are_not_its_source(coder: Coder) -> None:
    found = dyads(coder, "Four civilians were killed in an Israeli airstrike in Gaza.")
    assert found and all(s == "ISR" for s, _, _ in found)


def test_an_adjective_names_the_attacker_once(coder: Coder) -> None:
    found = dyads(coder, "Israeli airstrikes killed 40 people in Gaza on Monday.")
    assert found == {("ISR", "195", "PSE")}  # not also a one-sided ISR 195


def test_a_co_actor_is_a_source_not_a_target(coder: Coder) -> None:
    found = dyads(coder, "Japan joined the United States in condemning North Korea's missile "
                         "test.")
    assert ("JPN", "111", "PRK") in found and ("USA", "111", "PRK") in found
    assert not any(s == "JPN" and t == "USA" for s, _, t in found)


def test_organisations_are_told_apart_within_an_article(coder: Coder) -> None:
    # Two IGOs acting on the same target in one article are two actors, not one repeat.
    doc = coder.code(Article(id="t", text=(
        "The United Nations condemned Russia on Monday. NATO also condemned Russia."),
        date=dt.date(2024, 5, 1)))
    assert {e.source.code for e in doc.events if e.source} == {"IGOUNO", "IGOWSTNAT"}


def test_datelines_credits_and_captions_name_no_actors(coder: Coder) -> None:
    assert all(s != "USA" for s, _, _ in dyads(
        coder, "WASHINGTON (Reuters) - Iranian forces seized a tanker in the Gulf."))
    assert dyads(coder, "FILE - Turkish President Recep Tayyip Erdogan meets Russian "
                        "President Vladimir Putin in Sochi, Russia, Sept. 17, 2018.") == set()
    assert dyads(coder, "Russian soldiers guard a Ukrainian border post in Crimea, March 1, "
                        "2014.") == set()  # a caption by its last words
    assert dyads(coder, "Russian soldiers seized a Ukrainian border post in Crimea on "
                        "March 1, 2014.")  # news: the date comes with "on"
    # A bare headline: the protesters are not Israel's army; the lead says who did what.
    assert dyads(coder, "International Protests Against Israeli Military Offensive on Gaza") \
        == set()
    assert dyads(coder, "Israeli jets struck targets in Gaza on Monday.")


def test_co_actors_of_a_one_sided_statement_are_not_each_others_targets(coder: Coder) -> None:
    found = dyads(coder, "The United States and Britain condemned the decision on Monday.")
    assert not any(s and t and {s, t} == {"USA", "GBR"} for s, _, t in found)
    agreed = dyads(coder, "Kenya and Tanzania agreed to hold joint naval patrols.")
    assert {(s, t) for s, _, t in agreed} >= {("KEN", "TZA"), ("TZA", "KEN")}


def test_an_outlet_told_or_telling_is_no_side_of_the_event(coder: Coder) -> None:
    # Trap 3: the audience of a statement and the agency that passes it on.
    told = coder.code_text("Senator John Smith told reporters on Tuesday that the bill "
                           "would pass.")
    assert not [e for e in told if e.target and "MED" in e.target.code]
    cited = coder.code_text("State news agency TASS cited Moscow police as saying they "
                            "made 500 arrests.")
    assert not [e for e in cited if e.source and "MED" in e.source.code]
    # An outlet acted on is a target like any other.
    (e,) = [e for e in coder.code_text("Russia banned the BBC on Monday.") if e.target]
    assert "MED" in e.target.code


def test_a_destination_is_no_target(coder: Coder) -> None:
    # Trap 4: "evacuated its diplomats to Ankara" does nothing to Turkey.
    text = ("New Zealand closed its embassy in Tehran and evacuated its diplomats to Ankara, "
            "Turkey.")
    assert not [e for e in coder.replace(min_confidence=0.0).code_text(text)
                if e.target and e.target.country == "TUR"]
    # Giving back is not going: the recipient stays the target.
    returned = coder.replace(min_confidence=0.0).code_text(
        "Ukraine returned 40 prisoners of war to Russia.")
    assert any(e.target and e.target.country == "RUS" for e in returned)
