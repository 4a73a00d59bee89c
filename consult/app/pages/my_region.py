"""Where my region stands: my region's support against the rest of the UK, and the widest-supported ideas."""

import streamlit as st

from consult import regions, storage
from consult.app import member_views, resources, session
from consult.app.components import caption
from consult.proposals import participation
from consult.text.figures import all_regions_chance, count_of

member = session.require_member()
engine = resources.engine()
consultation = storage.get_consultation(engine, member.consultation_id)
region_name = regions.region_name(member.region)  # as a label ("North East: about 40% agree")
in_region = regions.region_in_sentence(member.region)  # in a sentence ("members in the North East")
st.title("Where my region stands")
caption(consultation.title)

mine = storage.participant_votes(engine, member.id)
if len(mine) < participation.MIN_VOTES_FOR_REGION_VIEW:
    st.info(f"Vote on at least {participation.MIN_VOTES_FOR_REGION_VIEW} proposals to see how members in "
            f"{in_region} compare with the rest of the UK. You have voted on {len(mine)}.", icon=":material/info:")
    st.page_link("consult/app/pages/vote.py", label="Vote on proposals", query_params=session.member_params())
    st.stop()
if not consultation.results_visible and consultation.phase not in ("results", "closed"):
    st.info("The organisers will share results when voting closes.", icon=":material/visibility_off:")
    st.stop()

published = resources.published(consultation.id, consultation.visibility_version)
summary, estimates = member_views.regional_estimates(consultation.id)
summary = summary[summary.index.isin(published.index)]
names = {1: "agreed", -1: "disagreed", 0: "passed"}

if member.region in regions.region_codes():
    table = participation.region_view(estimates, summary, mine, member.region)
    table = table[table["proposal_id"].isin(published.index)]
    st.header(f"{regions.region_in_sentence(member.region, starts=True)} and the whole UK", anchor=False)
    st.caption(f"On the proposals you voted on, biggest differences first. Each figure is an estimate with a 95% "
               f"range: where few people in {in_region} have voted yet, it leans on the national figure and on "
               f"how {in_region} votes in general.")
    for row in table.itertuples():
        with st.container(border=True):
            st.text(published.loc[row.proposal_id, "body"])
            note = " · few votes here yet, so this leans on the national figure" if row.leans_on_pooling else ""
            st.caption(f"You {names[row.my_vote]} · {region_name}: about {row.estimate:.0%} agree "
                       f"({row.lower:.0%}–{row.upper:.0%}) · whole UK: about {row.uk_estimate:.0%}{note}")
else:
    st.info("You did not give a UK region, so there is no regional comparison to show.", icon=":material/info:")

st.header("Ideas most likely supported in every region", anchor=False)
widest = participation.widest_support(summary)
if widest.empty:
    st.caption("Not enough votes yet.")
for proposal_id, row in widest.iterrows():
    with st.container(border=True):
        st.text(published.loc[proposal_id, "body"])
        # one whole-UK figure on this page: the weighted estimate, as in the comparison above
        st.caption(f"Whole UK: about {row['weighted_support']:.0%} agree (from {count_of(row['votes'], 'vote')}) · "
                   f"{all_regions_chance(row['prob_all'], row['regions_with_own_votes'])} · "
                   f"weakest: {regions.region_name(row['weakest_region'])} "
                   f"(about {row['weakest_support']:.0%})")

st.page_link("consult/app/pages/what_happened.py", label="What happened to the proposals", icon=":material/campaign:",
             query_params=session.member_params())
