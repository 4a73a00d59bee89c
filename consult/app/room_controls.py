"""The facilitator's controls for the shared screen: launch a question as a live poll (open, close, show or hide
its results), show the Q&A or one proposal large, go back to the room view; and moderate the Q&A."""

from __future__ import annotations

from functools import partial

import streamlit as st

from consult.app.components import caption, say, staff_action
from consult.questions.kinds import KIND_LABELS
from consult.storage import questions as question_store
from consult.storage import room, visibility
from consult.text.cleaning import counted, shorten

FOCUS_WORDS = {"none": "the room view (QR code, counts, regions, newest proposals)", "question": "a live poll",
               "proposal": "one proposal", "room_questions": "the Q&A"}


def _label(labels: dict[int, str], key: int) -> str:
    # module-level (through functools.partial): Streamlit keeps format_func with the widget's state. A
    # selectbox shows its options as plain text (no markdown), so escaping here showed its backslashes:
    # "taxes\. \(agree scale, open\)"
    return labels[key]


def _done(text: str) -> None:
    st.session_state["room_message"] = text


@staff_action("officer", "facilitator")
def launch(engine, consultation_id: int, question_id: int, actor: str) -> None:
    question_store.set_status(engine, question_id, "open", actor=actor)
    room.set_focus(engine, consultation_id, "question", question_id, actor=actor)
    _done("The poll is live: members answer on the Questions page, and the screen shows the answers as they come.")


@staff_action("officer", "facilitator")
def close_poll(engine, question_id: int, actor: str) -> None:
    question_store.set_status(engine, question_id, "closed", actor=actor)
    _done("The poll is closed; its final result stays on the screen until you change it.")


@staff_action("officer", "facilitator")
def show_results(engine, question_id: int) -> None:
    question_store.set_results_shown(engine, question_id, bool(st.session_state.get(f"shown_{question_id}")))


@staff_action("officer", "facilitator")
def focus_on(engine, consultation_id: int, kind: str, target_id: int | None, actor: str) -> None:
    room.set_focus(engine, consultation_id, kind, target_id, actor=actor)
    _done(f"The screen shows {FOCUS_WORDS[kind]}.")


@staff_action("officer", "facilitator")
def moderate(engine, room_question_id: int, status: str, actor: str) -> None:
    room.moderate(engine, room_question_id, status, actor=actor)


def screen_controls(engine, consultation, actor: str) -> None:
    """What the screen shows, and the buttons to change it."""
    message = st.session_state.pop("room_message", None)
    if message:
        say("success", message)
    kind, target = room.focus(engine, consultation.id)
    listed = question_store.list_questions(engine, consultation.id)
    counts = question_store.answer_counts(engine, consultation.id)
    live = next((q for q in listed if kind == "question" and q.id == target), None)
    caption(f"On the screen now: {FOCUS_WORDS[kind]}" + (f": {shorten(live.text, 80)}" if live else "") + ".")
    if live is not None:
        st.metric("Answers so far", f"{counts.get(live.id, 0):,}")
        cols = st.columns(2)
        if live.status == "open":
            cols[0].button("Close the poll", key="close_poll", on_click=close_poll, args=(engine, live.id, actor),
                           type="primary")
        cols[1].toggle("Show the results on the screen", value=live.results_shown, key=f"shown_{live.id}",
                       on_change=show_results, args=(engine, live.id))
    if listed:
        labels = {q.id: f"{shorten(q.text, 70)} ({KIND_LABELS[q.kind].split(' (')[0].lower()}, {q.status})"
                  for q in listed}
        chosen = st.selectbox("Question", list(labels), key="poll_choice", format_func=partial(_label, labels))
        st.button("Launch as a live poll", key="launch_poll", on_click=launch,
                  args=(engine, consultation.id, chosen, actor), icon=":material/podium:")
    else:
        caption("No questions yet: an officer writes them on the Questions page, or use the form below.")
    cols = st.columns(2)
    cols[0].button("Show the Q&A on the screen", key="focus_qa", on_click=focus_on,
                   args=(engine, consultation.id, "room_questions", None, actor), icon=":material/forum:")
    cols[1].button("Back to the room view", key="focus_none", on_click=focus_on,
                   args=(engine, consultation.id, "none", None, actor), icon=":material/home:")
    published = visibility.visible_proposals(engine, consultation.id)
    if not published.empty:
        labels = {int(pid): f"#{pid}: {shorten(body, 80)}" for pid, body in published["body"].items()}
        proposal = st.selectbox("Proposal", list(labels), key="focus_proposal_choice",
                                format_func=partial(_label, labels))
        st.button("Show this proposal large", key="focus_proposal", on_click=focus_on,
                  args=(engine, consultation.id, "proposal", proposal, actor), icon=":material/zoom_in:")


def qa_moderation(engine, consultation_id: int, actor: str) -> None:
    """Questions to the panel: waiting ones first (approve or hide), then the published ones by upvotes."""
    asked = room.room_questions(engine, consultation_id, staff=True)
    waiting = asked[asked["status"] == "pending"]
    st.subheader(f"Questions to the panel ({counted(len(asked), 'question')}, {len(waiting)} waiting)", anchor=False)
    order = asked.assign(waiting=asked["status"] != "pending").sort_values(["waiting", "upvotes"],
                                                                           ascending=[True, False], kind="stable")
    for row in order.itertuples():
        if row.status == "hidden":
            continue
        with st.container(border=True):
            st.text(row.body)
            caption(f"{counted(row.upvotes, 'upvote')} · {row.status}")
            cols = st.columns(3)
            if row.status == "pending":
                cols[0].button("Approve", key=f"qa_ok_{row.id}", type="primary", on_click=moderate,
                               args=(engine, row.id, "published", actor), width="stretch")
            elif row.status == "published":
                cols[0].button("Mark answered", key=f"qa_done_{row.id}", on_click=moderate,
                               args=(engine, row.id, "answered", actor), width="stretch")
            cols[1].button("Hide", key=f"qa_hide_{row.id}", on_click=moderate, args=(engine, row.id, "hidden", actor),
                           width="stretch")
