"""Derive the shipped actor table ``data/actors/kb_actors.tsv.gz`` from the knowledge base.

    python scripts/build_kb_actors.py [--kb ../shared/data/kb]

The knowledge base (``shared/data/kb``: people with dated positions, parties, armed
groups, agencies; see its README) is too big to ship whole and holds more than the coder
reads. This keeps what actor resolution needs, gzipped, one actor a line:
``NAME|ALIAS|...<TAB>CODE@START/END CODE@START/END ... CODE`` with the codes in lookup
order (the first dated code covering the day wins, else the undated one; ISO dates, an
empty end is open):

- people: a dated code per position (its role read from its title), strongest role
  first, so that the strongest office held on a date wins; outside every position the
  person's main code (country + role);
- organisations: the suggested CAMEO code, ``{country}PTY`` for a party.

Names that could mislead are left out: person names of one word, aliases of one word,
names with digits, names two records share; person names made only of the commonest
name words ("Muhammad Ahmad"); organisation names made only of generic political words
("Democratic", "Socialist Party") or that are acronyms of three letters or fewer ("GNA");
UCDP's informal groups (kind ``other``) named by one word ("Black", "Islamists"). The
table is read in ``kb`` mode (``allegiance.actors``): it only adds names that no earlier
dictionary knows, so the curated tables keep their say. The knowledge base's licence
notices are copied beside it (``KB_NOTICE.md``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "allegiance" / "data" / "actors" / "kb_actors.tsv.gz"
NOTICE = OUT.parent / "KB_NOTICE.md"

# Title words -> role, checked in this order (the first that matches wins).
_TITLE_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for role, words in (
        ("OPP", r"leader of the opposition|opposition leader"),
        ("JUD", r"judge|justice of|court|prosecutor|attorney[- ]general|"
                r"solicitor[- ]general"),
        ("SPY", r"intelligence|security service|secret service"),
        ("COP", r"police|gendarmerie|interior troops"),
        # "general" alone is no soldier: Secretary-General, Governor-General, Attorney General
        ("MIL", r"chief of (?:the )?(?:general |defence |defense )?staff|commander|"
                r"armed forces|army|navy|air force|military|(?:brigadier|major|lieutenant)"
                r"[- ]general|general of the army"),
        ("PTY", r"party"),
        ("LEG", r"member of|deputy of|representative|senat|congress|parliament|assembly|"
                r"duma|knesset|riksdag|folketing|sejm|saeima|teachta|lords|legislat|"
                r"speaker|mp\b"),
        ("GOV", r"president|prime minister|minister|premier|chancellor|governor|mayor|"
                r"ambassador|secretary|king|queen|emir|sultan|monarch|head of state|"
                r"head of government|vice|cabinet|council of state|central bank"),
    ))
_INTERNATIONAL = re.compile(r"\b(?:United Nations|UN|World Bank|International|European "
                            r"(?:Commission|Union|Parliament|Council)|NATO|African Union|"
                            r"Council of Europe|OSCE|IMF|WHO|secretary[- ]general)\b")
# Weakest first: rows written later win the dates they cover.
_STRENGTH = ("LEG", "PTY", "JUD", "COP", "SPY", "OPP", "MIL", "GOV")
_ROLE_CODES = frozenset({"GOV", "LEG", "OPP", "MIL", "JUD", "PTY", "SPY", "COP", "REB",
                         "BUS"})


# Words that name no party or group on their own: "Democratic", "the Socialist Party".
_GENERIC = frozenset("""
democratic democrats democrat socialist socialists social republican republicans labour
labor liberal liberals conservative conservatives green greens national nationalist
popular people people's peoples progressive progressives communist communists christian
christians islamic islamist islamists muslim muslims workers worker party parties front
movement alliance union unity freedom justice development new united reform independent
independents left right centre center citizens congress league rally forward the of and
for list bloc coalition patriotic patriots radical revolutionary federal federation
agrarian farmers green ecologists ecology solidarity hope change action renewal civic
""".split())
# A person's name made only of words this common among the knowledge base's names
# ("Muhammad Ahmad", "Ali Hassan") names too many people to mean one.
COMMON_NAME_WORD = 150


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", folded.lower()).strip()


def title_role(title: str) -> str | None:
    for role, pattern in _TITLE_ROLES:
        if pattern.search(title):
            return role
    return None


def _person_name_ok(name: str) -> bool:
    words = name.split()
    return (len(words) >= 2 and not re.search(r"\d", name) and name[:1].isupper()
            and len(name) <= 60)


def _org_name_ok(name: str, kind: str) -> bool:
    words = name.split()
    if re.search(r"\d", name) or not name[:1].isupper() or len(words) > 7:
        return False
    if all(w in _GENERIC for w in _key(name).split()):
        return False
    if name.isupper() and len(name) <= 3:
        return False  # "GNA": Gambia's army, and Libya's government of national accord
    return len(words) >= 2 or (len(name) >= 3 and kind != "other")


def _code(country: str | None, role: str | None) -> str | None:
    """Country + role; None without a role code: a person coded by nationality alone
    would act as the state (a UN official as Austria)."""
    if country is None or role not in _ROLE_CODES:
        return None
    return country + role


def _common_name_words(records: list[dict[str, Any]]) -> set[str]:
    counts = Counter(w for r in records for w in set(_key(r["name"]).split()))
    return {w for w, n in counts.items() if n >= COMMON_NAME_WORD}


def people_rows(path: Path) -> Iterator[tuple[list[str], str, list[list[str]]]]:
    """(names, country, rows) for each person whose names are safe to match."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    common = _common_name_words(records)
    for r in records:
        names = [n for n in [r["name"], *r.get("aliases", [])] if _person_name_ok(n)
                 and not set(_key(n).split()) <= common]
        main = _code(r.get("country"), r.get("role"))
        if not names or main is None:
            continue
        dated = []
        for p in r.get("positions", []):
            if _INTERNATIONAL.search(p.get("title") or ""):
                continue  # an office of an international body is no office of the state
            role = title_role(p.get("title") or "") or r.get("role")
            code = _code(p.get("country") or r.get("country"), role)
            start = p.get("start") or ""
            end = p.get("end") or ""
            if code is None or not start:
                continue
            dated.append((_STRENGTH.index(role) if role in _STRENGTH else -1,
                          [code, start, end, p.get("title") or ""]))
        dated.sort(key=lambda item: item[0])
        if all(row[0] == main for _, row in dated):
            dated = []  # the dates would say nothing the main code does not
        rows = [[main, "", "", ""], *(row for _, row in dated)]
        yield names, r["country"], rows


