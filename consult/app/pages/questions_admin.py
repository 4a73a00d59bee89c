"""Questions for officers: write questions or load a file of them, open and close them, and read each one's results
overall, by region (pooled estimates) and across regions, local parties and opinion groups."""

import streamlit as st

from consult.app import question_forms, resources, session
from consult.app.components import caption, pick_consultation, require_role, say, staff_action
from consult.publishing import question_results
from consult.questions.kinds import KIND_LABELS, KINDS, AnswerError, make_spec
from consult.questions.question_file import QuestionFileError, read_questions
from consult.storage import questions as question_store
from consult.storage.errors import StoreError

require_role("officer")
engine = resources.engine()
st.title("Questions")
consultation = pick_consultation()
actor = session.signed_in_as() or "officer"
code = consultation.join_code
caption("Structured questions beside the proposals: members answer on their phones (one answer each, changeable "
        "until the question closes). Results by region use the same pooled estimates as proposals.")

with st.expander("Write a question", expanded=not question_store.list_questions(engine, consultation.id)):
    with st.form("write_question", clear_on_submit=True):
        kind = st.selectbox("Kind", KINDS, format_func=KIND_LABELS.get)
        text = st.text_area("Question", max_chars=1000, height=80)
        options = st.text_area("Options, one per line (single, multiple choice and ranking)", height=120)
        cols = st.columns(2)
        low = cols[0].number_input("Smallest number allowed (numbers)", value=None)
        high = cols[1].number_input("Largest number allowed (numbers)", value=None)
        add = st.form_submit_button("Add the question", type="primary")
    if add:
        try:
            question_store.add_questions(engine, consultation.id,
                                         [make_spec(kind, text, options.splitlines(), low, high)], actor=actor)
        except (AnswerError, StoreError) as exc:
            say("error", exc)
        else:
            say("success", "Added as a draft: open it below when members should answer.")

with st.expander("Load questions from a file (CSV)"):
    st.caption("Columns: kind (agree_scale, single, multiple, ranking, number, free_text), text, options (separated "
               "by |), min, max. A file with any problem loads nothing and lists each problem with its line.")
    upload = st.file_uploader("Question file", type=["csv"], key="question_file")
    if upload is not None and st.button("Load these questions", key="load_questions"):
        try:
            ids = question_store.add_questions(engine, consultation.id, read_questions(upload.getvalue()), actor=actor)
        except QuestionFileError as exc:
            say("error", "Nothing was loaded: " + "; ".join(exc.problems))
        except StoreError as exc:
            say("error", exc)
        else:
            say("success", f"Loaded {len(ids)} question(s) as drafts.")


@staff_action("officer")
def set_status(question_id: int, status: str) -> None:
    question_store.set_status(engine, question_id, status, actor=actor)


@staff_action("officer")
def remove(question_id: int) -> None:
    question_store.delete_draft(engine, question_id, actor=actor)


listed = question_store.list_questions(engine, consultation.id)
counts = question_store.answer_counts(engine, consultation.id)
if listed:
    cols = st.columns(2)
    cols[0].download_button("Results by region (CSV)", key="dl_question_results", file_name=f"{code}-questions.csv",
                            mime="text/csv", on_click="ignore", icon=":material/table:",
                            data=lambda: question_results.results_csv(engine, consultation.id))
    cols[1].download_button("Every answer, pseudonymised (CSV)", key="dl_question_answers",
                            file_name=f"{code}-answers.csv", mime="text/csv", on_click="ignore",
                            icon=":material/list:",
                            data=lambda: question_results.answers_csv(engine, consultation.id))
for question in listed:
    with st.container(border=True, key=f"admin_question_{question.id}"):
        st.text(question.text)
        caption(f"{KIND_LABELS[question.kind]} · {question.status} · {counts.get(question.id, 0):,} answers")
        if question.options:
            caption("Options: " + " · ".join(question.options))
        buttons = st.columns(3)
        if question.status != "open":
            buttons[0].button("Open for answers", key=f"open_q{question.id}", on_click=set_status,
                              args=(question.id, "open"), type="primary")
        else:
            buttons[0].button("Close", key=f"close_q{question.id}", on_click=set_status, args=(question.id, "closed"))
        if question.status == "draft":
            buttons[1].button("Remove", key=f"remove_q{question.id}", on_click=remove, args=(question.id,))
            continue
        if not counts.get(question.id):
            continue
        with st.expander("Results", expanded=True):
            question_forms.results_view(question_results.question_results(engine, consultation.id, question), question)
            if question.kind not in ("number", "free_text"):
                by = st.segmented_control("Cross-tab by", list(question_results.GROUPINGS),
                                          format_func=question_results.GROUPINGS.get, key=f"by_{question.id}")
                if by:
                    table = question_results.crosstab_table(engine, consultation.id, question, by)
                    st.dataframe(table.drop(columns=["question_id", "question", "by"]), hide_index=True,
                                 width="stretch", column_config={"share": st.column_config.NumberColumn(
                                     format="percent")})
                    caption(f"Groups of fewer than {consultation.min_cell} are blanked (and one more where a total "
                            "would give them away).")
            if question.kind == "ranking":
                counted = question_results.ranking_count(engine, consultation.id, question)
                if counted is not None:
                    count, borda = counted
                    st.text(f"Instant-runoff winner: {', '.join(count.elected)} ({count.valid_papers:,} rankings)")
                    st.dataframe(borda, hide_index=True, width="stretch")
