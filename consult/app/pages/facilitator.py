"""Run a live session: create a consultation, move it through its phases, reveal results, moderate."""

import streamlit as st

from consult import storage
from consult.access import member_join
from consult.access import presenter as presenter_access
from consult.app import ballot_forms, resources, room_controls, session
from consult.app.components import say, show_messages, staff_action
from consult.app.scope_fields import scope_fields
from consult.live import presenter_data as live
from consult.live import qr
from consult.storage import ballots, roll
from consult.storage import themes as theme_store
from consult.text.cleaning import escape_markdown

if session.role() not in ("officer", "facilitator"):
    st.error("This page is for signed-in facilitators.", icon=":material/lock:")
    st.stop()
engine = resources.engine()
actor = st.session_state.get("account", session.role() or "staff")
PHASES = {"collecting": "Collect proposals", "voting": "Voting only", "results": "Show results", "closed": "Closed"}
ACCESS = {"open": "Anyone with the code", "members": "Verified members only", "mixed": "Members and supporters"}

st.title("Run a session")
show_messages("facilitator_messages")

with st.expander("Create a consultation", expanded=storage.list_consultations(engine).empty):
    with st.form("create"):
        title = st.text_input("Title", max_chars=200)
        question = st.text_area("Question for members", max_chars=1000)
        description = st.text_area("Description (optional)", max_chars=4000)
        cols = st.columns(3)
        min_chars = cols[0].number_input("Shortest proposal", 1, 1000, 20)
        max_chars = cols[1].number_input("Longest proposal", 20, 10000, 500)
        limit = cols[2].number_input("Proposals per member", 1, 100, 10)
        moderation = st.radio("Moderation", ["post", "pre"], horizontal=True,
                              format_func={"post": "Publish at once", "pre": "I approve each proposal"}.get)
        visible = st.checkbox("Members see results while voting is open", value=True)
        access = st.radio("Who may join", list(ACCESS), format_func=ACCESS.get, horizontal=True,
                          help="Verified members prove they are on the membership list (number and postcode); "
                               "their region comes from the list.")
        scope_regions, scope_parties = scope_fields(engine, key="create_scope",
                                                    local_note=" · verified members only")
        join_code = st.text_input("Join code (optional: one is made up for you)", max_chars=12)
        created = st.form_submit_button("Create", type="primary")
    if created:
        try:
            made = storage.create_consultation(
                engine, title=title, question=question, description=description, min_chars=int(min_chars),
                max_chars=int(max_chars), max_proposals_per_participant=int(limit), moderation=moderation,
                results_visible=visible, join_code=join_code or None, actor=actor, access=access,
                scope=storage.Scope.checked(scope_regions, scope_parties))
        except storage.StoreError as exc:
            say("error", exc)
        else:
            st.session_state["running"] = made.join_code
            st.success(f"Created. Members join with the code {made.join_code}.", icon=":material/check_circle:")

frame = storage.list_consultations(engine)
if frame.empty:
    st.stop()
codes = frame["join_code"].tolist()
running = st.session_state.get("running")
choice = st.selectbox("Consultation (join code)", codes, index=codes.index(running) if running in codes else 0)
consultation = storage.find_consultation(engine, choice)
st.text(consultation.title)


@staff_action("officer", "facilitator")
def set_phase() -> None:
    chosen = st.session_state.get("phase_choice")
    if chosen and chosen != consultation.phase:
        storage.set_phase(engine, consultation.id, chosen, actor=actor)
        st.session_state["facilitator_messages"] = {"success": [f"Phase changed to: {PHASES[chosen]}."]}


@staff_action("officer", "facilitator")
def set_access() -> None:
    chosen = st.session_state.get("access_choice")
    if chosen and chosen != consultation.access:
        storage.update_settings(engine, consultation.id, actor=actor, access=chosen)
        st.session_state["facilitator_messages"] = {"success": [f"Who may join: {ACCESS[chosen]}."]}


@staff_action("officer", "facilitator")
def set_visibility() -> None:
    storage.update_settings(engine, consultation.id, actor=actor,
                          results_visible=bool(st.session_state.get("results_toggle")))


st.segmented_control("Phase", options=list(PHASES), format_func=PHASES.get, default=consultation.phase
                     if consultation.phase in PHASES else None, key="phase_choice", on_change=set_phase)
st.segmented_control("Who may join", options=list(ACCESS), format_func=ACCESS.get, default=consultation.access,
                     key="access_choice", on_change=set_access)
with (st.expander(f"Who it is for: {escape_markdown(consultation.scope.text)}", icon=":material/location_on:"),
      st.form("scope")):
    st.caption("Members outside these regions or local parties are told kindly that the consultation is not for "
               "them. It can be narrowed only while nobody outside the new limits has joined.")
    scope_regions, scope_parties = scope_fields(engine, key=f"scope_{consultation.id}",
                                                current=consultation.scope,
                                                local_note=" · verified members only")
    if st.form_submit_button("Save who it is for"):
        try:
            changed = storage.set_scope(engine, consultation.id,
                                        storage.Scope.checked(scope_regions, scope_parties), actor=actor)
        except storage.StoreError as exc:
            say("error", exc)
        else:
            st.session_state["facilitator_messages"] = {"success": [f"Now for {changed.scope.text}."]}
            st.rerun()
