"""Questions for members: answer the consultation's questions (a live poll first), and ask the panel a question or
upvote others' (the room's Q&A)."""

import streamlit as st

from consult import storage
from consult.app import question_forms, resources, session
from consult.app.components import caption, say
from consult.storage import questions as question_store
from consult.storage import room
from consult.text.cleaning import counted

member = session.require_member()
engine = resources.engine()
consultation = storage.get_consultation(engine, member.consultation_id)
st.title("Questions")
caption(consultation.title)

focus_kind, focus_id = room.focus(engine, consultation.id)
listed = question_store.list_questions(engine, consultation.id, statuses=("open", "closed"))
live_first = sorted(listed, key=lambda q: (not (focus_kind == "question" and q.id == focus_id), q.status != "open",
                                           q.position))
mine = question_store.participant_answers(engine, consultation.id, member.id)
for question in live_first:
    with st.container(border=True, key=f"question_{question.id}"):
        if focus_kind == "question" and question.id == focus_id and question.status == "open":
            st.badge("Live poll: on the screen now", icon=":material/podium:", color="violet")
        if st.session_state.pop(f"saved_{question.id}", False):
            say("success", "Your answer is saved.")
        question_forms.answer_form(engine, question, member.id, mine.get(question.id))
if not listed:
    st.caption("There are no questions in this consultation yet. When the organisers ask one, it appears here.")

st.header("Ask the panel", anchor=False)
st.caption("Questions to the speakers. Upvote the ones you want answered: the most upvoted rise to the top.")
with st.form("ask", clear_on_submit=True, border=False):
    asked = st.text_area("Your question", max_chars=room.MAX_ROOM_QUESTION_CHARS, height=80)
    send = st.form_submit_button("Send my question", type="primary")
if send:
    try:
        _, status = room.ask(engine, member.id, asked)
    except storage.StoreError as exc:
        say("error", exc)
    else:
        say("success", "Sent. It appears to everyone now." if status == "published" else
            "Sent. A facilitator will look at it before it appears to everyone.")


def upvote(question_id: int, up: bool) -> None:
    try:
        room.upvote(engine, member.id, question_id, up)
    except storage.StoreError as exc:
        st.session_state["room_message"] = str(exc)


message = st.session_state.pop("room_message", None)
if message:
    say("error", message)
asked_so_far = room.room_questions(engine, consultation.id, member.id)
if asked_so_far.empty:
    st.caption("No questions yet.")
for row in asked_so_far.itertuples():
    with st.container(border=True):
        st.text(row.body)
        status = {"pending": "Yours, waiting for a facilitator", "answered": "Answered"}.get(row.status, "")
        cols = st.columns([3, 2], vertical_alignment="center")
        cols[0].caption(" · ".join(part for part in (counted(row.upvotes, "upvote"), status) if part))
        if not row.asked_by_viewer and row.status != "pending":
            cols[1].button("Upvoted" if row.upvoted_by_viewer else "Upvote", key=f"up_{row.id}",
                           icon=":material/thumb_up:", type="primary" if row.upvoted_by_viewer else "secondary",
                           on_click=upvote, args=(row.id, not row.upvoted_by_viewer), width="stretch")

unanswered_open = [q for q in listed if q.status == "open" and q.id not in mine]
if not unanswered_open:
    # nothing left to press in a form: follow the room, so a poll the facilitator launches appears within seconds
    @st.fragment(run_every="3s")
    def _watch() -> None:
        if room.focus(engine, consultation.id) != (focus_kind, focus_id) or len(
                question_store.list_questions(engine, consultation.id, statuses=("open",))) != sum(
                q.status == "open" for q in listed):
            st.rerun()

    _watch()
