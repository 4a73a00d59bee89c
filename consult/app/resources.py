"""Shared, cached resources for every session: the database engine."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from consult import db, store


def _secrets_url() -> str | None:
    try:
        return st.secrets.get("connections", {}).get("consult", {}).get("url")
    except FileNotFoundError:
        return None


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    engine = db.make_engine(url)
    store.init_db(engine)
    return engine


def engine() -> Engine:
    """The one engine this server shares between sessions (schema migrated on first use)."""
    return _engine_for(_secrets_url() or db.database_url())
