"""The README's Python examples and the modules' doctests run as written."""

from __future__ import annotations

import doctest
import importlib
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)

# Modules with doctests; each runs against real models and data, never the user's store.
DOCTESTED = [
    "allegiance.registry",
    "allegiance.actors",
    "allegiance.classifier",
    "allegiance.classifier.markers",
    "allegiance.pipeline.coder",
    "allegiance.pipeline.layout",
]


@pytest.mark.slow
def test_readme_python_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    blocks = BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 2
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)  # the examples write events.db here, not in the checkout
    monkeypatch.setenv("ALLEGIANCE_DB", str(tmp_path / "default.db"))
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "0232" in out  # Venezuela's appeal for military aid, coded and stored
    assert (tmp_path / "events.db").exists() and not (tmp_path / "default.db").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", DOCTESTED)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no doctests to run"
    assert result.failed == 0


def test_every_module_with_a_doctest_is_run() -> None:
    src = ROOT / "src"
    found = {".".join(p.relative_to(src).with_suffix("").parts).removesuffix(".__init__")
             for p in (src / "allegiance").rglob("*.py") if ">>> " in p.read_text()}
    assert found == set(DOCTESTED)
