"""The overview, computed at most once a minute per app, never while a visitor waits.

On a million events the overview (``analysis.overview``) costs most of a second; a
dashboard left open and reloaded, or several people looking at once, should not pay it
each time. The app computes it as it starts, before it takes requests; after that,
:func:`cached_overview` answers from the last result and, once that is older than
:data:`TTL` seconds, has it computed again in the background (stale while revalidating,
as HTTP caches do): a request never waits for the computation, except when there is no
result at all (an empty store, or just after an ingest through the API cleared it). The
JSON twin (``/index.json``) reads the same cache, so both always agree.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from allegiance.analysis.overview import Overview, overview

__all__ = ["TTL", "OverviewCache", "cached_overview"]

TTL = 60.0  # seconds an overview is shown before it is computed again

log = logging.getLogger(__name__)


@dataclass
class OverviewCache:
    """The last overview of one store, and when it was computed."""

    ttl: float = TTL
    clock: Any = time.monotonic
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _value: Overview | None = None
    _at: float = 0.0
    _refreshing: threading.Thread | None = None
    _generation: int = 0  # clear() moves it on: a refresh begun before is dropped

    def get(self, store: Any) -> Overview:
        with self._lock:  # with no result yet: one computes, the others wait for it
            if self._value is None:
                # An empty store raises NoDataError here, and is asked again next time:
                # telling that it is empty costs one indexed read.
                self._value = overview(store)
                self._at = self.clock()
            elif self.clock() - self._at > self.ttl and self._refreshing is None:
                self._refreshing = threading.Thread(
                    target=self._refresh, args=(store, self._generation),
                    name="allegiance-overview", daemon=True)
                self._refreshing.start()
            return self._value

    def _refresh(self, store: Any, generation: int) -> None:
        try:
            fresh: Overview | None = overview(store)
        except Exception:  # keep showing the last one; a request recomputes if cleared
            log.exception("recomputing the overview failed; showing the previous one")
            fresh = None
        with self._lock:
            self._refreshing = None
            if fresh is not None and generation == self._generation:
                self._value, self._at = fresh, self.clock()
            elif fresh is None and self._value is not None:
                self._at = self.clock()  # try again after another TTL, not at once

    def wait(self) -> None:
        """Let a background computation finish (closing the app, tests)."""
        thread = self._refreshing
        if thread is not None:
            thread.join()

    def clear(self) -> None:
        with self._lock:
            self._value = None
            self._generation += 1


def cached_overview(app: Any) -> Overview:
    """The app's overview, from its cache (``create_app`` makes it at start)."""
    cache: OverviewCache = app.state.overview_cache
    return cache.get(app.state.store)
