"""Compile the shipped actor dictionaries into src/allegiance/data/actors/compiled.pickle.

Run after editing any file in src/allegiance/data/actors/ (office_holders.csv included):

    .venv/bin/python scripts/build_actors.py

Without a fresh pickle the package still works: it compiles the dictionaries at first
use (about a second) and caches them under ~/.cache/allegiance/.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from allegiance.actors._sources import COMPILED_NAME, compile_default, fingerprint, save_compiled

OUT = Path(__file__).resolve().parent.parent / "src" / "allegiance" / "data" / "actors"


def main() -> int:
    started = time.perf_counter()
    tables = compile_default()
    target = OUT / COMPILED_NAME
    save_compiled(tables, fingerprint(), target)
    print(f"{target}: {len(tables.actor_keys)} actor phrases, {len(tables.agent_keys)} "
          f"role phrases, {target.stat().st_size / 1e6:.1f} MB, "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
