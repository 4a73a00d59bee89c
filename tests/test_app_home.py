"""The app's start page, through Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from consult import demo, store

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def _app(url: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["connections"] = {"consult": {"url": url}}
    at.user = {"is_logged_in": False}
    return at


def test_home_shows_the_demo_consultation(sqlite_engine, sqlite_url):
    demo.install(sqlite_engine)
    at = _app(sqlite_url).run()
    assert not at.exception
    assert demo.TITLE in [h.value for h in at.subheader]
    counts = store.counts(sqlite_engine, 1)
    assert f"{counts.published:,}" in [m.value for m in at.metric]


def test_home_on_an_empty_database_explains_what_to_do(sqlite_url):
    at = _app(sqlite_url).run()
    assert not at.exception
    assert "consult demo" in at.info[0].value
