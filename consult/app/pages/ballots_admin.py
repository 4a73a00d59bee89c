"""Ballots for officers: create (from scratch or from the top proposals), open, watch turnout, close, publish."""

import streamlit as st

from consult.app import ballot_forms, resources, session
from consult.app.components import caption, pick_consultation, require_role
from consult.storage import ballots

require_role("officer")
engine = resources.engine()
st.title("Ballots")
consultation = pick_consultation()
actor = session.signed_in_as() or "officer"
caption("One member, one vote, from the membership roll: who may vote is fixed when a ballot opens. Papers are kept "
        "apart from who voted; officers see turnout, never how anyone voted.")
with st.expander("Create a ballot"):
    ballot_forms.create_form(engine, consultation, actor, meeting=False)
ballots.run_schedule(engine, consultation.id)
listed = ballots.list_ballots(engine, consultation.id)
if listed.empty:
    st.caption("No ballots yet.")
for ballot_id in listed["id"]:
    ballot = ballots.get_ballot(engine, int(ballot_id))
    with st.container(border=True):
        st.subheader(ballot.title, anchor=False)
        ballot_forms.staff_controls(engine, ballot, actor)
