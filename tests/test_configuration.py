"""One order for every entry point: the environment, then secrets, then the default."""

from __future__ import annotations

import itertools

from consult import configuration
from consult.storage import db

ENV_URL = "postgresql+psycopg://env@db/consult"
SECRETS_URL = "postgresql+psycopg://secrets@db/consult"


def test_cli_and_app_resolve_the_same_database_under_every_combination(tmp_path, monkeypatch):
    """The CLI reads `db.database_url` (the secrets file); the app passes the secrets Streamlit loaded. Before, the
    app put secrets first and the CLI the environment, so `consult migrate` and the app could use two databases."""
    for env_set, secrets_set in itertools.product((False, True), repeat=2):
        secrets = {"connections": {"consult": {"url": SECRETS_URL}}} if secrets_set else {}
        secrets_path = tmp_path / f"secrets-{env_set}-{secrets_set}.toml"
        secrets_path.write_text(f'[connections.consult]\nurl = "{SECRETS_URL}"\n' if secrets_set else "")
        if env_set:
            monkeypatch.setenv("CONSULT_DATABASE_URL", ENV_URL)
        else:
            monkeypatch.delenv("CONSULT_DATABASE_URL", raising=False)
        cli_url = db.database_url(secrets_path)
        app_url = configuration.database_url(secrets=secrets)
        expected = ENV_URL if env_set else SECRETS_URL if secrets_set else f"sqlite:///{configuration.DEFAULT_SQLITE_PATH}"
        assert cli_url == app_url == expected


def test_blank_values_fall_through_to_the_next_source():
    assert configuration.setting("X", ("a",), "default", environ={"X": "  "}, secrets={"a": ""}) == "default"
    assert configuration.setting("X", ("a", "b"), "default", environ={}, secrets={"a": {"b": " v "}}) == "v"
    assert configuration.setting("X", ("a", "b"), "default", environ={}, secrets={"a": "not a table"}) == "default"
