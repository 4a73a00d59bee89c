"""Where my region stands: my region's support against the rest of the UK, and the widest-supported ideas."""

import streamlit as st

from consult import participation, regions, storage
from consult.app import resources, session
from consult.app.components import caption

member = session.require_member()
engine = resources.engine()
consultation = storage.get_consultation(engine, member.consultation_id)
region_name = regions.region_name(member.region)
st.title("Where my region stands")
caption(consultation.title)

mine = storage.participant_votes(engine, member.id)
if len(mine) < participation.MIN_VOTES_FOR_REGION_VIEW:
    st.info(f"Vote on at least {participation.MIN_VOTES_FOR_REGION_VIEW} proposals to see how members in "
            f"{region_name} compare with the rest of the UK. You have voted on {len(mine)}.", icon=":material/info:")
    st.page_link("consult/app/pages/vote.py", label="Vote on proposals", query_params=session.member_params())
    st.stop()
if not consultation.results_visible and consultation.phase not in ("results", "closed"):
    st.info("The organisers will share results when voting closes.", icon=":material/visibility_off:")
    st.stop()

votes = resources.votes(consultation.id)
published = resources.published(consultation.id)
names = {1: "agreed", -1: "disagreed", 0: "passed"}


def share(value: float, n: int) -> str:
    return "too few votes to show" if value != value else f"{value:.0%} agree ({n} votes)"


if member.region in regions.region_codes():
    table = participation.region_comparison(votes, member.id, member.region)
    table = table[table["proposal_id"].isin(published.index)]
    table = table.assign(gap=table["difference"].abs().fillna(-1)).sort_values("gap", ascending=False).head(20)
    st.subheader(f"{region_name} and the rest of the UK", anchor=False)
    st.caption("On the proposals you voted on, biggest differences first. Figures for fewer than 10 voters "
               "are not shown, so that nobody can be singled out.")
    for row in table.itertuples():
        with st.container(border=True):
            st.text(published.loc[row.proposal_id, "body"])
            st.caption(f"You {names[row.my_vote]} · {region_name}: {share(row.region_support, row.region_votes)}"
                       f" · Rest of the UK: {share(row.rest_support, row.rest_votes)}")
else:
    st.info("You did not give a UK region, so there is no regional comparison to show.", icon=":material/info:")

st.subheader("Ideas with the widest support across regions", anchor=False)
widest = participation.widest_support(votes)
widest = widest[widest.index.isin(published.index)]
if widest.empty:
    st.caption("Not enough votes yet.")
for proposal_id, row in widest.iterrows():
    with st.container(border=True):
        st.text(published.loc[proposal_id, "body"])
        weakest = (f"weakest region: {regions.region_name(row['weakest_region'])} ({row['weakest_support']:.0%})"
                   if row["weakest_region"] else "no region has 10 votes yet")
        st.caption(f"{row['support']:.0%} agree overall · {weakest} · "
                   f"{int(row['regions_counted'])} of 12 regions with enough votes")
