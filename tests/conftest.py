from __future__ import annotations

from pathlib import Path

import pytest

from allegiance.coder import Coder

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "venezuela_military_aid.txt"


@pytest.fixture(scope="session")
def coder() -> Coder:
    """One real coder (spaCy model, dictionaries, ONNX classifier) for the whole run."""
    return Coder()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
