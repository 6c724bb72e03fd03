"""Property tests with schemathesis against the API's own OpenAPI description: whatever
the generated parameters, the API answers with a 2xx or 4xx, never a server error."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from allegiance.cli import main
from allegiance.store.store import Store
from allegiance.web.app import create_app

DATA = Path(__file__).resolve().parents[1] / "analysis" / "data"

# An empty store for loading the description (cheap, at collection); the test's fixture
# fills it with coded articles before any case runs.
_FOLDER = Path(tempfile.mkdtemp(prefix="allegiance-props-"))
URL = f"sqlite:///{_FOLDER / 'events.db'}"
Store(URL).close()
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(URL))


@pytest.fixture(scope="module")
def coded_store() -> Iterator[str]:
    result = CliRunner().invoke(main, ["ingest", str(DATA / "venezuela_weeks.jsonl"),
                                       "--db", URL, "--no-progress", "-j", "1"])
    assert result.exit_code == 0, result.output
    yield URL
    shutil.rmtree(_FOLDER, ignore_errors=True)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case, coded_store: str) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, case.query,
                                         response.text[:300])
