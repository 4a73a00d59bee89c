"""Staff sign-in: a named account with a password (hash in secrets or the environment), or the organisation's SSO."""

import streamlit as st

from consult.access import staff_sign_in as auth
from consult.app import resources, session

st.title("Staff sign-in")
wanted = st.session_state.get("held_back_title")
if wanted:
    st.info(f"Sign in to open {wanted}.", icon=":material/lock:")
st.write("Policy officers and facilitators sign in here. Members do not need an account.")

if resources.oidc_configured():
    st.button("Sign in with your organisation account", on_click=st.login, type="primary")
    st.divider()

accounts = resources.accounts()
if not accounts and not resources.oidc_configured():
    st.warning("No staff accounts are set up yet. See 'Staff accounts' in the README.", icon=":material/key_off:")
    st.stop()

def _sign_in() -> None:
    try:
        account = auth.sign_in(accounts, resources.throttle(), st.session_state.get("signin_name", ""),
                               st.session_state.get("signin_password", ""), client=resources.client_address(),
                               engine=resources.engine())
    except PermissionError as exc:
        st.session_state["signin_error"] = str(exc)
    else:
        session.start_staff_session(account.role, account.name)
    # the password is not kept in the session, right or wrong (bandit reads the emptying as a hard-coded password)
    st.session_state["signin_password"] = ""  # nosec B105


with st.form("signin"):
    st.text_input("Account name", max_chars=60, autocomplete="username", key="signin_name")
    st.text_input("Password", type="password", max_chars=200, key="signin_password")
    st.form_submit_button("Sign in", type="primary", on_click=_sign_in)

if "signin_error" in st.session_state:
    st.error(st.session_state.pop("signin_error"), icon=":material/error:")
if "signed_out_reason" in st.session_state:
    st.info(st.session_state.pop("signed_out_reason"), icon=":material/schedule:")
