"""Join a consultation: join code (from the link, QR code or typed), region, optional local party, consent."""

import streamlit as st

from consult import regions, storage
from consult.app import session
from consult.app.components import say
from consult.app.resources import engine
from consult.storage import erasure

PRIVACY = """
**What we keep.** A random id for this browser (in the link you are using), the region you choose, the local
party you give (optional), your proposals and your votes. We do not ask for your name or email.

**Why it matters.** Your views on policy are political opinions, which the law treats as sensitive. We use them
only for this consultation, publish them only as totals (never for groups of fewer than 10 people) and delete
them when the consultation's retention period ends. You can ask the organisers to erase your contributions.
"""

ERASE_CHOICES = {"keep": "Keep them, with no link to me",
                 "remove": "Remove them and the votes on them"}

st.title("Have your say")
current = session.member()
if current is not None:
    consultation = storage.get_consultation(engine(), current.consultation_id)
    st.success(f"You are taking part as a member from {regions.region_name(current.region)}.",
               icon=":material/how_to_vote:")
    st.subheader(consultation.title, anchor=False)
    st.text(consultation.question)
    params = session.member_params()
    st.page_link("consult/app/pages/vote.py", label="Vote on proposals", icon=":material/thumbs_up_down:",
                 query_params=params)
    st.page_link("consult/app/pages/propose.py", label="Make a proposal", icon=":material/edit_note:",
                 query_params=params)
    st.page_link("consult/app/pages/my_region.py", label="Where my region stands", icon=":material/map:",
                 query_params=params)
    st.page_link("consult/app/pages/what_happened.py", label="What happened to the proposals",
                 icon=":material/campaign:", query_params=params)
    with st.expander("Your data: erase my participation"):
        st.write("This deletes your votes and your registration (region and local party) for good. Your proposals "
                 "either stay without any link to you, or are removed with the votes on them.")
        with st.form("erase_me"):
            removal = st.radio("My proposals", ["keep", "remove"], format_func=ERASE_CHOICES.get)
            sure = st.checkbox("I understand this cannot be undone")
            if st.form_submit_button("Erase my participation"):
                if not sure:
                    st.error("Tick the box to confirm.", icon=":material/error:")
                else:
                    erasure.erase_participant(engine(), current.id, actor="member (own request)",
                                              reason="member's own request", remove_proposals=removal == "remove")
                    session.forget_member()
                    st.success("Your participation has been erased. Thank you for taking part.",
                               icon=":material/delete:")
    st.stop()

st.write("Join with the code from the organisers. It takes a few seconds.")
codes = regions.answer_codes()
with st.form("join", enter_to_submit=True):
    code = st.text_input("Join code", value=st.query_params.get(session.JOIN_PARAM, ""), max_chars=14,
                         placeholder="for example DEVO26")
    region = st.selectbox("Where do you live?", options=codes, index=None, format_func=regions.region_name,
                          placeholder="Choose your region or nation")
    constituency = st.text_input("Constituency or local party (optional)", max_chars=120)
    with st.expander("Privacy notice", expanded=False):
        st.markdown(PRIVACY)
    consent = st.checkbox("I have read the privacy notice and want to take part")
    submitted = st.form_submit_button("Join", type="primary", width="stretch")

if submitted:
    problems = []
    if not code.strip():
        problems.append("Enter the join code.")
    if region is None:
        problems.append("Choose where you live (or 'Prefer not to say').")
    if not consent:
        problems.append("Tick the box to accept the privacy notice.")
    consultation = None
    if code.strip():
        try:
            consultation = storage.find_consultation(engine(), code)
        except storage.NotFound as exc:
            problems.append(str(exc))
    if consultation is not None and consultation.phase in ("draft", "closed"):
        problems.append("This consultation is not open for members at the moment.")
    if problems:
        for problem in problems:
            st.error(problem, icon=":material/error:")
    else:
        try:
            participant = storage.add_participant(engine(), consultation.id, region=region,
                                                constituency=constituency, consented=consent)
        except storage.StoreError as exc:
            say("error", exc)
        else:
            session.set_member(participant)
            st.switch_page("consult/app/pages/vote.py", query_params={session.TOKEN_PARAM: participant.token})
