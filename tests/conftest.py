from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# The tests never read or write the user's cache: one temporary folder per session,
# set before anything compiles, and inherited by the CLI subprocesses the tests start.
_CACHE = tempfile.mkdtemp(prefix="allegiance-test-cache-")
os.environ["ALLEGIANCE_CACHE_DIR"] = _CACHE

from allegiance.pipeline.coder import Coder  # noqa: E402

# Fixtures kept in helpers/ (a conftest.py in a sub-folder would be imported as
# `conftest` and hide this one from the modules that import it): `db`, the analysis
# tests' store.
pytest_plugins = ["helpers.analysis_store"]


@pytest.fixture(scope="session", autouse=True)
def _session_cache() -> Iterator[str]:
    yield _CACHE
    shutil.rmtree(_CACHE, ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent


def shared_data() -> Path:
    """The team's shared data folder: $ALLEGIANCE_SHARED_DATA, else ../shared/data beside
    the checkout, else /work/shared/data (CI clones elsewhere on the same machine)."""
    explicit = os.environ.get("ALLEGIANCE_SHARED_DATA")
    candidates = [Path(explicit)] if explicit else []
    candidates += [ROOT.parent / "shared" / "data", Path("/work/shared/data")]
    return next((c for c in candidates if c.is_dir()), candidates[0])


SHARED = shared_data()
SEED = ROOT / "examples" / "venezuela_military_aid.txt"


@pytest.fixture(scope="session")
def coder() -> Coder:
    """One real coder (spaCy model, dictionaries, ONNX classifier) for the whole run."""
    return Coder()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


# -- stores: every store test runs on SQLite and on a real PostgreSQL server ------------

PG_ENV = "ALLEGIANCE_TEST_POSTGRES"  # e.g. postgresql://allegiance:allegiance@127.0.0.1/test
REQUIRE_PG_ENV = "ALLEGIANCE_REQUIRE_POSTGRES"  # set by .ci/run: no silent skipping there


def _fresh_postgres() -> str:
    import os

    url = os.environ.get(PG_ENV)
    if not url:
        message = (f"PostgreSQL tests need {PG_ENV}=postgresql://...; "
                   "scripts/postgres_for_tests.sh starts a local server and prints one")
        if os.environ.get(REQUIRE_PG_ENV):
            pytest.fail(message)
        pytest.skip(message)
    from sqlalchemy import text

    from allegiance.store.engine import make_engine
    from allegiance.store.schema import metadata

    engine = make_engine(url)
    with engine.begin() as conn:  # an empty database for each test
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS schema_migrations"))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def fresh_postgres() -> Callable[[], str]:
    """For fixtures in sub-folders (which cannot import this conftest): a function giving
    the emptied test PostgreSQL database's URL, or skipping (failing in CI) without one."""
    return _fresh_postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to an empty store: a SQLite file, or the test PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'events.db'}"
    return _fresh_postgres()


def dump_store(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in key order: two stores with equal dumps are equal.

    Only ``schema_migrations.applied_at`` (a wall-clock time) is left out.
    """
    from sqlalchemy import select

    from allegiance.store.engine import make_engine
    from allegiance.store.schema import metadata

    engine = make_engine(url)
    out: dict[str, list[tuple[object, ...]]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if c.name != "applied_at"]
            keys = list(table.primary_key.columns)
            out[table.name] = [tuple(r) for r in conn.execute(select(*columns).order_by(*keys))]
    engine.dispose()
    return out
