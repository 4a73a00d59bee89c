"""Responses ("you said, we did"): the proposals that must be answered, and answers drafted one by one, in bulk
or in a spreadsheet, then published for members to see."""

import streamlit as st

from consult import storage
from consult.app import resources
from consult.app.components import pick_consultation, require_role, say, show_messages, verified_only
from consult.intake import spreadsheets as tables
from consult.publishing import files
from consult.publishing import tables as published_tables
from consult.responses import workflow as answers
from consult.storage import responses

require_role("officer")
actor = st.session_state.get("account", "officer")
engine = resources.engine()
st.title("Responses")
consultation = pick_consultation()
cid = consultation.id
LABELS = responses.STATUS_LABELS

rules = responses.thresholds(engine, cid)
with st.expander("What obliges an answer", expanded=not rules.any), st.form("thresholds"):
    use_supporters = st.checkbox("At least this many supporters", value=rules.min_supporters is not None)
    supporters = st.number_input("Supporters (agree votes)", min_value=1, value=rules.min_supporters or 50)
    use_everywhere = st.checkbox("A majority in every region is likely",
                                 value=rules.everywhere_probability is not None)
    everywhere = st.slider("How likely (from the regional estimates)", 0.5, 0.99,
                           value=float(rules.everywhere_probability or 0.8), step=0.01)
    use_share = st.checkbox("A large share of one region's voters agree", value=rules.region_share is not None)
    share = st.slider(f"Share of the region's voters (at least {consultation.min_cell} of them voting)", 0.5,
                      1.0, value=float(rules.region_share or 0.7), step=0.05)
    if st.form_submit_button("Save the rules and check now"):
        try:
            responses.set_thresholds(engine, cid, responses.Thresholds(
                int(supporters) if use_supporters else None, everywhere if use_everywhere else None,
                share if use_share else None), actor=actor)
            say("success", f"Saved. {answers.refresh_queue(engine, cid)} proposals newly need an answer.")
        except storage.StoreError as exc:
            say("error", exc)

st.header("Needs an answer", anchor=False)
if st.button("Check the thresholds now", icon=":material/refresh:"):
    say("info", f"{answers.refresh_queue(engine, cid)} proposals newly need an answer.")
resources.refresh_answer_queue(cid)
queue = responses.needs_answer(engine, cid)
if queue.empty:
    st.caption("Nothing is waiting: no proposal has crossed a threshold without a published decision."
               if rules.any else "Set the rules above to see which proposals the party must answer.")
else:
    st.dataframe({"Proposal": queue["proposal"], "Why it needs an answer": queue["obliged_reason"],
                  "Waiting (days)": queue["waited_days"].round(1),
                  "Draft": queue["status"].map(LABELS)}, hide_index=True, width="stretch")

show_messages("responses_messages")
drafts = answers.unpublished_drafts(engine, cid)
wordless = answers.drafts_without_words(engine, cid)
if drafts:
    st.info(f"{len(drafts)} drafted responses are ready but not yet visible to members.", icon=":material/drafts:")
    with st.expander(f"Review the {len(drafts)} responses, then publish them"):
        st.dataframe(answers.publish_preview(engine, cid, drafts), hide_index=True, width="stretch",
                     column_config={"Proposal": st.column_config.TextColumn(width="large"),
                                    "Response": st.column_config.TextColumn(width="large")})
        checked = st.checkbox(f"I have read these {len(drafts)} responses and they can go to members",
                              key=f"publish_checked_{len(drafts)}")
        if st.button(f"Publish these {len(drafts)} responses", type="primary", disabled=not checked):
            try:
                done = responses.publish(engine, drafts, actor=actor)
            except storage.StoreError as exc:
                say("error", exc)
            else:
                # the banner above counted before publishing: run the page again so it tells the truth
                st.session_state["responses_messages"] = {"success": [f"Published {done} responses."]}
                st.rerun()
if wordless:
    st.caption(f"{wordless} drafts have no response text yet: they are not published until someone writes one.")

table = resources.officer_table(cid, verified_only(consultation))
table = table[table["status"] == "published"]
current = responses.responses_frame(engine, cid).set_index("proposal_id")
one, several, sheet = st.tabs(["One proposal", "Several at once", "Spreadsheet"])

