"""Ballots for officers: create (from scratch or from the top proposals), open, watch turnout, close, publish."""

import pandas as pd
import streamlit as st

from consult import regions
from consult.app import resources, session
from consult.app.components import caption, pick_consultation, require_role, say
from consult.ballots import results
from consult.publishing import ballot_files
from consult.storage import ballots
from consult.storage.errors import StoreError

require_role("officer")
engine = resources.engine()
st.title("Ballots")
consultation = pick_consultation()
actor = session.signed_in_as() or "officer"
caption("One member, one vote, from the membership roll: who may vote is fixed when a ballot opens. Papers are kept "
        "apart from who voted; officers see turnout, never how anyone voted.")

with st.expander("Create a ballot", expanded=False), st.form("new_ballot"):
    kind = st.radio("Kind", ["motion", "preferential", "budget"], horizontal=True,
                    format_func={"motion": "Motion (for / against / abstain)",
                                 "preferential": "Preferential (rank; STV for several seats)",
                                 "budget": "Participatory budget (approve projects)"}.get)
    title = st.text_input("Title", max_chars=300, placeholder="The motion, or the post being filled")
    description = st.text_area("Explanation for members", max_chars=2000)
    options_text = st.text_area("Options, one per line (budget: name ; cost)",
                                help="Leave empty for a motion. For a budget write e.g. 'New bus route ; 40000'.")
    top = st.number_input("…or take the top proposals by support in every region (0 = no)", 0, 20, 0)
    seats = st.number_input("Seats to fill (preferential)", 1, 20, 1)
    budget = st.number_input("Budget (budget ballots)", 0, 10**12, 0, step=1000)
    max_approvals = st.number_input("Most projects a member may back (0 = no limit)", 0, 100, 0)
    majority = st.radio("Majority (motion)", ["simple", "two-thirds"], horizontal=True)
    quorum = st.number_input("Quorum: share of eligible members who must vote (%)", 0, 100, 0)
    scope = st.multiselect("Only members in these regions (empty = the whole party)", regions.region_codes(),
                           format_func=regions.region_name)
    meeting = st.checkbox("Show on the presenter view (all-member meeting)")
    if st.form_submit_button("Create draft", type="primary"):
        options: list[tuple] = []
        for line in options_text.splitlines():
            if not line.strip():
                continue
            label, _, cost = line.partition(";")
            try:
                options.append((label.strip(), int(cost.strip().replace(",", "")) if cost.strip() else None, None))
            except ValueError:
                say("error", f"The cost after ';' must be a whole number: {line}")
                st.stop()
        if top and not options:
            ranked, published = resources.top_consensus(consultation.id), resources.published(consultation.id)
            ranked = ranked[ranked["proposal_id"].isin(published.index)].head(int(top))
            options = [(published.loc[row.proposal_id, "body"], None, int(row.proposal_id))
                       for row in ranked.itertuples()]
        try:
            ballots.create_ballot(engine, consultation.id, kind, title, options, description=description,
                                  seats=int(seats), majority=majority, quorum_share=(quorum / 100) or None,
                                  budget=int(budget) or None, max_approvals=int(max_approvals) or None,
                                  scope_regions=tuple(scope), meeting=meeting, actor=actor)
            say("success", "Draft created: check it below, then open it.")
        except StoreError as exc:
            say("error", exc)

listed = ballots.list_ballots(engine, consultation.id)
if listed.empty:
    st.caption("No ballots yet.")
    st.stop()
for row in listed.itertuples():
    ballot = ballots.get_ballot(engine, int(row.id))
    with st.container(border=True):
        st.subheader(ballot.title, anchor=False)
        caption(f"{ballot.kind.capitalize()} · {ballot.status} · for members in {ballot.scope_text}")
        if ballot.options:
            st.dataframe(pd.DataFrame([{"option": o.label, "cost": o.cost} for o in ballot.options]).dropna(
                axis=1, how="all"), hide_index=True)
        if ballot.status == "draft":
            if st.button("Open for voting", key=f"open_{ballot.id}", type="primary"):
                try:
                    eligible = ballots.open_ballot(engine, ballot.id, actor=actor)
                    say("success", f"Open: {eligible:,} members may vote.")
                    st.rerun()
                except StoreError as exc:
                    say("error", exc)
            continue
        voted, eligible = ballots.turnout(engine, ballot.id)
        st.metric("Turnout", f"{voted:,} of {eligible:,}", f"{voted / eligible:.0%}" if eligible else None,
                  delta_color="off")
        if ballot.status == "open":
            if st.button("Close the ballot", key=f"close_{ballot.id}"):
                try:
                    ballots.close_ballot(engine, ballot.id, actor=actor)
                    st.rerun()
                except StoreError as exc:
                    say("error", exc)
            continue
        papers = ballots.papers(engine, ballot.id)
        st.text(results.result(ballot, papers).headline)
        name, data = ballot_files.papers_file(ballot, papers)
        st.download_button("Anonymised papers (recount with any tool)", data=data, file_name=name,
                           key=f"papers_{ballot.id}", on_click="ignore", icon=":material/download:")
        sheet = ballot_files.count_sheet(ballot, papers)
        st.download_button("Count sheet", data=sheet.encode("utf-8"), file_name=f"ballot-{ballot.id}-count.txt",
                           key=f"sheet_{ballot.id}", on_click="ignore", icon=":material/description:")
        with st.expander("Count sheet"):
            st.text(sheet)
