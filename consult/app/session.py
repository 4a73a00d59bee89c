"""Who is using this browser tab: the member (kept in a signed cookie, with an expiring link as a fallback) and any
staff role."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from consult import storage
from consult.access import member_link
from consult.access import staff_sign_in as auth
from consult.app.resources import engine, oidc_roles, secrets
from consult.storage import staff_sessions

# bandit reads TOKEN as a secret: this is the query-parameter name
TOKEN_PARAM = "p"  # nosec B105
JOIN_PARAM = "join"


def member() -> storage.Participant | None:
    """The member for this tab: from the session, else from the signed cookie the browser keeps, else from an
    unexpired link token in the URL (`consult.access.member_link`). A raw participant token in the URL opens nothing."""
    current = st.session_state.get("member")
    if current is not None:
        return storage.Participant(**current)
    found = None
    from_cookie = member_link.token_from_cookie(_cookies().get(member_link.COOKIE_NAME))
    if from_cookie:
        found = storage.participant_by_token(engine(), from_cookie)
        if found is not None and not _for_linked_consultation(found):
            found = None  # a join link to another consultation: the member joins that one afresh
    if found is None:
        from_link = member_link.token_from_link(st.query_params.get(TOKEN_PARAM, ""))
        found = storage.participant_by_token(engine(), from_link) if from_link else None
    if found is not None:
        set_member(found)
    return found


def _cookies() -> dict:
    try:
        return dict(st.context.cookies or {})
    except Exception:  # noqa: BLE001 - outside a browser session (AppTest) there are none
        return {}


def _for_linked_consultation(participant: storage.Participant) -> bool:
    code = st.query_params.get(JOIN_PARAM, "")
    if not code:
        return True
    try:
        return storage.find_consultation(engine(), code).id == participant.consultation_id
    except storage.NotFound:
        return True


def set_member(participant: storage.Participant) -> None:
    # a plain dict: session state must stay serialisable
    st.session_state["member"] = dict(participant.__dict__)
    st.session_state["member_link"] = member_link.link_token(participant.token)
    st.session_state["member_cookie"] = "write"
    st.query_params[TOKEN_PARAM] = st.session_state["member_link"]


def forget_member() -> None:
    """Drop the member from this tab and this browser (after they erased their participation)."""
    st.session_state.pop("member", None)
    st.session_state.pop("member_link", None)
    st.session_state["member_cookie"] = "delete"
    st.query_params.pop(TOKEN_PARAM, None)


def keep_member_in_browser() -> None:
    """Write (or delete) the member cookie once after a change; put the link token back in the URL after a page
    change dropped it, so a reload keeps the member even where cookies are refused."""
    pending = st.session_state.pop("member_cookie", None)
    current = st.session_state.get("member")
    if pending == "write" and current:
        st.html(member_link.set_cookie_script(current["token"], secure=_secure()), unsafe_allow_javascript=True)
    elif pending == "delete":
        st.html(member_link.set_cookie_script(None, secure=_secure()), unsafe_allow_javascript=True)
    link = st.session_state.get("member_link")
    if current and link and st.query_params.get(TOKEN_PARAM) != link:
        st.query_params[TOKEN_PARAM] = link


def _secure() -> bool:
    try:
        return str(st.context.url or "").startswith("https:")
    except Exception:  # noqa: BLE001 - outside a browser session
        return False


def member_params() -> dict[str, str]:
    link = st.session_state.get("member_link")
    return {TOKEN_PARAM: link} if st.session_state.get("member") and link else {}


STAFF_COOKIE = "consult_staff"
_STAFF_KEYS = ("role", "account", "staff_session")


def start_staff_session(role_name: str, account: str) -> None:
    """A staff session in the database (`storage.staff_sessions`), kept by this browser in a cookie, so a reload or
    a new tab stays signed in and the idle time-out ends it everywhere."""
    st.session_state["staff_session"] = staff_sessions.start(engine(), account, role_name)
    st.session_state["role"] = role_name
    st.session_state["account"] = account
    st.session_state["staff_cookie"] = "write"


def end_staff_session(reason: str | None = None) -> None:
    staff_sessions.end(engine(), st.session_state.get("staff_session"))
    for key in _STAFF_KEYS:
        st.session_state.pop(key, None)
    st.session_state["staff_cookie"] = "delete"
    if reason:
        st.session_state["signed_out_reason"] = reason


def role(*, touch: bool = True) -> str | None:
    """'officer', 'facilitator' or None. Checked against the database on every page and fragment run: a session
    idle longer than the configured time is ended wherever it is open, single sign-on included. Fragments that
    refresh themselves pass `touch=False`: they are not activity."""
    session_id = st.session_state.get("staff_session") or _cookies().get(STAFF_COOKIE)
    if session_id:
        idle = auth.idle_minutes(secrets())
        live = staff_sessions.check(engine(), session_id, idle, touch=touch)
        if live is not None:
            st.session_state.update(staff_session=session_id, role=live.role, account=live.account)
            return live.role
        was_signed_in = "role" in st.session_state or st.session_state.get("staff_session") == session_id
        for key in _STAFF_KEYS:
            st.session_state.pop(key, None)
        st.session_state["staff_cookie"] = "delete"
        if was_signed_in or _cookies().get(STAFF_COOKIE) == session_id:
            st.session_state["signed_out_reason"] = (f"You were signed out after {idle:g} minutes without activity. "
                                                     "Sign in again.")
            if _oidc_user():
                st.logout()  # single sign-on idles out too: its own cookie would sign the browser straight back in
        return None
    email = _oidc_user()
    if email:
        mapped = oidc_roles().get(email)
        if mapped:
            start_staff_session(mapped, email)
            return mapped
    return None


def _oidc_user() -> str | None:
    """The verified email of a single sign-on login, if any."""
    if not _secrets_file_exists():
        return None  # sign-on needs an [auth] section in a secrets file
    try:
        user = st.user
        if user.get("is_logged_in", False) and user.get("email_verified") is True:
            return str(user.get("email", "")).lower()
    except Exception:  # noqa: BLE001 - no sign-on configured
        return None
    return None


_SECRETS_LOOKED: dict[str, float | bool] = {"at": float("-inf"), "exists": False}


def _secrets_file_exists() -> bool:
    """Whether any of Streamlit's secrets files exists, looked up at most every 30 s: with none, every read of
    `st.user` looks for them again on disk, and members' page runs read it every time."""
    now = time.monotonic()
    if now - float(_SECRETS_LOOKED["at"]) > 30.0:
        _SECRETS_LOOKED["exists"] = any(Path(path).exists() for path in st.get_option("secrets.files"))
        _SECRETS_LOOKED["at"] = now
    return bool(_SECRETS_LOOKED["exists"])


