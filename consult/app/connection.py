"""The database this app server uses: its URL (secrets or environment) and one shared engine."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping

import streamlit as st
from sqlalchemy import Engine

from consult import configuration, storage
from consult.storage import db


def secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:
        return {}


class SecretsOnDemand(Mapping):
    """The secrets, read only if a setting is not in the environment: with no secrets file Streamlit looks for
    one again on every read, and the database URL is read several times in every page run."""

    def __init__(self) -> None:
        self._loaded: dict | None = None

    def _secrets(self) -> dict:
        if self._loaded is None:
            self._loaded = secrets()
        return self._loaded

    def __getitem__(self, key: str):
        return self._secrets()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._secrets())

    def __len__(self) -> int:
        return len(self._secrets())


def database_url() -> str:
    """The environment first, then the secrets Streamlit loaded: the same order as the CLI's."""
    return configuration.database_url(secrets=SecretsOnDemand())


_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def engine_for(url: str) -> Engine:
    """One engine per database URL for the whole process (a plain dict: st.cache_resource inspects the function's
    signature on every call, and this is called several times in every page run)."""
    engine = _ENGINES.get(url)
    if engine is None:
        with _ENGINES_LOCK:
            engine = _ENGINES.get(url)
            if engine is None:
                engine = db.make_engine(url)
                storage.init_db(engine)
                _ENGINES[url] = engine
    return engine


def engine() -> Engine:
    """The one engine this server shares between sessions (schema migrated on first use)."""
    return engine_for(database_url())
