"""Who is using this browser tab: the member (kept in the URL so a reload keeps them) and any staff role."""

from __future__ import annotations

import streamlit as st

from consult import store
from consult.app.resources import engine, oidc_roles

# bandit reads TOKEN as a secret: this is the query-parameter name
TOKEN_PARAM = "p"  # nosec B105
JOIN_PARAM = "join"


def member() -> store.Participant | None:
    """The member for this tab: from the session, or from the token in the URL after a reload."""
    current = st.session_state.get("member")
    if current is not None:
        return store.Participant(**current)
    token = st.query_params.get(TOKEN_PARAM, "")
    found = store.participant_by_token(engine(), token) if token else None
    if found is not None:
        set_member(found)
    return found


def set_member(participant: store.Participant) -> None:
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


def role() -> str | None:
    """'officer', 'facilitator' or None; from the password sign-in or, when configured, the OIDC login."""
    signed_in = st.session_state.get("role")
    if signed_in:
        return signed_in
    user = st.user
    if user.get("is_logged_in", False):
        return oidc_roles().get(str(user.get("email", "")).lower())
    return None


def require_member() -> store.Participant:
    """The member, or a prompt to join and a stop."""
    current = member()
    if current is None:
        st.info("Join the consultation first: you need the join code from the organisers.")
        st.page_link("consult/app/pages/join.py", label="Join a consultation", icon=":material/login:")
        st.stop()
    return current
