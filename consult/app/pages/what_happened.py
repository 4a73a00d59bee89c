"""What happened: the party's published responses to proposals ("you said, we did"), and the member's own."""

import streamlit as st

from consult import storage
from consult.app import resources, session
from consult.app.components import caption
from consult.storage import responses
from consult.text.cleaning import escape_markdown

member = session.require_member()
engine = resources.engine()
consultation = storage.get_consultation(engine, member.consultation_id)
st.title("What happened")
caption(consultation.title)


def show_response(status_label: str, text: str, referred_to: str = "", decided_by: str = "") -> None:
    """A response as plain text (staff text is still never Markdown)."""
    st.text(f"{status_label}{f': referred to {referred_to}' if referred_to else ''}")
    if text:
        st.text(text)
    if decided_by:
        caption(f"Decided by {decided_by}")


st.header("Your proposals", anchor=False)
own = responses.own_proposals_with_responses(engine, consultation.id, member.id)
if own.empty:
    st.caption("You have not made a proposal in this consultation.")
    st.page_link("consult/app/pages/propose.py", label="Make a proposal", icon=":material/edit_note:",
                 query_params=session.member_params())
for row in own.itertuples():
    with st.container(border=True):
        st.text(row.body)
        if row.status == "pending":
            st.caption("Waiting for an organiser to check it")
        elif row.status == "hidden":
            reason = row.hidden_because if isinstance(row.hidden_because, str) and row.hidden_because.strip() else ""
            st.caption("Not published by the organisers" + (": the reason they gave is below" if reason else ""))
            if reason:
                st.text(reason)
        elif row.status == "merged":
            st.caption("Merged with a similar proposal, so its votes count together:")
            if isinstance(row.merged_into, str):
                st.text(row.merged_into)
        elif isinstance(row.response_label, str):
            show_response(row.response_label, row.response or "", row.referred_to or "")
        else:
            st.caption("Published · no response from the party yet")

answered = resources.published_responses(consultation.id)
milestones = responses.published_milestones(engine, consultation.id)
st.header("The party's responses", anchor=False)
if answered.empty:
    st.caption("The party has not published any responses yet. Responses appear here as soon as they are "
               "published.")
    st.stop()

search = st.text_input("Search the responses", placeholder="a word from a proposal or a response")
order = [label for label in responses.STATUS_LABELS.values() if label in set(answered["status_label"])]
statuses = st.pills("Decision", order, selection_mode="multi", default=order)
group_by = st.segmented_control("Group by", ["Decision", "Theme"], default="Decision")
shown = answered[answered["status_label"].isin(statuses or order)]
if search:
    words = search.casefold()
    shown = shown[shown["proposal"].str.casefold().str.contains(words, regex=False)
                  | shown["response"].str.casefold().str.contains(words, regex=False)]
st.caption(f"{len(shown)} of {len(answered)} responses")
key = "theme" if group_by == "Theme" else "status_label"
groups = shown.groupby(key, sort=False)
for name in sorted(groups.groups, key=lambda g: (order.index(g) if g in order else 0, g == "", g)):
    st.markdown(f"### {escape_markdown(name or 'No theme')}")
    for row in groups.get_group(name).itertuples():
        with st.container(border=True):
            st.text(row.proposal)
            show_response(row.status_label, row.response, row.referred_to, row.decided_by)
            for step in milestones[milestones["proposal_id"] == row.proposal_id].itertuples():
                st.progress(int(step.percent), text=escape_markdown(f"{step.title}: {step.percent}%"))
