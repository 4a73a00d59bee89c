"""Ballots for members: vote in open ballots (one vote, final, secret), keep the receipt, check it after close."""

import streamlit as st

from consult import storage
from consult.app import resources, session
from consult.app.components import caption, say
from consult.ballots import results
from consult.storage import ballots
from consult.storage.errors import StoreError

member = session.require_member()
engine = resources.engine()
consultation = storage.get_consultation(engine, member.consultation_id)
st.title("Ballots")
caption(consultation.title)
listed = ballots.list_ballots(engine, consultation.id, statuses=("open", "closed"))
if listed.empty:
    st.caption("There is no ballot in this consultation yet. When the party opens one, it appears here.")
    st.stop()
if not member.verified:
    say("info", "Ballots are for verified members: one member, one vote. Join again with your membership number "
                "to vote.")


def paper_form(ballot: ballots.Ballot) -> None:
    """The paper: a motion's three choices, numbers for a preferential ballot, ticks for a budget."""
    with st.form(key=f"paper_{ballot.id}", border=True):
        if ballot.kind == "motion":
            marks = st.radio("Your vote", ["for", "against", "abstain"], index=None, key=f"motion_{ballot.id}",
                             format_func=str.capitalize)
        elif ballot.kind == "preferential":
            st.caption(f"Number the options in your order of preference: 1 for your first choice. Number as many "
                       f"or as few as you like. {ballot.seats} to elect.")
            numbers = {}
            for option in ballot.options:
                numbers[option.position] = st.selectbox(option.label, ["–"] + list(range(1, len(ballot.options) + 1)),
                                                        key=f"rank_{ballot.id}_{option.position}")
            marks = [position for position, number in sorted(numbers.items(), key=lambda item: str(item[1]))
                     if number != "–"]
            numbered = [number for number in numbers.values() if number != "–"]
            if numbered and sorted(numbered) != list(range(1, len(numbered) + 1)):
                marks = ["gap"]
        else:
            limit = f" Back up to {ballot.max_approvals}." if ballot.max_approvals else ""
            st.caption(f"Tick every project you support. The budget is {ballot.budget:,}.{limit}")
            marks = [o.position for o in ballot.options
                     if st.checkbox(f"{o.label} ({o.cost:,})", key=f"approve_{ballot.id}_{o.position}")]
        st.caption("Your vote is secret and final: it cannot be changed once cast.")
        if st.form_submit_button("Cast my vote", type="primary"):
            if marks is None or marks == []:
                say("error", "Choose before casting your vote.")
            elif marks == ["gap"]:
                say("error", "Number your choices 1, 2, 3 … without gaps or repeats.")
            else:
                if ballot.kind == "preferential":
                    marks = [p for p, n in sorted(((p, n) for p, n in numbers.items() if n != "–"),
                                                  key=lambda item: item[1])]
                try:
                    st.session_state[f"receipt_{ballot.id}"] = ballots.cast(engine, ballot.id, member, marks)
                    st.rerun()
                except StoreError as exc:
                    say("error", exc)


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
                paper_form(ballot)
            continue
        papers = ballots.papers(engine, ballot.id)
        outcome = results.result(ballot, papers)
        st.text(outcome.headline)
        if outcome.by_region is not None and not outcome.by_region.empty:
            st.dataframe(outcome.by_region, hide_index=True)
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
