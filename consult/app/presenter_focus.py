"""The presenter's focus views, each filling the screen beside the join QR code: a live poll (bars or a word
cloud), one proposal with its agree / disagree / pass bars, and the Q&A. Sizes are in vh, as on the room view, so
the same view reads at 1920x1080 and 1280x720. Member and staff text goes through st.text or is escaped."""

from __future__ import annotations

import streamlit as st

from consult import charts
from consult.live import room_screen
from consult.storage import questions as question_store
from consult.storage import room
from consult.text.cleaning import counted, escape_markdown, shorten

FOCUS_STYLE = """<style>
  .st-key-focus h1 { font-size: 6vh !important; line-height: 1.15 !important; -webkit-line-clamp: 4 !important; }
  .st-key-focus [data-testid="stText"], .st-key-focus [data-testid="stText"] *, .st-key-focus p {
    font-size: 3.4vh !important; line-height: 1.3 !important; }
  .st-key-focus [data-testid="stCaptionContainer"] p { font-size: 2.6vh !important; }
  .poll { display: flex; flex-direction: column; justify-content: space-evenly; min-height: 66vh; gap: 1vh;
    margin-top: 1vh; }
  .poll-row { display: grid; grid-template-columns: 30% 1fr 18vh; align-items: center; gap: 1vw; }
  .poll-label { font-size: var(--type); line-height: 1.2; color: #111; overflow: hidden; display: -webkit-box;
    -webkit-line-clamp: 2; -webkit-box-orient: vertical; }
  .poll-track { background: #e6e6e6; border-radius: 0.8vh; height: var(--bar); overflow: hidden; }
  .poll-fill { background: #2166ac; height: 100%; transition: width 0.8s ease-out; }
  .poll-figure { font-size: calc(var(--type) * 1.2); font-weight: 700; color: #111; white-space: nowrap; }
  .poll-figure span { font-size: calc(var(--type) * 0.75); font-weight: 400; color: #333; }
  .cloud { text-align: center; line-height: 1.25; padding: 2vh 1vw; color: #1a3d6d; }
  .cloud span { display: inline-block; margin: 0 1vw; font-weight: 700; }
  .st-key-qa [data-testid="stText"], .st-key-qa [data-testid="stText"] * { font-size: 4.2vh !important;
    line-height: 1.25 !important; }
  .st-key-qa [data-testid="stHorizontalBlock"] { border-bottom: 1px solid #ccc; padding: 1.4vh 0; }
  .qa-votes { font-size: 4vh; font-weight: 700; color: #5b2a86; white-space: nowrap; }
</style>"""


def poll(engine, consultation, question_id: int) -> None:
    question = question_store.get_question(engine, question_id)
    counts = room_screen.poll_counts(engine, consultation.id, question)
    answered = int(counts["respondents"].iloc[0]) if len(counts) else 0
    st.title(escape_markdown(shorten(question.text, 200)), anchor=False)
    state = "Answer now on your phone: the Questions page" if question.status == "open" else "Poll closed"
    st.caption(f"{state} · {counted(answered, 'answer')}")
    if not question.results_shown:
        st.text("Results are hidden until the facilitator shows them.")
        return
    if question.kind == "free_text":
        st.html(room_screen.word_cloud_html(counts))
        left_out = counts.attrs.get("left_out", 0)
        if left_out:
            st.caption(f"{counted(left_out, 'answer')} kept off the screen (personal details or abuse).")
    elif question.kind == "number":
        median = counts["value"].iloc[0]
        st.metric("Median answer", "–" if median != median else f"{median:,.6g}")
    else:
        if question.kind == "ranking":
            st.caption("Share ranking each option first")
        st.html(room_screen.bars_html(counts))


def proposal(engine, consultation, proposal_id: int) -> None:
    totals = room_screen.proposal_totals(engine, consultation.id, proposal_id, n=1)
    if totals.empty:
        st.caption("This proposal is not published (it may have been hidden or merged).")
        return
    row = totals.iloc[0]
    st.text(shorten(str(row["text"]), 400))
    votes = int(row["agree"] + row["disagree"] + row["passes"])
    st.caption(counted(votes, "vote"))
    if consultation.results_visible or consultation.phase in ("results", "closed"):
        figure = charts.room_votes(totals)
        figure.update_layout(height=260, font={"size": 22}, showlegend=True)
        st.plotly_chart(figure, width="stretch", config={"displayModeBar": False, "staticPlot": True},
                        key="focus_proposal_chart")
    else:
        st.caption("Results are hidden until the facilitator reveals them.")


def questions_to_the_panel(engine, consultation) -> None:
    st.title("Questions to the panel", anchor=False)
    asked = room.room_questions(engine, consultation.id)
    waiting = asked[asked["status"] == "published"].head(5)
    if waiting.empty:
        st.caption("Ask on your phone: the Questions page, under Ask the panel. Upvote the ones you want answered.")
    with st.container(key="qa"):
        for row in waiting.itertuples():
            cols = st.columns([1, 8], vertical_alignment="center")
            cols[0].html(f'<div class="qa-votes">▲ {int(row.upvotes)}</div>')
            cols[1].text(shorten(row.body, 200))
    answered = int((asked["status"] == "answered").sum())
    if answered:
        st.caption(f"{counted(answered, 'question')} answered so far.")
