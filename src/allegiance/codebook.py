"""The CAMEO event codebook: code -> name, Goldstein score, PLOVER category, QuadClass.

Read from ``data/cameo_codes.tsv`` (facts from the CAMEO 1.1b3 / GDELT codebook and the
CAMEO2PLOVER-2021 table; see ``scripts/build_codebook.py``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["CODER_CLASSES", "CameoCode", "Codebook", "class_of_root", "codebook"]

# The classifier's event classes: PLOVER-style names for CAMEO roots, as in the PLV
# data (roots 18-20 share ASSAULT), plus the two verbal roots PLOVER leaves out.
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
    """The coder class of a CAMEO root ("19" -> "ASSAULT")."""
    return _ROOT_TO_CLASS[root[:2]]


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
