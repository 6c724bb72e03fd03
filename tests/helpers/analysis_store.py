"""The analysis tests' store: articles written for the tests, coded for real and stored
(module-scoped, on SQLite and PostgreSQL), the fixture ``db``; registered by
tests/conftest.py (``pytest_plugins``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from allegiance.cli import main

DATA = Path(__file__).resolve().parents[1] / "analysis" / "data"
WEEKS = DATA / "venezuela_weeks.jsonl"
WORLD = DATA / "world_weeks.jsonl"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('weeks') / 'events.db'}"
    else:
        url = request.getfixturevalue("fresh_postgres")()
    result = CliRunner().invoke(main, ["ingest", str(WEEKS), str(WORLD), "--db", url,
                                       "--no-progress", "-j", "1"])
    assert result.exit_code == 0, result.output
    return url


