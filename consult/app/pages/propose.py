"""Make a proposal, after seeing whether a similar one already exists."""

import functools

import streamlit as st

from consult import regions, storage
from consult.app import member_views, resources, session
from consult.app.components import TIER_NAMES, caption, follow_live, proposal_card, show_messages, tier_label
from consult.proposals import flags as moderation
from consult.publishing import suppression
from consult.storage import tallies

member = session.require_member()
engine = resources.engine()
consultation = storage.get_consultation(engine, member.consultation_id)
st.title("Make a proposal")
caption(consultation.title)
st.text(consultation.question)

show_messages("propose_messages")
if consultation.phase not in storage.PROPOSAL_PHASES:
    st.info("This consultation is not taking new proposals at the moment. You can still vote.",
            icon=":material/lock:")
    if st.session_state.get("draft_text", "").strip():
        # nothing typed is lost: the text stays here (same widget key) and is back in the form if proposals reopen
        st.text_area("Your proposal (kept here: copy it, or send it if proposals reopen)", key="draft_text",
                     max_chars=consultation.max_chars, height=150)
    st.page_link("consult/app/pages/vote.py", label="Vote on proposals", icon=":material/thumbs_up_down:",
                 query_params=session.member_params())
    follow_live(consultation.id, consultation.phase)  # the facilitator may reopen proposals
    st.stop()

written = storage.proposals_written(engine, member.id)
remaining = consultation.max_proposals_per_participant - written


def _reset() -> None:
    st.session_state["draft_text"] = ""
    st.session_state.pop("similar", None)
    st.session_state.pop("flagged", None)


def _edit_again() -> None:
    st.session_state.pop("flagged", None)


def _save() -> None:
    text = st.session_state.get("draft_text", "")
    found = moderation.flags(text)
    try:
        saved = storage.add_proposal(engine, consultation.id, body=text, author_id=member.id,
                                     tier=st.session_state.get("draft_tier", "uk"))
    except storage.HeldForReview:
        # a copy of a proposal members cannot see: the words any held proposal gets, so nothing tells them apart
        saved = storage.Proposal(0, consultation.id, member.id, None, "uk", text, "pending", 0)
    except storage.StoreError as exc:
        st.session_state["propose_messages"] = {"error": [str(exc)]}
        st.session_state.pop("similar", None)
        return
    if saved.status == "pending" and found:
        note = (f"Thank you. Because it seems to contain {moderation.describe(found)}, an organiser will check it "
                "before other members see it. You can follow it on What happened.")
    elif saved.status == "pending":
        note = "Thank you. Your proposal will appear once an organiser has checked it."
    else:
        note = "Thank you. Your proposal is published and other members can now vote on it."
    st.session_state["propose_messages"] = {"success": [note]}
    _reset()


def _check() -> None:
    """Validate, then look for similar proposals; save at once when there are none."""
    text = st.session_state.get("draft_text", "")
    problems = storage.check_proposal_text(text, consultation)
    if problems:
        st.session_state["propose_messages"] = {"error": problems}
        return
    found = moderation.flags(text)
    if found and st.session_state.get("flagged") != text:
        st.session_state["flagged"] = text  # asked once per text: "send it anyway" goes on from here
        return
    similar = member_views.similar_to(consultation.id, text, top=3)
    # a member is not offered their own proposals (sending one again just thanks them again)
    similar = similar[[storage.proposal_author(engine, int(pid), consultation.id) != member.id
                       for pid in similar["proposal_id"]]]
    if similar.empty:
        _save()
    else:
        st.session_state["similar"] = similar["proposal_id"].tolist()


def _support_instead(proposal_id: int) -> None:
    try:
        storage.cast_vote(engine, member.id, proposal_id, 1)
    except storage.StoreError as exc:
        st.session_state["propose_messages"] = {"error": [str(exc)]}
        return
    st.session_state["propose_messages"] = {"success": ["You agreed with the existing proposal. Thank you."]}
    _reset()


if remaining <= 0:
    st.info(f"You have made all {consultation.max_proposals_per_participant} of your proposals. "
            "You can still vote on everyone else's.", icon=":material/info:")
    st.page_link("consult/app/pages/vote.py", label="Vote on proposals", icon=":material/thumbs_up_down:",
                 query_params=session.member_params())
    st.page_link("consult/app/pages/what_happened.py", label="See what happened to your proposals",
                 icon=":material/campaign:", query_params=session.member_params())
    st.stop()

st.text_area(
    "Your proposal", key="draft_text", max_chars=consultation.max_chars, height=150,
    help=f"Between {consultation.min_chars} and {consultation.max_chars} characters. One idea per proposal.",
    placeholder="What should change, and why?",
)
# a member who gave a region is asked about it first: defaulting to "the whole UK" pulled regional ideas to London's
# national debate (the brief's worry)
if "draft_tier" not in st.session_state:
    st.session_state["draft_tier"] = "region" if member.region in regions.region_codes() else "uk"
# a named function (not a lambda): widget options are kept in the session, which must be picklable
st.selectbox("What is it about?", options=list(TIER_NAMES), key="draft_tier",
             format_func=functools.partial(tier_label, member_region=member.region))
st.caption(f"{remaining} of your {consultation.max_proposals_per_participant} proposals left"
           + (" · an organiser checks proposals before they appear" if consultation.moderation == "pre" else ""))

similar_ids = st.session_state.get("similar")
flagged_text = st.session_state.get("flagged")
if flagged_text and flagged_text == st.session_state.get("draft_text") and not similar_ids:
    st.warning(f"This looks like it contains {moderation.describe(moderation.flags(flagged_text))}. Proposals are "
               "read by every member: please take out anyone's personal details and any insults. If you send it "
               "as it is, an organiser will check it before anyone else sees it.", icon=":material/front_hand:")
    left, right = st.columns(2)
    left.button("Edit it", on_click=_edit_again, width="stretch")
    right.button("Send it as it is", on_click=_check, width="stretch")
elif not similar_ids:
    st.button("Continue", type="primary", on_click=_check, width="stretch")
else:
    st.warning("Similar proposals already exist. Would you rather agree with one of these?",
               icon=":material/content_copy:")
    published = resources.published(consultation.id, consultation.visibility_version)
    # only what members may see now: a proposal hidden since the check is no longer offered
    offered = [pid for pid in similar_ids if pid in published.index]
    totals = tallies.vote_totals(engine, offered) if consultation.results_visible else None
    for pid in offered:
        proposal_card(published.loc[pid, "body"])
        if totals is not None:
            agree, disagree = (totals.loc[pid, "agree"], totals.loc[pid, "disagree"]) if pid in totals.index \
                else (0, 0)
            st.caption(suppression.support_in_words(int(agree), int(disagree), consultation.min_cell))
        st.button("Agree with this instead", key=f"support_{pid}", on_click=_support_instead, args=(pid,))
    st.button("No, mine is different: submit it", type="primary", on_click=_save, width="stretch")