with one:
    search = st.text_input("Find a proposal", placeholder="words from the proposal")
    shown = table[table["body"].str.contains(search, case=False, regex=False)] if search else table
    waiting_first = list(queue["proposal_id"]) + [p for p in shown["proposal_id"] if p not in set(queue["proposal_id"])]
    options = [p for p in waiting_first if p in set(shown["proposal_id"])]
    bodies = table.set_index("proposal_id")["body"]
    if not options:
        st.caption("No proposal matches.")
    else:
        # the options are the labels themselves: session state must stay picklable (no lambdas)
        by_label = {f"#{p} · {bodies[p][:100]}": p for p in options}
        chosen = by_label[st.selectbox("Proposal", list(by_label))]
        st.text(bodies[chosen])
        draft = current.loc[chosen] if chosen in current.index else None
        if draft is not None and isinstance(draft["published_status"], str):
            st.caption(f"Members see: {LABELS[draft['published_status']]}. {draft['published_body'] or ''}"[:400])
        statuses = list(LABELS)
        with st.form(f"respond_{chosen}"):
            status = statuses[list(LABELS.values()).index(st.selectbox(
                "Decision", list(LABELS.values()), index=statuses.index(draft["status"]) if draft is not None else 0))]
            body = st.text_area("Response members will read", value=draft["body"] if draft is not None else "",
                                max_chars=responses.MAX_RESPONSE_CHARS, height=140)
            referred_to = st.text_input("Referred to (for a referral)",
                                        value=draft["referred_to"] if draft is not None else "")
            decided_by = st.text_input("Decided by (a role or body, e.g. Policy commission)",
                                       value=draft["decided_by"] if draft is not None else "")
            save, publish_now = st.columns(2)
            saved = save.form_submit_button("Save draft")
            publishing = publish_now.form_submit_button("Save and publish", type="primary")
        if saved or publishing:
            try:
                responses.save_draft(engine, chosen, status=status, body=body, referred_to=referred_to,
                                     decided_by=decided_by, actor=actor)
                if publishing:
                    responses.publish(engine, [chosen], actor=actor)
                say("success", "Published: members can now read it." if publishing else "Draft saved.")
            except storage.StoreError as exc:
                say("error", exc)
        if status in ("accepted", "accepted_in_part") and draft is not None:
            with st.form(f"milestone_{chosen}"):
                st.caption("Implementation progress (shown with the published response)")
                title = st.text_input("Milestone", placeholder="Motion passed at conference")
                percent = st.slider("Progress", 0, 100, 25, step=5)
                due = st.date_input("Due", value=None)
                if st.form_submit_button("Add milestone"):
                    try:
                        responses.add_milestone(engine, chosen, title=title, percent=percent,
                                                due_ms=answers.day_ms(due), actor=actor)
                        say("success", "Milestone added.")
                    except storage.StoreError as exc:
                        say("error", exc)

with several:
    themes = sorted(t for t in table["theme"].unique() if t)
    theme = st.selectbox("Proposals in the theme", themes) if themes else None
    in_theme = table[table["theme"] == theme] if theme else table.head(0)
    theme_labels = {f"#{p} · {bodies[p][:80]}": p for p in in_theme["proposal_id"]}
    picked = [theme_labels[label] for label in st.multiselect(
        "Proposals to answer together", list(theme_labels), default=list(theme_labels))]
    with st.form("bulk"):
        bulk_label = st.selectbox("Decision for all of them", list(LABELS.values()))
        bulk_status = next(code for code, label in LABELS.items() if label == bulk_label)
        bulk_body = st.text_area("One response for all of them", max_chars=responses.MAX_RESPONSE_CHARS)
        bulk_referred = st.text_input("Referred to (for a referral)", key="bulk_referred")
        if st.form_submit_button(f"Save as drafts for {len(picked)} proposals") and picked:
            saved_ids, problems = answers.draft_many(engine, picked, status=bulk_status, body=bulk_body,
                                                     referred_to=bulk_referred, actor=actor)
            say("success", f"Saved {len(saved_ids)} drafts. Publish them above when ready.")
            for problem in problems[:10]:
                say("warning", problem)

with sheet:
    st.caption("Download every proposal with its response, fill in the status and response columns in a meeting, "
               "and upload it back. Rows that cannot be applied are listed with their line numbers; the rest are "
               "saved as drafts.")
    st.download_button("Download responses (Excel)", published_tables.responses_table(engine, cid).pipe(
        lambda frame: files.xlsx_bytes({"Responses": (frame, "responses")})),
        file_name=f"responses-{consultation.join_code}.xlsx")
    upload = st.file_uploader("Upload the filled-in file (CSV or Excel)", type=["csv", "xlsx"])
    if upload is not None and st.button("Apply the file as drafts"):
        try:
            report = answers.apply_responses_workbook(engine, cid, tables.read_table(data=upload.getvalue(),
                                                                             name=upload.name), actor=actor)
            say("success", f"{report.rows} rows: {report.applied} applied as drafts, {len(report.rejected)} not "
                           "applied.")
            if report.rejected:
                st.dataframe(report.rejected_frame(), hide_index=True, width="stretch")
        except (ValueError, storage.StoreError) as exc:
            say("error", exc)
