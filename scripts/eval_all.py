"""Score the coder on every dev gold set and print a Markdown table for BENCHMARKS.md.

    python scripts/eval_all.py [--shared ../shared/data] [--classifier-dir DIR]

`--classifier-dir` scores with another classifier build, e.g. one trained on
plv_train alone (`scripts/train_classifier.py --no-extras --out DIR`), so that the
end-to-end figures on the other sets are not measured on the classifier's own
training data. The PETRARCH unit tests use their fictional dictionaries.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from allegiance.evaluate import evaluate_file
from allegiance.pipeline.coder import Coder, CoderConfig

ROOT = Path(__file__).resolve().parent.parent
METRICS = ("e2e_root", "e2e_code", "e2e_plover", "e2e_pentaclass", "e2e_source_country",
           "e2e_target_country", "actor_country", "classify_plover", "classify_pentaclass",
           "detection")


def _coder(name: str, shared: Path, args: argparse.Namespace) -> Coder:
    options = {"classifier_dir": args.classifier_dir, "min_confidence": args.min_confidence,
               "use_acceptance": not args.hand_set_confidence}
    if name.startswith("petrarch"):
        validate = shared / "petrarch"
        return Coder(CoderConfig(
            actor_files=(validate / "PETR.Validate.actors.txt",
                         validate / "PETR.Validate.agents.txt"),
            default_actors=False, **options))
    return Coder(CoderConfig(**options))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--classifier-dir", type=Path, default=None)
    ap.add_argument("--min-confidence", type=float, default=None)
    ap.add_argument("--hand-set-confidence", action="store_true")
    args = ap.parse_args()
    header = ("| set | records | " + " | ".join(METRICS)
              + " | triples P/R/F1 | dyads P/R/F1 | confidence AUC |")
    print(header)
    print("|" + "---|" * (len(METRICS) + 5))
    for gold in sorted((args.shared / "eval").glob("*.jsonl")):
        start = time.perf_counter()
        rep = evaluate_file(gold, coder=_coder(gold.name, args.shared, args))
        cells = []
        for name in METRICS:
            t = rep.tallies.get(name)
            cells.append(f"{t.accuracy:.3f} ({t.n})" if t and t.n and t.accuracy is not None
                         else "-")
            if name == "classify_plover" and t and t.n and t.macro_f1 is not None:
                cells[-1] += f", F1 {t.macro_f1:.3f}"
        prf = [f"{t['precision']:.2f}/{t['recall']:.2f}/{t['f1']:.2f}" if t else "-"
               for t in (rep.triples.get("triples"), rep.triples.get("dyads"))]
        auc = f"{rep.confidence_auc:.2f}" if rep.confidence_auc is not None else "-"
        print(f"| {gold.stem} | {rep.records} | " + " | ".join(cells) + f" | {' | '.join(prf)} |"
              f" {auc} |"
              f" <!-- {time.perf_counter() - start:.0f}s -->")


if __name__ == "__main__":
    main()
