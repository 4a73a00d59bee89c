"""Join a consultation: join code (from the link, QR code or typed), region, optional local party, consent."""

import streamlit as st

from consult import regions, storage
from consult.access import member_join
from consult.app import member_views, session
from consult.app.components import caption, say
from consult.app.resources import client_address, engine, public_base_url
from consult.live import qr
from consult.storage import ballots, erasure, roll
from consult.text.cleaning import escape_markdown

PRIVACY = """
**What we keep.** A random id for this browser (in the link you are using), the region you choose, the local
party you give (optional), your proposals and your votes. We do not ask for your name or email.

**Why it matters.** Your views on policy are political opinions, which the law treats as sensitive. We use them
only for this consultation, publish them only as totals (never for groups of fewer than 10 people) and delete
them when the consultation's retention period ends. You can ask the organisers to erase your contributions.
"""

MEMBER_PRIVACY = """
**Checking you are a member.** Your membership number and the detail you give are checked against the party's
membership list and are not stored: we keep only a keyed code that lets you carry on from another device. Your
region and local party come from the membership list.
"""

ERASE_CHOICES = {"keep": "Keep them, with no link to me",
                 "remove": "Remove them and the votes on them"}

st.title("Have your say")


def _find(code: str):
    try:
        return storage.find_consultation(engine(), code) if code.strip() else None
    except storage.NotFound:
        return None


def _open_to_members(consultation) -> list[str]:
    return [] if consultation.phase not in ("draft", "closed") else [
        "This consultation is not open for members at the moment."]


def verify_form(consultation) -> None:
    """Members-only and mixed consultations: membership number and verifier; the region comes from the roll."""
    summary = roll.roll_summary(engine())
    label = summary.verifier_label if summary else "Postcode"
    st.header(escape_markdown(consultation.title), anchor=False)
    for_whom = "party members" if consultation.scope.whole_party else f"party members in {consultation.scope.text}"
    st.write(escape_markdown(f"This consultation is for {for_whom}.") + " Verify with your membership number: your region comes from "
             "the membership list, so you are not asked for it.")
    with st.form("verify", enter_to_submit=True):
        number = st.text_input("Membership number", max_chars=40, autocomplete="off")
        verifier = st.text_input(label, max_chars=40, autocomplete="off",
                                 help="As on your membership record" if label != "Postcode" else
                                 "The postcode on your membership record")
        with st.expander("Privacy notice", expanded=False):
            st.markdown(MEMBER_PRIVACY + PRIVACY)
        consent = st.checkbox("I have read the privacy notice and want to take part", key="verify_consent")
        submitted = st.form_submit_button("Verify and join", type="primary", width="stretch")
    if not submitted:
        return
    problems = _open_to_members(consultation) + ([] if consent else ["Tick the box to accept the privacy notice."])
    if problems:
        for problem in problems:
            say("error", problem)
        return
    try:
        joined = member_join.verify_and_join(engine(), consultation, number, verifier, consented=consent,
                                             client=client_address(), current=session.member())
    except storage.StoreError as exc:
        say("error", exc)
        return
    session.set_member(joined.participant)
    st.session_state["join_note"] = ("You had already joined on another device: you carry on as the same "
                                     "participant, with your votes." if joined.already_joined else
                                     "Thank you: you are on the membership list.")
    st.rerun()


def open_form(default_code: str, linked=None) -> None:
    """Anyone with the code: region chosen, not verified. A join link to a consultation for some regions offers
    only those (anyone else is told kindly when they join)."""
    in_scope = linked.scope.regions if linked is not None else ()
    codes = list(in_scope) or regions.answer_codes()
    with st.form("join", enter_to_submit=True):
        code = st.text_input("Join code", value=default_code, max_chars=14, placeholder="for example DEVO26")
        region = st.selectbox("Where do you live?", options=codes, index=None, format_func=regions.region_name,
                              placeholder="Choose your region or nation")
        constituency = st.text_input("Constituency or local party (optional)", max_chars=120)
        with st.expander("Privacy notice", expanded=False):
            st.markdown(PRIVACY)
        consent = st.checkbox("I have read the privacy notice and want to take part")
        submitted = st.form_submit_button("Join", type="primary", width="stretch")
    if not submitted:
        return
    problems = []
    if not code.strip():
        problems.append("Enter the join code.")
    consultation = None
    if linked is not None and storage.normalise_join_code(code) == linked.join_code:
        consultation = linked  # read on this run already
    elif code.strip():
        try:
            consultation = storage.find_consultation(engine(), code)
        except storage.NotFound as exc:
            problems.append(str(exc))
    if consultation is not None and consultation.access == "members":
        st.query_params[session.JOIN_PARAM] = consultation.join_code  # show the membership form instead
        st.rerun()
    if region is None:
        problems.append("Choose where you live (or 'Prefer not to say').")
    if not consent:
        problems.append("Tick the box to accept the privacy notice.")
    if consultation is not None:
        problems += _open_to_members(consultation)
    if problems:
        for problem in problems:
            say("error", problem)
        return
    try:
        member_join.check_open_join(engine(), client_address(), consultation.id)
        participant = storage.add_participant(engine(), consultation.id, region=region, constituency=constituency,
                                              consented=consent)
    except storage.StoreError as exc:
        say("error", exc)
    else:
        session.set_member(participant)
        st.session_state["open_join_from"] = client_address()  # their first vote earns this network more joins
        st.switch_page("consult/app/pages/vote.py", query_params=session.member_params())