def org_rows(path: Path) -> Iterator[tuple[list[str], str, list[list[str]]]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        code = r.get("cameo")
        if r["kind"] == "party":
            code = f"{r['country']}PTY" if r.get("country") and not code else code
        if not code or not re.fullmatch(r"[A-Z]{3,15}", code):
            continue
        names = [n for n in [r["name"], *r.get("aliases", [])] if _org_name_ok(n, r["kind"])]
        if names:
            yield names, r.get("country") or code[:3], [[code, "", "", r["kind"]]]


def build(kb: Path) -> list[str]:
    """The table's lines; a name two records claim (two people, or a person and a group)
    is dropped everywhere: it means neither for sure."""
    items = [*people_rows(kb / "people.jsonl"), *org_rows(kb / "organizations.jsonl")]
    owners: dict[str, set[str]] = defaultdict(set)
    for k, (names, _, rows) in enumerate(items):
        for n in names:
            owners[_key(n)].add(f"{k}:{rows[0][0]}")
    out = []
    for names, _, rows in items:
        kept = [n for n in dict.fromkeys(names) if len(owners[_key(n)]) == 1]
        if not kept:
            continue
        # rows: the undated main code, then dated ones weakest first -> lookup order
        codes = [f"{c}@{s}/{e}" for c, s, e, _ in reversed(rows[1:])]
        out.append("|".join(kept) + "\t" + " ".join([*codes, rows[0][0]]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kb", type=Path, default=ROOT.parent / "shared" / "data" / "kb")
    args = ap.parse_args()
    rows = build(args.kb)
    # mtime=0: the same input gives the same bytes, so git sees no change on a rebuild
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(("\n".join(rows) + "\n").encode("utf-8"))
    shutil.copyfile(args.kb / "NOTICE.md", NOTICE)
    print(f"{len(rows)} rows -> {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