st.caption("Switching to members only mid-way: participants who joined without verifying stop counting at once "
           "(their votes leave every figure) and are asked to verify to go on.")
with st.expander("Open joins by network (last hour)"):
    networks = member_join.open_joins_by_network(engine, consultation.id)
    if networks.empty:
        st.caption("No open joins in the last hour.")
    else:
        st.caption("Each row is one network (one address, or an IPv6 /64), shown by a pseudonym. A hall on one Wi-Fi "
                   "has many joins that go on to vote; a script has many joins that do not. Each network may join "
                   f"{member_join.OPEN_JOINS_FREE} times, plus {member_join.JOINS_PER_ACTIVE} for every one of its "
                   "participants who votes. If joins look scripted, switch the consultation to members only.")
        st.dataframe(networks.rename(columns={"network": "Network", "joins": "Joins", "took_part": "Went on to vote",
                                              "allowance": "Joins allowed now"}), hide_index=True, width="stretch")
if consultation.access != "open" and roll.roll_summary(engine) is None:
    st.warning("No membership list is loaded, so members cannot verify yet. An officer loads it on the "
               "Membership page.", icon=":material/warning:")
st.toggle("Show results on the presenter view and to members", value=consultation.results_visible,
          key="results_toggle", on_change=set_visibility)
st.link_button("Open the presenter view (full screen)", presenter_access.presenter_path(consultation),
               icon=":material/present_to_all:")
members_reach = qr.join_url(resources.public_base_url(), consultation.join_code)
if qr.is_local_address(members_reach):
    say("warning", f"The QR code and link point at {members_reach}, which phones in the room cannot open. Set "
                   "CONSULT_PUBLIC_URL (or public_url in secrets) to the address members reach, then restart.")
if presenter_access.needs_key(consultation):
    st.caption("This consultation is for members only, so the presenter link carries a key: give it only to whoever "
               "runs the shared screen. The join code alone does not open it.")
with st.container(border=True, key="screen_controls"):
    st.subheader("On the screen: live polls, the Q&A, one proposal", anchor=False)
    room_controls.screen_controls(engine, consultation, actor)
with st.expander("Meeting ballots: members vote on their phones, the presenter shows turnout, then the result"):
    st.caption("One member, one vote, from the membership list (verified members only). The result appears on the "
               "presenter view only after you close the ballot.")
    ballot_forms.create_form(engine, consultation, actor, meeting=True)
    ballots.run_schedule(engine, consultation.id)
    meeting = ballots.list_ballots(engine, consultation.id)
    for ballot_id in meeting.loc[meeting["meeting"] == 1, "id"]:
        ballot = ballots.get_ballot(engine, int(ballot_id))
        with st.container(border=True):
            st.subheader(ballot.title, anchor=False)
            ballot_forms.staff_controls(engine, ballot, actor)
if st.button("Find themes now", help="Groups the published proposals into themes for the presenter view."):
    with st.spinner("Finding themes…"):
        model = theme_store.run(engine, consultation.id, actor=actor)
    st.success(f"{model.k_} themes found.", icon=":material/check_circle:")


@staff_action("officer", "facilitator")
def moderate(proposal_id: int, status: str) -> None:
    storage.set_proposal_status(engine, proposal_id, status, actor=actor,
                              reason="approved live" if status == "published" else "hidden live")


@st.fragment(run_every="3s")
def queue() -> None:
    # fragments do not re-run the page, so the session is checked here too (and a refresh is not activity)
    if session.role(touch=False) not in ("officer", "facilitator"):
        st.warning("You have been signed out. Reload the page to sign in again.", icon=":material/lock:")
        return
    pending = live.pending_proposals(engine, consultation.id)
    st.header(f"Waiting for approval ({len(pending)})", anchor=False)
    if pending.empty:
        st.caption("Nothing waiting." if consultation.moderation == "pre" else
                   "Proposals are published at once in this consultation, except any that look like they hold "
                   "personal details or abuse: those wait here.")
    for row in pending.itertuples():
        with st.container(border=True):
            st.text(row.body)
            a, b = st.columns(2)
            a.button("Approve", key=f"approve_{row.id}", on_click=moderate, args=(row.id, "published"),
                     type="primary", width="stretch")
            b.button("Hide", key=f"hide_{row.id}", on_click=moderate, args=(row.id, "hidden"),
                     width="stretch")
    # the Q&A in the same fragment: two fragments on one timer interrupt each other's runs, and an interrupted
    # run leaves its old elements (a button after sign-out) on the page
    room_controls.qa_moderation(engine, consultation.id, actor)


queue()
