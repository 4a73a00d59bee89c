"""Staff sign-in: a named account with a password (hash in secrets or the environment), or the organisation's SSO."""

import streamlit as st

from consult import auth
from consult.app import resources

st.title("Staff sign-in")
st.write("Policy officers and facilitators sign in here. Members do not need an account.")

if resources.oidc_configured():
    st.button("Sign in with your organisation account", on_click=st.login, type="primary")
    st.divider()

accounts = resources.accounts()
if not accounts and not resources.oidc_configured():
    st.warning("No staff accounts are set up yet. See 'Staff accounts' in the README.", icon=":material/key_off:")
    st.stop()

with st.form("signin", clear_on_submit=True):  # the password does not stay in the session
    name = st.text_input("Account name", max_chars=60, autocomplete="username")
    password = st.text_input("Password", type="password", max_chars=200)
    submitted = st.form_submit_button("Sign in", type="primary")

if submitted:
    try:
        account = auth.sign_in(accounts, resources.throttle(), name, password)
    except PermissionError as exc:
        st.error(str(exc), icon=":material/error:")
    else:
        st.session_state["role"] = account.role
        st.session_state["account"] = account.name
        st.rerun()
