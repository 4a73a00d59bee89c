"""Throttles against a real server over Streamlit's own protocol: a forged X-Forwarded-For chooses nothing unless the
deployment names its proxy; behind a named proxy each client is counted on its own."""

from __future__ import annotations

import asyncio

import pytest
from e2e_support import streamlit_server

from benchmarks.streamlit_client import StreamlitTab
from consult import storage
from consult.access import staff_sign_in as auth
from consult.storage.audit import audit_frame

pytestmark = pytest.mark.e2e
REFUSED = "Too many wrong passwords"


async def wrong_password(base: str, forged: str) -> bool:
    """One wrong password from a client claiming to be `forged`; True when the server refused to check it."""
    tab = StreamlitTab(base, forwarded_for=forged)
    await tab.open("signin")
    tab.fill("Account name", "olivia")
    tab.fill("Password", "not-the-password")
    await tab.click("Sign in")
    refused = tab.page.shows(REFUSED)
    assert refused or tab.page.shows("do not match")
    await tab.close()
    return refused


async def guesses(base: str, count: int) -> list[bool]:
    return [await wrong_password(base, f"203.0.113.{i + 1}") for i in range(count)]


@pytest.fixture
def secrets(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text(f'[accounts.olivia]\nrole = "officer"\npassword_hash = "{auth.hash_password("right-1234")}"\n')
    return path


def test_a_forged_forwarding_header_does_not_buy_more_password_guesses(sqlite_engine, sqlite_url, secrets):
    storage.create_consultation(sqlite_engine, title="T", question="Q?")
    with streamlit_server(sqlite_url, secrets=secrets) as base:
        refused = asyncio.run(guesses(base, auth.FREE_TRIES + 2))
    # every guess came from this machine whatever the header claimed: after the free tries the wait begins
    assert not any(refused[:auth.FREE_TRIES]) and any(refused[auth.FREE_TRIES:])
    details = audit_frame(sqlite_engine)["detail"].astype(str)  # the log records the real address, not invented ones
    assert details.str.contains("wrong name or password").sum() == auth.FREE_TRIES + 1
    assert not details.str.contains("203.0.113").any()


def test_behind_the_named_proxy_each_client_has_its_own_limit(sqlite_engine, sqlite_url, secrets):
    storage.create_consultation(sqlite_engine, title="T", question="Q?")
    with streamlit_server(sqlite_url, secrets=secrets, trusted_proxies="127.0.0.1") as base:
        refused = asyncio.run(guesses(base, auth.FREE_TRIES + 2))
    assert not any(refused)  # one guess each from five clients the proxy vouches for
