"""The overview, computed at most once a minute per app.

On a million events the overview (``analysis.overview``) costs about half a second; a
dashboard left open and reloaded, or several people looking at once, should not pay it
each time. :func:`cached_overview` keeps the last result for :data:`TTL` seconds and lets
one request compute it while the others wait for that result; the app computes it once
at start (``warm``) so the first visitor does not wait either. An ingest through the API
clears it. The JSON twin (``/index.json``) reads the same cache, so both always agree.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from allegiance.analysis.overview import Overview, overview

__all__ = ["TTL", "OverviewCache", "cached_overview"]

TTL = 60.0  # seconds an overview is shown before it is computed again


@dataclass
class OverviewCache:
    """The last overview of one store, and when it was computed."""

    ttl: float = TTL
    clock: Any = time.monotonic
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _value: Overview | None = None
    _at: float = 0.0

    def get(self, store: Any) -> Overview:
        with self._lock:  # one computes, the others wait for its answer
            if self._value is None or self.clock() - self._at > self.ttl:
                # An empty store raises NoDataError here, and is asked again next time:
                # telling that it is empty costs one indexed read.
                self._value = overview(store)
                self._at = self.clock()
            return self._value

    def clear(self) -> None:
        with self._lock:
            self._value = None


def cached_overview(app: Any) -> Overview:
    """The app's overview, from its cache (``create_app`` makes it at start)."""
    cache: OverviewCache = app.state.overview_cache
    return cache.get(app.state.store)
