"""The CAMEO event codebook: code -> name, Goldstein score, PLOVER category, QuadClass.

Read from ``data/cameo_codes.tsv`` (facts from the CAMEO 1.1b3 / GDELT codebook and the
CAMEO2PLOVER-2021 table; see ``scripts/build_codebook.py``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["CODER_CLASSES", "CameoCode", "Codebook", "class_of_root", "code_class", "codebook"]

# The classifier's event classes: the PLOVER categories, plus the two verbal roots
# PLOVER leaves out (STATEMENT 01, APPEAL 02) and INVESTIGATE (09, which PLOVER-2021
# files under ACCUSE). Each is listed with the CAMEO roots it mostly covers; the exact
# class of a code follows the CAMEO2PLOVER-2021 table (see ``code_class``), as the PLV
# training data does: sanctions (163) are COERCE, occupation (192) is COERCE.
CODER_CLASSES: dict[str, tuple[str, ...]] = {
    "STATEMENT": ("01",),
    "APPEAL": ("02",),
    "AGREE": ("03",),
    "CONSULT": ("04",),
    "SUPPORT": ("05",),
    "COOPERATE": ("06",),
    "AID": ("07",),
    "YIELD": ("08",),
    "INVESTIGATE": ("09",),
    "REQUEST": ("10",),
    "ACCUSE": ("11",),
    "REJECT": ("12",),
    "THREATEN": ("13",),
    "PROTEST": ("14",),
    "MOBILIZE": ("15",),
    "SANCTION": ("16",),
    "COERCE": ("17",),
    "ASSAULT": ("18", "19", "20"),
}

_ROOT_TO_CLASS = {root: name for name, roots in CODER_CLASSES.items() for root in roots}


def class_of_root(root: str) -> str:
    """The coder class a CAMEO root mostly belongs to ("19" -> "ASSAULT")."""
    return _ROOT_TO_CLASS[root[:2]]


def code_class(code: str) -> str:
    """The classifier class of a full CAMEO code, by the CAMEO2PLOVER-2021 table."""
    root = code[:2]
    if root in ("01", "02"):
        return class_of_root(root)
    plover = codebook()[code].plover if code in codebook() else None
    return plover if plover in CODER_CLASSES else class_of_root(root)


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    root: str
    name: str
    goldstein: float
    goldstein_icews: float
    plover: str | None
    plover_mode: str | None
    plover_context: str | None
    quad: int
    pentaclass: int

    @property
    def coder_class(self) -> str:
        return class_of_root(self.root)


class Codebook:
    """All CAMEO event codes, looked up by code."""

    def __init__(self, codes: list[CameoCode]) -> None:
        self._codes = {c.code: c for c in codes}

    def __getitem__(self, code: str) -> CameoCode:
        try:
            return self._codes[code]
        except KeyError:
            raise KeyError(f"{code!r} is not a CAMEO event code in the codebook") from None

    def __contains__(self, code: object) -> bool:
        return code in self._codes

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._codes.values())

    def __len__(self) -> int:
        return len(self._codes)

    def codes(self) -> list[str]:
        return list(self._codes)


def _opt(value: str) -> str | None:
    return value or None


@cache
def codebook() -> Codebook:
    """The shipped codebook (read once)."""
    text = resources.files("allegiance.data").joinpath("cameo_codes.tsv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return Codebook([
        CameoCode(
            code=r["code"], root=r["root"], name=r["name"],
            goldstein=float(r["goldstein"]), goldstein_icews=float(r["goldstein_icews"]),
            plover=_opt(r["plover"]), plover_mode=_opt(r["plover_mode"]),
            plover_context=_opt(r["plover_context"]), quad=int(r["quad"]),
            pentaclass=int(r["pentaclass"]),
        )
        for r in rows
    ])