def joined_page(current) -> None:
    """The page for someone already taking part: where they are, links, sharing, verifying, their data."""
    consultation = storage.get_consultation(engine(), current.consultation_id)
    note = st.session_state.pop("join_note", None)
    if note:
        say("info", note)
    where = regions.region_name(current.region)
    st.success(f"You are taking part as a verified member from {where} (from the membership list)."
               if current.verified else f"You are taking part as a member from {where}.",
               icon=":material/how_to_vote:")
    st.header(escape_markdown(consultation.title), anchor=False)
    st.text(consultation.question)
    if consultation.access == "mixed" and not current.verified:
        with st.expander("Are you a party member? Verify to count as one", icon=":material/badge:"):
            st.caption("Your votes so far move with you: you stay one participant, now verified.")
            verify_form(consultation)
    params = session.member_params()
    ballots.run_schedule(engine(), consultation.id)
    open_ballots = ballots.list_ballots(engine(), consultation.id, statuses=("open",))
    if not open_ballots.empty:
        say("info", f"A ballot is open: {open_ballots['title'].iloc[0]}" if len(open_ballots) == 1
            else f"{len(open_ballots)} ballots are open.", icon=":material/how_to_vote:")
        st.page_link("consult/app/pages/ballots.py", label="Vote in the ballot" if len(open_ballots) == 1
                     else "Vote in the ballots", icon=":material/how_to_vote:", query_params=params)
    st.page_link("consult/app/pages/vote.py", label="Vote on proposals", icon=":material/thumbs_up_down:",
                 query_params=params)
    st.page_link("consult/app/pages/propose.py", label="Make a proposal", icon=":material/edit_note:",
                 query_params=params)
    st.page_link("consult/app/pages/my_region.py", label="Where my region stands", icon=":material/map:",
                 query_params=params)
    st.page_link("consult/app/pages/what_happened.py", label="What happened to the proposals",
                 icon=":material/campaign:", query_params=params)
    if open_ballots.empty:
        st.page_link("consult/app/pages/ballots.py", label="Ballots and their results", icon=":material/how_to_vote:",
                     query_params=params)
    with st.expander("Share this consultation", icon=":material/share:"):
        # the clean join link: the member's own place is kept by their browser, never handed on with a link
        st.caption("Send this link to other members. It opens the join page; it does not carry your votes.")
        st.code(qr.join_url(public_base_url(), consultation.join_code), language=None)
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


current = session.member()
if current is not None:
    joined_page(current)

linked_code = st.query_params.get(session.JOIN_PARAM, "")
linked = _find(linked_code)
if linked is not None and st.session_state.get("warmed_for") != linked.id:
    # ready by the time the member has chosen a region and joined; once per tab (the press that joins need not)
    member_views.warm_member_views(linked.id)
    st.session_state["warmed_for"] = linked.id
if linked is not None and linked.access in ("members", "mixed"):
    verify_form(linked)
    if linked.access == "mixed":
        st.divider()
        st.header("Not a member? Join as a supporter", anchor=False)
        st.caption("Supporters' views are counted, and shown separately from verified members' where it matters.")
        open_form(linked_code, linked)
else:
    if linked is not None:  # a join link: say what the consultation is before asking anything
        st.header(escape_markdown(linked.title), anchor=False)
        st.text(linked.question)
        if not linked.scope.whole_party:
            caption(f"For members in {linked.scope.text}.")
    st.write("Join with the code from the organisers. It takes a few seconds.")
    open_form(linked_code, linked)
if session.role() is None:
    st.divider()
    st.page_link("consult/app/pages/signin.py", label="Staff sign-in", icon=":material/key:")
