"""Analysis over the store: it reads the store and never writes to it.

    frames.py  stored events as pandas DataFrames

The dyad series, actor profiles, network, shifts, alerts and briefings go here.
"""

from __future__ import annotations

from allegiance.analysis.frames import events_frame

__all__ = ["events_frame"]
