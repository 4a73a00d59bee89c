"""The widgets for structured questions: a member's answer form for each kind, and a question's results for staff.
Question and option texts are member-facing text written by staff or loaded from a file: shown as text, and
Markdown-escaped wherever Streamlit would read a label as Markdown."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from consult import charts
from consult.app.components import say
from consult.ballots.preferences import ranking_from_numbers
from consult.questions.kinds import AGREE_SCALE, KIND_LABELS, answer_text, decode_answer
from consult.storage import questions as question_store
from consult.storage.errors import StoreError
from consult.storage.questions import Question
from consult.text.cleaning import escape_markdown

HINTS = {
    "agree_scale": "Choose one point on the scale.",
    "single": "Choose one.",
    "multiple": "Tick all that apply.",
    "ranking": "Put 1 beside your first choice, 2 beside your second, and so on; number as many as you like.",
    "number": "A number, in figures.",
    "free_text": "A few words (up to 500 characters).",
}


def _label(labels: tuple[str, ...], offset: int, position: int) -> str:
    # a module-level function (through functools.partial), since Streamlit keeps format_func with widget state
    return escape_markdown(labels[position - offset])


def _widgets(question: Question, current: object):
    """The kind's widgets inside a form; returns a function that reads the answer when the form is submitted."""
    key = f"q{question.id}"
    if question.kind in ("agree_scale", "single"):
        labels = AGREE_SCALE if question.kind == "agree_scale" else question.options
        positions = list(range(1, 6)) if question.kind == "agree_scale" else list(range(len(labels)))
        index = positions.index(current) if current in positions else None
        chosen = st.radio("Your answer", positions, index=index, key=key, label_visibility="collapsed",
                          format_func=partial(_label, tuple(labels), 1 if question.kind == "agree_scale" else 0))
        return lambda: chosen
    if question.kind == "multiple":
        ticked = [position for position, option in enumerate(question.options)
                  if st.checkbox(escape_markdown(option), value=position in (current or []), key=f"{key}_{position}")]
        return lambda: ticked
    if question.kind == "ranking":
        order = {option: place + 1 for place, option in enumerate(current or [])}
        numbers = {position: st.selectbox(escape_markdown(option), list(range(1, len(question.options) + 1)),
                                          index=order[position] - 1 if position in order else None,
                                          placeholder="No number", key=f"{key}_{position}")
                   for position, option in enumerate(question.options)}
        return lambda: ranking_from_numbers(numbers)
    if question.kind == "number":
        low = question.min_value
        high = question.max_value
        value = st.number_input("Your answer", value=current, min_value=low, max_value=high, placeholder="A number",
                                key=key, label_visibility="collapsed")
        return lambda: value
    text = st.text_input("Your answer", value=current or "", max_chars=500, key=key, label_visibility="collapsed")
    return lambda: text


def answer_form(engine, question: Question, member_id: int, stored: str | None) -> None:
    """One question: its text, the widgets for its kind with the member's current answer, and Save. A closed
    question shows the member's answer, read-only."""
    st.text(question.text)
    current = decode_answer(question.spec, stored) if stored is not None else None
    if question.status != "open":
        st.caption("Closed. " + (f"Your answer: {escape_markdown(answer_text(question.spec, stored))}" if stored
                                 else "You did not answer it."))
        return
    with st.form(key=f"answer_{question.id}", border=False):
        st.caption(HINTS[question.kind] + (" You have answered; you can change it until the question closes."
                                           if stored is not None else ""))
        read = _widgets(question, current)
        saved = st.form_submit_button("Change my answer" if stored is not None else "Save my answer",
                                      type="primary")
    if not saved:
        return
    try:
        question_store.answer(engine, question.id, member_id, read())
    except (StoreError, ValueError) as exc:
        say("error", exc)
        return
    st.session_state[f"saved_{question.id}"] = True
    st.rerun()


def results_view(results: pd.DataFrame, question: Question) -> None:
    """A question's results for staff: the overall chart with intervals, and the table by region."""
    st.caption(KIND_LABELS[question.kind])
    if results.empty:
        st.caption("No answers yet.")
        return
    overall = results[results["region"] == "All regions"]
    if question.kind in ("number", "free_text"):
        st.dataframe(overall[["measure", "option", "n", "value", "share", "lower", "upper"]].dropna(axis=1, how="all"),
                     hide_index=True, width="stretch")
    else:
        st.plotly_chart(charts.answer_shares(overall, title=question.text), width="stretch",
                        config={"displayModeBar": False}, key=f"chart_{question.id}")
    regional = results[results["region"] != "All regions"]
    if not regional.empty:
        with st.expander("By region (pooled estimates; counts under the minimum are hidden)"):
            st.dataframe(regional[["option", "region", "n", "share", "lower", "upper", "value", "suppressed"]]
                         .dropna(axis=1, how="all"), hide_index=True, width="stretch",
                         column_config={c: st.column_config.NumberColumn(format="percent")
                                        for c in ("share", "lower", "upper")})
