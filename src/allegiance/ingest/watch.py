"""Polling feeds: ``allegiance ingest --watch FEEDS.txt --every 15m``.

This module only keeps time and reads the feed list. What a round does is the
caller's ``run_once(feeds)`` (the CLI wires it to the ingest, which asks the store
which links are known, so each round ingests only what is new).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from allegiance.errors import AllegianceError, ConfigError

__all__ = ["MIN_EVERY", "parse_every", "read_feed_list", "watch"]

logger = logging.getLogger(__name__)

# Polling a feed more often than this only loads its server: news feeds change
# every few minutes at most.
MIN_EVERY = 10.0
_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)


def parse_every(value: str) -> float:
    """Seconds from ``30s``, ``15m``, ``2h``, ``1d`` or a bare number of seconds."""
    match = _EVERY.match(value)
    if match is None:
        raise ConfigError(f"--every must look like 15m, 1h or 30s; got {value!r}")
    seconds = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if seconds < MIN_EVERY:
        raise ConfigError(
            f"--every must be at least {MIN_EVERY:g}s, to be polite to the feeds' servers; "
            f"got {value!r}"
        )
    return seconds


def _feed_url(line: str, where: str) -> str:
    parts = urlsplit(line)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{where}: not an http(s) feed URL: {line!r}")
    return line


def read_feed_list(path: str | Path) -> list[str]:
    """Feed URLs from a text file: one per line; blank lines and ``#`` comments ignored.

    A ``#`` starts a comment at the start of a line or after a space, so URL
    fragments (``page#top``) survive. Duplicates are dropped, order is kept.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the feed list {path}: {exc}") from None
    urls: list[str] = []
    for number, raw in enumerate(lines, start=1):
        line = re.split(r"(?:^|\s)#", raw, maxsplit=1)[0].strip()
        if line:
            url = _feed_url(line, f"{path}:{number}")
            if url not in urls:
                urls.append(url)
    if not urls:
        raise ConfigError(f"{path} lists no feed URLs: write one http(s) URL per line")
    return urls


def _run_round(run_once: Callable[[list[str]], Any], feeds: list[str], number: int) -> None:
    try:
        run_once(feeds)
    except AllegianceError as err:
        # One failed round (store briefly locked, a bad setting fixed later) should
        # not end a watch meant to run for days; the next round tries again.
        logger.error("watch round %d failed: %s", number, err)


def watch(
    feeds: list[str],
    every: float,
    run_once: Callable[[list[str]], Any],
    *,
    rounds: int | None = None,
    sleep: Callable[[float], None] | None = None,
    stop: threading.Event | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Call ``run_once(feeds)`` every ``every`` seconds; return the rounds run.

    Each wait is ``every`` minus the time the round took, so rounds start on a
    steady beat. ``rounds=None`` runs until KeyboardInterrupt or until ``stop`` is
    set; both end the loop cleanly. With ``stop`` and no ``sleep``, the wait is
    ``stop.wait``, so setting it wakes the loop at once. A round that raises an
    :class:`~allegiance.errors.AllegianceError` is logged and the loop goes on;
    other exceptions are bugs and propagate.
    """
    wait = sleep or (stop.wait if stop is not None else time.sleep)
    done = 0
    try:
        while rounds is None or done < rounds:
            if stop is not None and stop.is_set():
                break
            started = clock()
            done += 1
            _run_round(run_once, feeds, done)
            if rounds is not None and done >= rounds:
                break
            wait(max(0.0, every - (clock() - started)))
    except KeyboardInterrupt:
        logger.info("watch stopped after %d rounds", done)
    return done