def keep_staff_in_browser() -> None:
    """Write or delete the staff cookie once after a sign-in or sign-out (the session id is random and only its
    hash is stored, so the cookie is the whole credential: SameSite=Strict, no script reads it afterwards)."""
    pending = st.session_state.pop("staff_cookie", None)
    session_id = st.session_state.get("staff_session")
    secure = "; Secure" if _secure() else ""
    if pending == "write" and session_id:
        st.html(f"<script>document.cookie = '{STAFF_COOKIE}={session_id}; Path=/; SameSite=Strict{secure}';</script>",
                unsafe_allow_javascript=True)
    elif pending == "delete":
        st.html(f"<script>document.cookie = '{STAFF_COOKIE}=; Max-Age=0; Path=/; SameSite=Strict';</script>",
                unsafe_allow_javascript=True)


def signed_in_as() -> str | None:
    account, signed_role = st.session_state.get("account"), st.session_state.get("role")
    return f"{account} ({signed_role})" if account and signed_role else None


def require_member() -> storage.Participant:
    """The member, or a prompt to join and a stop."""
    current = member()
    if current is None:
        st.info("Join the consultation first: you need the join code from the organisers.")
        st.page_link("consult/app/pages/join.py", label="Join a consultation", icon=":material/login:")
        st.stop()
    return current
