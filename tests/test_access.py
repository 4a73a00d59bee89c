"""Secrets stay secret: no password, password hash or database password in any page, log line, export or CLI
output, with the app running on a PostgreSQL URL that carries a password."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from consult import storage
from consult.access import staff_sign_in as auth
from consult.cli import main as cli
from consult.demo import consultation as demo
from consult.publishing import polis_export, report, tables
from consult.storage import db
from consult.storage import themes as theme_store

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
PASSWORD = "Tr0ub4dor&3-staff"
DB_PASSWORD = "s3cret-db-pw-7731"
STAFF_PAGES = ["overview", "themes", "consensus", "moderate", "import_data", "export", "audit", "facilitator"]
ELEMENTS = ["title", "header", "subheader", "markdown", "text", "caption", "code", "json", "error", "warning",
            "info", "success", "exception", "metric", "dataframe", "table", "text_input", "text_area"]


@pytest.fixture(scope="module")
def secret_world(postgres_database_url):
    # trust authentication accepts any password: the URL carries one as a production URL would
    url = make_url(postgres_database_url).set(password=DB_PASSWORD).render_as_string(hide_password=False)
    engine = db.make_engine(url)
    storage.init_db(engine)
    consultation_id = demo.install(engine, seed=3, data=demo.generate(seed=3, n_participants=120, n_proposals=150))
    theme_store.run(engine, consultation_id)
    digest = auth.hash_password(PASSWORD)
    yield engine, url, consultation_id, digest
    engine.dispose()


def _everything_shown(at: AppTest) -> str:
    parts = []
    for kind in ELEMENTS:
        for element in getattr(at, kind, []):
            value = getattr(element, "value", None)
            parts.append(value.to_csv() if hasattr(value, "to_csv") else str(value))
            parts.append(str(getattr(element, "label", "")))
    return "\n".join(parts)


def _secrets_in(text: str, digest: str) -> list[str]:
    salt_and_hash = digest.split("$", 4)[-1]
    return [name for name, secret in (("password", PASSWORD), ("hash", salt_and_hash), ("db password", DB_PASSWORD))
            if secret in text]


def test_no_secret_on_any_page_or_in_the_logs(secret_world, caplog):
    engine, url, consultation_id, digest = secret_world
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["connections"] = {"consult": {"url": url}}
    at.secrets["accounts"] = {"olivia": {"role": "officer", "password_hash": digest}}
    at.user = {"is_logged_in": False}
    caplog.set_level(logging.DEBUG)
    at.run()
    at.switch_page("consult/app/pages/signin.py").run()
    at.text_input[0].set_value("olivia")
    at.text_input[1].set_value("wrong guess")
    at.button[0].click().run()
    assert any("do not match" in e.value for e in at.error)
    at.text_input[0].set_value("olivia")
    at.text_input[1].set_value(PASSWORD)
    at.button[0].click().run()
    assert at.session_state["role"] == "officer"
    # the sign-in form does not keep the password once used
    assert PASSWORD not in repr([at.session_state[key] for key in at.session_state])
    shown = []
    for page in STAFF_PAGES:
        at.switch_page(f"consult/app/pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        shown.append(_everything_shown(at))
    assert "Overview" in shown[0] and "Moderation" in shown[3]  # the collector does see the pages
    assert _secrets_in("\n".join(shown), digest) == []
    assert _secrets_in(caplog.text, digest) == []


def test_no_secret_in_exports_or_cli_output(secret_world, capsys):
    engine, url, consultation_id, digest = secret_world
    blobs = {"workbook": tables.workbook(engine, consultation_id),
             "report": report.build(engine, consultation_id).encode(),
             "votes": tables.votes_csv(engine, consultation_id),
             "proposals": tables.proposals_csv(engine, consultation_id)}
    with zipfile.ZipFile(io.BytesIO(tables.workbook(engine, consultation_id))) as book:
        blobs["workbook xml"] = b"".join(book.read(name) for name in book.namelist())
    with zipfile.ZipFile(io.BytesIO(polis_export.polis_zip(engine, consultation_id))) as polis:
        blobs["polis"] = b"".join(polis.read(name) for name in polis.namelist())
    for name, blob in blobs.items():
        assert DB_PASSWORD.encode() not in blob, name
    assert cli.main(["migrate", "--db", url]) == 0
    assert cli.main(["list", "--db", url]) == 0
    out = capsys.readouterr()
    assert DB_PASSWORD not in out.out + out.err and "***" in out.out
