"""Sign out of the staff pages."""

import streamlit as st

from consult.app import session

st.title("Sign out")
st.text(f"You are signed in as {st.session_state.get('account', 'staff')} ({session.role()}).")
if st.button("Sign out", type="primary"):
    session.end_staff_session()
    if st.user.get("is_logged_in", False):
        st.logout()
    st.rerun()
