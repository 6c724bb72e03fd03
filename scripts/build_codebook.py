"""Build src/allegiance/data/cameo_codes.tsv from the shared reference tables.

Only facts are shipped (codes, names, scores, mappings); the CAMEO manual's prose
(CC BY-NC-SA) stays out of the package. Run: python scripts/build_codebook.py SHARED_DATA_DIR
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

# PLOVER has no category for public statements (01); appeals (02) are requests,
# as in the original CAMEO-to-PLOVER crosswalk and the coding contract.
ROOT_FALLBACK = {"02": "REQUEST"}


def quad_of(root: str) -> int:
    r = int(root)
    if r <= 5:
        return 1
    if r <= 8:
        return 2
    if r <= 13:
        return 3
    return 4


def main(shared: Path, out: Path) -> None:
    ref = shared / "reference"
    codebook = [json.loads(x) for x in (ref / "cameo_codebook.jsonl").open()]
    table = [json.loads(x) for x in (ref / "plover_ontology.jsonl").open()][-1]["mapping"]
    with out.open("w", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["code", "root", "name", "goldstein", "goldstein_icews", "plover",
                    "plover_mode", "plover_context", "quad", "pentaclass"])
        by_code = {c["code"]: c for c in codebook}
        for c in codebook:
            code, root = c["code"], c["root"]
            parent = by_code.get(code[:-1], by_code[root])
            for key in ("goldstein_gdelt", "goldstein_icews"):
                if c[key] is None:  # a few late codes carry no score: use the parent's
                    c[key] = parent[key]
            m = table.get(code) or {}
            plover = (m.get("plover_event") or (table.get(root) or {}).get("plover_event")
                      or ROOT_FALLBACK.get(root, ""))
            w.writerow([code, root, c["name_gdelt"] or c["name_manual_1.1b3"],
                        c["goldstein_gdelt"], c["goldstein_icews"], plover,
                        m.get("plover_mode") or "", m.get("plover_context") or "",
                        quad_of(root), c["penta_class_phoenix"]])


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).parent.parent / "src/allegiance/data/cameo_codes.tsv")
