"""Start page: what is open, and how to take part."""

import streamlit as st

from consult import store
from consult.app.resources import engine

st.title("Have your say on devolution")
frame = store.list_consultations(engine())
if frame.empty:
    st.info("There is no consultation yet. An officer can create one, or run `consult demo` to load the demo.")
for row in frame.itertuples():
    with st.container(border=True):
        st.subheader(row.title, anchor=False)
        st.text(row.question)
        counts = store.counts(engine(), row.id)
        cols = st.columns(3)
        cols[0].metric("Members taking part", f"{counts.participants:,}")
        cols[1].metric("Proposals", f"{counts.published:,}")
        cols[2].metric("Votes", f"{counts.votes:,}")
        st.text(f"Join code: {row.join_code} · phase: {row.phase}")
