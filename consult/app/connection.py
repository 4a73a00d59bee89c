"""The database this app server uses: its URL (secrets or environment) and one shared engine."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from consult import configuration, storage
from consult.storage import db


def secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:
        return {}


def database_url() -> str:
    """The environment first, then the secrets Streamlit loaded: the same order as the CLI's."""
    return configuration.database_url(secrets=secrets())


@st.cache_resource(show_spinner=False)
def engine_for(url: str) -> Engine:
    engine = db.make_engine(url)
    storage.init_db(engine)
    return engine


def engine() -> Engine:
    """The one engine this server shares between sessions (schema migrated on first use)."""
    return engine_for(database_url())
