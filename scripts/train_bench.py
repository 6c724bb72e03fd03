"""Inference speed of the shipped classifier: marked pairs per second, batch 32.

    .venv/bin/python scripts/train_bench.py [--model-dir DIR] [--n 1024]

Uses plv_train's marked sentences (real wire sentences, about 24 words each).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from allegiance.classifier import EventClassifier, default_model_dir

DATA = Path(__file__).resolve().parent.parent / ".." / "shared" / "data" / "eval"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", default=str(default_model_dir()))
    ap.add_argument("--n", type=int, default=1024)
    args = ap.parse_args()
    with (DATA / "plv_train.jsonl").open(encoding="utf-8") as fh:
        texts = [json.loads(line)["marked"] for line in fh]
    texts = (texts * (args.n // len(texts) + 1))[:args.n]
    for threads in (1, 2):
        clf = EventClassifier.load(args.model_dir, threads=threads)
        clf.predict_proba(texts[:64])  # warm-up
        t0 = time.perf_counter()
        clf.predict_proba(texts, batch_size=32)
        rate = len(texts) / (time.perf_counter() - t0)
        print(f"threads={threads}: {rate:.0f} pairs/s (batch 32, n={len(texts)})",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
