"""A policy officers' page opened by a facilitator (a bookmark, a shared link): said plainly, with the way on."""

import streamlit as st

st.title(st.session_state.get("held_back_title") or "Policy officers only")
st.info("This page is for policy officers. You are signed in as a facilitator.", icon=":material/lock:")
st.page_link("consult/app/pages/facilitator.py", label="Run a session", icon=":material/podium:")
