"""The analysis tests' store: articles written for the tests, coded for real and stored
(module-scoped, on SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from allegiance.cli import main

WEEKS = Path(__file__).parent / "data" / "venezuela_weeks.jsonl"
WORLD = Path(__file__).parent / "data" / "world_weeks.jsonl"


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


