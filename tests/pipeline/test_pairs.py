"""Pair frames: actor pairs no parse frame links, put forward only when asked for."""

from __future__ import annotations

from allegiance.pipeline.coder import Coder
from allegiance.pipeline.config import DEFAULT_STAGES
from allegiance.pipeline.document import Article

UP_TO_EVENTS = DEFAULT_STAGES[:DEFAULT_STAGES.index("events.v1") + 1]


def frames(coder: Coder, text: str) -> list[tuple[bool, str, list[str], list[str]]]:
    doc = coder.code(Article(id="p", text=text))
    return [(f.pair, f.trigger.text, [m.code for m in f.sources], [m.code for m in f.targets])
            for f in doc.frames]


def test_pair_frames_join_actors_the_role_rules_miss(coder: Coder) -> None:
    paired = coder.replace(pair_frames=True, stages=UP_TO_EVENTS)
    text = "Egypt's mediation between Israel and Hamas continued."
    found = frames(paired, text)
    assert (True, "mediation", ["EGY"], ["ISR"]) in found
    assert (True, "mediation", ["ISR"], ["EGY"]) in found  # both directions: the model decides
    assert not any(f[2] == ["ISR"] and f[3] == ["PSEREBHMS"] for f in found)  # one list
    # Off by default, and never for two actors in one phrase.
    assert not any(f[0] for f in frames(coder.replace(stages=UP_TO_EVENTS), text))
    assert not any(f[0] for f in frames(paired, "Russian President Vladimir Putin spoke."))
