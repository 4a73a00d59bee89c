"""Vote on proposals one at a time: agree, disagree or pass; change earlier votes."""

import streamlit as st

from consult import storage
from consult.access import member_join
from consult.app import member_views, resources, session
from consult.app.components import caption, follow_live, proposal_card, show_messages
from consult.proposals import participation
from consult.text.cleaning import shorten

# bandit reads "Pass" as a password: it is a vote choice
CHOICES = {"Agree": 1, "Disagree": -1, "Pass": 0}  # nosec B105
NAMES = {value: name for name, value in CHOICES.items()}

member = session.require_member()
engine = resources.engine()
consultation = storage.get_consultation(engine, member.consultation_id)
st.title("Vote on proposals")
caption(consultation.title)


def cast(proposal_id: int, value: int) -> None:
    try:
        storage.cast_vote(engine, member.id, proposal_id, value)
    except storage.StoreError as exc:
        st.session_state["vote_messages"] = {"error": [str(exc)]}
    else:
        if "open_join_from" in st.session_state:  # an open joiner who takes part: not a script
            member_join.note_taking_part(engine, consultation.id, st.session_state.pop("open_join_from"))
    st.session_state.pop("current_proposal", None)


def change(proposal_id: int) -> None:
    choice = st.session_state.get(f"change_{proposal_id}")
    if choice is None:
        return
    cast(proposal_id, CHOICES[choice])
    st.session_state.setdefault("vote_messages", {"success": ["Your vote was changed."]})


show_messages("vote_messages")
if consultation.phase not in storage.VOTING_PHASES:
    st.info("Voting is closed in this consultation. Thank you for taking part.", icon=":material/lock:")
    st.page_link("consult/app/pages/my_region.py", label="See where your region stands", icon=":material/map:",
                 query_params=session.member_params())
    st.page_link("consult/app/pages/what_happened.py", label="See what happened to the proposals",
                 icon=":material/campaign:", query_params=session.member_params())
    follow_live(consultation.id, consultation.phase)
    st.stop()

published = resources.published(consultation.id, consultation.visibility_version)
mine = storage.participant_votes(engine, member.id)
voted_here = [pid for pid in mine if pid in published.index]
total = len(published)
share, goal_text = participation.progress_goal(len(voted_here), member.region)
st.progress(share, text=goal_text)

current = st.session_state.get("current_proposal")
if current is None or current in mine or current not in published.index:
    current = participation.next_from(*member_views.routing_order(consultation.id, member.region,
                                                                  consultation.visibility_version, published),
                                      member.id, set(mine))
    st.session_state["current_proposal"] = current
    if current is not None:  # what was put in front of the member, answered or not (support.selection reads it)
        storage.record_shown(engine, member.id, int(current), consultation.id)

if current is None and total == 0:
    st.info("No proposals yet: be the first. Members' proposals appear here as soon as they are added.",
            icon=":material/lightbulb:")
    if consultation.phase in storage.PROPOSAL_PHASES:
        st.page_link("consult/app/pages/propose.py", label="Make the first proposal", icon=":material/edit_note:",
                     query_params=session.member_params())
    follow_live(consultation.id, consultation.phase, published=total)
elif current is None:
    st.success("You have voted on every proposal. Thank you! New ones appear here as members add them.",
               icon=":material/celebration:")
    if consultation.phase in storage.PROPOSAL_PHASES:
        st.page_link("consult/app/pages/propose.py", label="Add a proposal of your own", icon=":material/edit_note:",
                     query_params=session.member_params())
    st.page_link("consult/app/pages/my_region.py", label="See where your region stands", icon=":material/map:",
                 query_params=session.member_params())
    follow_live(consultation.id, consultation.phase, published=total)
else:
    row = published.loc[current]
    proposal_card(row["body"], tier=row["tier"], region=row["region"])
    cols = st.columns(3)
    for col, (label, value) in zip(cols, CHOICES.items(), strict=True):
        # the same style for all three: the page must not nudge towards agreeing. The key holds the proposal: a
        # second quick tap, sent before the next card is on screen, is a tap on this card's button, which the next
        # run no longer has, so it is dropped instead of landing on a card the member has not seen
        col.button(label, key=f"vote_{label.lower()}_{int(current)}", on_click=cast, args=(int(current), value),
                   type="secondary", width="stretch")

if voted_here:
    with st.expander(f"Change an earlier vote ({len(voted_here)})"):
        recent = sorted(voted_here, key=lambda pid: -pid)[:20]
        for pid in recent:
            st.text(shorten(published.loc[pid, "body"], 160))
            st.segmented_control(
                "Your vote", options=list(CHOICES), default=NAMES[mine[pid]], key=f"change_{pid}",
                label_visibility="collapsed", on_change=change, args=(pid,),
            )

if len(voted_here) >= participation.MIN_VOTES_FOR_REGION_VIEW:
    st.page_link("consult/app/pages/my_region.py", label="See where your region stands",
                 icon=":material/map:", query_params=session.member_params())
