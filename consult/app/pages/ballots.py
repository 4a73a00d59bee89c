"""Ballots for members: vote in open ballots (one vote, final, secret), keep the receipt, check it after close."""

import streamlit as st

from consult import storage
from consult.app import ballot_forms, resources, session
from consult.app.components import caption, say
from consult.storage import ballots

member = session.require_member()
engine = resources.engine()
consultation = storage.get_consultation(engine, member.consultation_id)
st.title("Ballots")
caption(consultation.title)
ballots.run_schedule(engine, consultation.id)
listed = ballots.list_ballots(engine, consultation.id, statuses=("open", "closed"))
if listed.empty:
    st.caption("There is no ballot in this consultation yet. When the party opens one, it appears here.")
    st.stop()
if not member.verified:
    say("info", "Ballots are for verified members: one member, one vote. Join again with your membership number "
                "to vote.")

for row in listed.itertuples():
    ballot = ballots.get_ballot(engine, int(row.id))
    with st.container(border=True):
        st.subheader(ballot.title, anchor=False)
        if ballot.description:
            st.text(ballot.description)
        caption(f"For members in {ballot.scope_text} · {int(row.voted):,} of {int(row.eligible_count or 0):,} "
                "eligible have voted")
        receipt = st.session_state.get(f"receipt_{ballot.id}")
        if ballot.status == "open":
            if receipt:
                say("success", "Your vote is recorded.")
                st.text(f"Your receipt: {receipt}")
                st.caption("Keep it: after the ballot closes you can check your paper was counted, and nobody "
                           "else can link it to you.")
            elif ballots.has_voted(engine, ballot.id, member.id):
                say("info", "You have voted in this ballot. Results appear here when it closes.")
            elif member.verified:
                ballot_forms.paper_form(engine, ballot, member)
            continue
        ballot_forms.result_view(ballot)
        check = st.text_input("Check my receipt", key=f"check_{ballot.id}", placeholder="XXXX-XXXX-XXXX-XXXX",
                              value=receipt or "")
        if check:
            found = ballots.find_receipt(engine, ballot.id, check)
            if found is None:
                say("warning", "No paper has that receipt. Check the code, letter by letter.")
            else:
                labels = {str(o.position): o.label for o in ballot.options}
                shown = found if ballot.kind == "motion" else " → ".join(labels[p] for p in found.split(","))
                say("success", f"Your paper was counted: {shown}")
