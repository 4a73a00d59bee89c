"""Sign out of the staff pages."""

import streamlit as st

from consult.app import session

st.title("Sign out")
st.write(f"You are signed in as {st.session_state.get('account', 'staff')} ({session.role()}).")
if st.button("Sign out", type="primary"):
    for key in ("role", "account"):
        st.session_state.pop(key, None)
    if st.user.get("is_logged_in", False):
        st.logout()
    st.rerun()
