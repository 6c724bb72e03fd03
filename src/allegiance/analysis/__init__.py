"""Analysis over the store: it reads the store and never writes to it (docs/analysis.md).

    frames.py   stored events as pandas DataFrames
    load.py     the analysed events of a window, with actor keys (shared by the rest)
    dyad.py     a dyad's series: counts, Goldstein, the cooperation-conflict index
    profile.py  one actor's partners, appeals, what was done to it, what changed
    shifts.py   dyads that moved beyond their own history, with the events that drove it
    brief.py    cited briefs realised from events by templates, and their check
    names.py    readable names for actor keys

The network, alerts and pictures go here next.
"""

from __future__ import annotations

from allegiance.analysis.brief import Brief, build_brief, render, verify
from allegiance.analysis.dyad import dyad_series
from allegiance.analysis.frames import events_frame
from allegiance.analysis.load import Window, load_events
from allegiance.analysis.profile import ActorProfile, actor_profile
from allegiance.analysis.shifts import shifts

__all__ = ["ActorProfile", "Brief", "Window", "actor_profile", "build_brief", "dyad_series",
           "events_frame", "load_events", "render", "shifts", "verify"]
