"""Code the seed article, the demo corpus and every dev set; write one JSON Lines file each.

Run before and after a change that must not alter behaviour, then compare the folders:

    python scripts/snapshot_outputs.py /tmp/before
    ... change ...
    python scripts/snapshot_outputs.py /tmp/after && diff -r /tmp/before /tmp/after

The inputs go through ``allegiance code`` exactly as a user runs it (the contract's path).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
INPUTS = {
    "seed_article": [str(ROOT / "examples" / "venezuela_military_aid.txt"), "--date", "2026-11-24"],
    "demo_corpus": [str(ROOT / "src/allegiance/data/samples/world_news_demo.jsonl")],
    **{f"dev_{p.stem}": [str(p)] for p in sorted((SHARED / "eval").glob("*.jsonl"))},
}


def main(out_dir: str) -> int:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    exe = Path(sys.executable).with_name("allegiance")
    for name, args in INPUTS.items():
        with (out / f"{name}.jsonl").open("wb") as sink:
            done = subprocess.run([str(exe), "code", *args, "--format", "jsonl"], stdout=sink,
                                  stderr=subprocess.PIPE, check=False)
        print(f"{name}: exit {done.returncode}, {(out / f'{name}.jsonl').stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ".bench/snapshot"))
