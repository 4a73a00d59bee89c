"""Who is using this browser tab: the member (kept in the URL so a reload keeps them) and any staff role."""

from __future__ import annotations

import time

import streamlit as st

from consult import auth, storage
from consult.app.resources import engine, oidc_roles, secrets

# bandit reads TOKEN as a secret: this is the query-parameter name
TOKEN_PARAM = "p"  # nosec B105
JOIN_PARAM = "join"


def member() -> storage.Participant | None:
    """The member for this tab: from the session, or from the token in the URL after a reload."""
    current = st.session_state.get("member")
    if current is not None:
        return storage.Participant(**current)
    token = st.query_params.get(TOKEN_PARAM, "")
    found = storage.participant_by_token(engine(), token) if token else None
    if found is not None:
        set_member(found)
    return found


def set_member(participant: storage.Participant) -> None:
    # a plain dict: session state must stay serialisable
    st.session_state["member"] = dict(participant.__dict__)
    st.query_params[TOKEN_PARAM] = participant.token


def forget_member() -> None:
    """Drop the member from this tab (after they erased their participation)."""
    st.session_state.pop("member", None)
    st.query_params.pop(TOKEN_PARAM, None)


def keep_token_in_url() -> None:
    """Put the member's token back in the URL after a page change dropped it, so a reload keeps them."""
    current = st.session_state.get("member")
    if current and st.query_params.get(TOKEN_PARAM) != current["token"]:
        st.query_params[TOKEN_PARAM] = current["token"]


def member_params() -> dict[str, str]:
    current = st.session_state.get("member")
    return {TOKEN_PARAM: current["token"]} if current else {}


def start_staff_session(role_name: str, account: str) -> None:
    st.session_state["role"] = role_name
    st.session_state["account"] = account
    st.session_state["staff_last_seen"] = time.time()


def end_staff_session(reason: str | None = None) -> None:
    for key in ("role", "account", "staff_last_seen"):
        st.session_state.pop(key, None)
    if reason:
        st.session_state["signed_out_reason"] = reason


def role() -> str | None:
    """'officer', 'facilitator' or None; from the password sign-in or, when configured, the OIDC login.

    A password session ends after the configured idle time; an OIDC login counts only with a verified email.
    """
    signed_in = st.session_state.get("role")
    if signed_in:
        idle = auth.idle_minutes(secrets())
        if auth.session_expired(st.session_state.get("staff_last_seen"), time.time(), idle):
            end_staff_session(f"You were signed out after {idle:g} minutes without activity. Sign in again.")
            return None
        st.session_state["staff_last_seen"] = time.time()
        return signed_in
    user = st.user
    if user.get("is_logged_in", False) and user.get("email_verified") is True:
        return oidc_roles().get(str(user.get("email", "")).lower())
    return None


def require_member() -> storage.Participant:
    """The member, or a prompt to join and a stop."""
    current = member()
    if current is None:
        st.info("Join the consultation first: you need the join code from the organisers.")
        st.page_link("consult/app/pages/join.py", label="Join a consultation", icon=":material/login:")
        st.stop()
    return current
