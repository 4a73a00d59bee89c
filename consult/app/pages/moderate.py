"""Moderation: pending and flagged proposals; approve, hide, restore, merge duplicates, with reasons."""

import pandas as pd
import streamlit as st

from consult import regions, storage
from consult.app import resources
from consult.app.components import pick_consultation, require_role, say, show_messages
from consult.publishing import pseudonyms
from consult.storage import erasure
from consult.text.cleaning import counted

require_role("officer")
engine = resources.engine()
actor = st.session_state.get("account", "officer")
st.title("Moderation")
consultation = pick_consultation()
show_messages("moderation_messages")

needs = resources.moderation_queue(consultation.id)
st.header(f"Needs a look ({len(needs)})", anchor=False)
st.caption("Pending proposals, and published ones flagged for abusive language or personal data "
           "(emails, phone numbers, postcodes, names). Nothing is hidden automatically.")
view = pd.DataFrame({"Select": False, "#": needs["id"], "Proposal": needs["body"], "Status": needs["status"],
                     "Flags": needs["flags"].map(", ".join),
                     "Region": needs["region"].map(regions.region_names()).fillna("")})
edited = st.data_editor(view, hide_index=True, width="stretch", key="moderation_queue",
                        disabled=["#", "Proposal", "Status", "Flags", "Region"],
                        column_config={"Select": st.column_config.CheckboxColumn("Select")})
picked = edited.loc[edited["Select"], "#"].tolist()

with st.form("bulk"):
    st.write(f"{len(picked)} selected")
    action = st.radio("Action", ["published", "hidden"], horizontal=True,
                      format_func={"published": "Approve / restore", "hidden": "Hide"}.get)
    reason = st.text_input("Reason (kept in the audit log; the author reads it on What happened)", max_chars=500)
    if st.form_submit_button("Apply to selected", type="primary"):
        if not picked:
            st.error("Select at least one proposal first.")
        elif action == "hidden" and not reason.strip():
            st.error("Give a reason for hiding: it is kept in the audit log.")
        else:
            for pid in picked:
                storage.set_proposal_status(engine, int(pid), action, actor=actor, reason=reason)
            resources.clear_officer_caches()
            st.session_state["moderation_messages"] = {"success": [f"{len(picked)} proposal(s) updated."]}
            st.rerun()

st.header("Any proposal", anchor=False)
with st.form("single"):
    cols = st.columns([1, 2])
    pid = cols[0].number_input("Proposal number (#)", min_value=1, step=1)
    status = cols[1].radio("Set to", ["published", "hidden"], horizontal=True,
                           format_func={"published": "Published (restore)", "hidden": "Hidden"}.get)
    reason = st.text_input("Reason (the author reads it if the proposal is hidden)", max_chars=500,
                           key="single_reason")
    if st.form_submit_button("Apply"):
        try:
            storage.set_proposal_status(engine, int(pid), status, actor=actor, reason=reason)
        except storage.StoreError as exc:
            say("error", exc)
        else:
            resources.clear_officer_caches()
            st.success(f"Proposal {int(pid)} is now {status}.")

st.header("Likely duplicates", anchor=False)
groups = resources.likely_duplicates(consultation.id)
if groups.empty:
    st.caption("No published proposals look like the same idea said twice.")
else:
    st.caption(f"{groups['group'].nunique():,} groups of published proposals that say much the same thing, largest "
               "first, each around its most voted proposal. Merging moves the others' votes to it (a member who "
               "voted on both keeps one vote) and tells their authors on What happened. Untick any that differ.")
    for number in groups["group"].unique()[:10]:
        group = groups[groups["group"] == number]
        kept = group.loc[group["keep"]].iloc[0]
        with st.container(border=True):
            st.subheader(f"Keep #{int(kept['proposal_id'])} ({counted(int(kept['votes']), 'vote')})", anchor=False)
            st.text(kept["body"])
            others = group.loc[~group["keep"]]
            chosen = st.data_editor(
                pd.DataFrame({"Merge": True, "#": others["proposal_id"].to_numpy(), "Proposal": others["body"].to_numpy(),
                              "Votes": others["votes"].to_numpy()}),
                hide_index=True, width="stretch", disabled=["#", "Proposal", "Votes"], key=f"duplicates_{number}",
                column_config={"Merge": st.column_config.CheckboxColumn("Merge")})
            picked = chosen.loc[chosen["Merge"], "#"].tolist()
            if st.button(f"Merge {len(picked)} into #{int(kept['proposal_id'])}", key=f"merge_group_{number}",
                         disabled=not picked):
                moved, merged, problems = 0, 0, []
                for duplicate in picked:
                    try:
                        moved += storage.merge_proposals(engine, int(duplicate), int(kept["proposal_id"]),
                                                         actor=actor, reason="the same idea as a proposal kept")
                        merged += 1
                    except storage.StoreError as exc:  # merged or hidden by someone else meanwhile
                        problems.append(f"#{int(duplicate)} was not merged: {exc}")
                resources.clear_officer_caches()
                st.session_state["moderation_messages"] = {"error": problems, "success": [
                    f"Merged {merged} proposal(s) into #{int(kept['proposal_id'])}: {moved} vote(s) moved."]}
                st.rerun()

st.header("Merge duplicates by number", anchor=False)
with st.form("merge_proposals"):
    cols = st.columns(2)
    duplicate = cols[0].number_input("Duplicate proposal (#)", min_value=1, step=1)
    kept = cols[1].number_input("Keep this one (#)", min_value=1, step=1)
    reason = st.text_input("Reason", max_chars=500, key="merge_reason")
    if st.form_submit_button("Merge"):
        try:
            moved = storage.merge_proposals(engine, int(duplicate), int(kept), actor=actor, reason=reason)
        except storage.StoreError as exc:
            say("error", exc)
        else:
            resources.clear_officer_caches()
            st.success(f"Merged: {moved} vote(s) moved; members who had voted on both keep one vote.")

st.header("Erasure requests", anchor=False)
st.caption("Erase a member's votes and registration: find them by the pseudonym in the votes export, or as the "
           "author of a proposal. Their proposals are kept without an author, or removed with the votes on them.")
with st.form("erase_participant"):
    cols = st.columns(2)
    pseudonym = cols[0].text_input("Pseudonym from the votes export (P…)", max_chars=20)
    author_of = cols[1].number_input("…or the author of proposal (#)", min_value=0, step=1)
    remove = st.checkbox("Also remove their proposals (and the votes on them)")
    reason = st.text_input("Reason (kept in the audit log)", max_chars=500, key="erase_reason")
    if st.form_submit_button("Erase"):
        participant_id = None
        if pseudonym.strip():
            participant_id = pseudonyms.find_participant(engine, consultation.id, pseudonym)
        elif author_of:
            participant_id = storage.proposal_author(engine, int(author_of), consultation.id)
        if not reason.strip():
            st.error("Give a reason: it is kept in the audit log.")
        elif participant_id is None:
            st.error("No participant matches: check the pseudonym, or the proposal has no known author "
                     "(imported, seeded or already erased).")
        else:
            done = erasure.erase_participant(engine, participant_id, actor=actor, reason=reason,
                                             remove_proposals=remove)
            resources.clear_officer_caches()
            st.success(f"Erased: {done.votes_removed} vote(s); {done.proposals_anonymised} proposal(s) anonymised, "
                       f"{done.proposals_removed} removed.")
