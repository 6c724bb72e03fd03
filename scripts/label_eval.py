"""Score the coder on our labelled news (``labels/``), document by document.

    python scripts/label_eval.py [--split dev|test|train|all] [--no-acceptance]

Each document is coded whole (its sentences joined), as ``allegiance code`` codes an
article, and each event is matched to the labelled sentence it came from. A predicted
event is right when its (source, target, root) triple, actors compared by country (or
organisation), matches a gold event of that sentence that is not background (see
``allegiance.evaluate.labelled``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from allegiance.evaluate.labelled import documents, score
from allegiance.pipeline.coder import Coder


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev", choices=["train", "dev", "test", "all"])
    ap.add_argument("--no-acceptance", action="store_true", help="The hand-set confidence.")
    ap.add_argument("--min-confidence", type=float, default=None)
    ap.add_argument("--classifier-dir", default=None, help="Another classifier model folder.")
    ap.add_argument("--acceptance-model", default=None, help="Another acceptance.json.")
    args = ap.parse_args()
    options: dict[str, Any] = {"use_acceptance": not args.no_acceptance}
    if args.classifier_dir:
        options["classifier_dir"] = Path(args.classifier_dir)
    if args.acceptance_model:
        options["acceptance_file"] = Path(args.acceptance_model)
    if args.min_confidence is not None:
        options["min_confidence"] = args.min_confidence
    result = score(Coder(**options), documents(args.split))
    print(json.dumps({"split": args.split, **options, **result}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
