"""Shared fixtures: real SQLite files and a real PostgreSQL database per test session."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from streamlit import config as _streamlit_config

from consult import storage
from consult.storage import db
from consult.storage import schema as s

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
POSTGRES_URL = os.environ.get("CONSULT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# the environment wins over secrets (consult.configuration): a developer's own database URL or proxy list must not
# reach the AppTests, which name their database in secrets
for _name in ("CONSULT_DATABASE_URL", "CONSULT_TRUSTED_PROXIES"):
    os.environ.pop(_name, None)
# everything the app keeps in session state must stay picklable: Streamlit checks it on every run where the tests
# run the app (AppTest here, and the servers the browser tests start, which inherit this environment); the served
# app leaves the check off (.streamlit/config.toml)
os.environ["STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE"] = "true"  # read by `streamlit run`
_streamlit_config.set_option("runner.enforceSerializableSessionState", True)  # AppTest reads the option


def shared_data(*parts: str) -> Path:
    """A path in ../shared/data, skipping the test with a clear reason where that folder is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not present at {path} (it sits beside the project in CI)")
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'consult.db'}"


@pytest.fixture
def sqlite_engine(sqlite_url: str):
    engine = db.make_engine(sqlite_url)
    storage.init_db(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_database_url():
    """A fresh database on the real PostgreSQL server for this test session (dropped afterwards)."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to connect means the server is not there
        admin.dispose()
        message = f"PostgreSQL is not reachable at {POSTGRES_URL}: {exc.__class__.__name__}"
        if IN_CI:
            pytest.fail(message + " (CI must provide it: see .ci/run)")
        pytest.skip(message)
    name = f"consult_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def postgres_engine(postgres_database_url: str):
    engine = db.make_engine(postgres_database_url)
    storage.init_db(engine)
    yield engine
    names = ", ".join(t.name for t in s.metadata.sorted_tables if t.name not in ("regions", "baselines"))
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        # baselines are reference data, except those a test saved (the membership one comes with a roll)
        conn.execute(text("DELETE FROM baselines WHERE name <> 'population'"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request):
    """The same test on the embedded SQLite default and on the real PostgreSQL server."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def consultation(engine):
    return storage.create_consultation(engine, title="Test consultation", question="What should change?",
                                     min_chars=10, max_chars=200, max_proposals_per_participant=3)
