"""Consensus and division: what carries support across regions and opinion groups, and what divides."""

import pandas as pd
import streamlit as st

from consult import charts, regions, storage
from consult.app import resources
from consult.app.components import pick_consultation, require_role, verified_only
from consult.opinion import compare as group_compare
from consult.opinion.names import group_name
from consult.publishing.support_steps import support_steps
from consult.text.cleaning import shorten

require_role("officer")
st.title("Consensus and division")
consultation = pick_consultation()
table = resources.officer_table(consultation.id, verified_only(consultation))
published = table[(table["status"] == "published") & (table["votes"] > 0)]
if published.empty:
    st.info("No votes yet.", icon=":material/info:")
    st.stop()

percent = st.column_config.NumberColumn(format="%.0f%%")
st.header("Supported in every region", anchor=False)
st.caption("Ranked by the expected support in whichever region is weakest, from pooled regional estimates: a "
           "region with few votes leans on the proposal's national figure and the region's general lean, so the "
           "same support shown in 12 regions ranks above it shown in 2 and unknown in 10. Each region has its own "
           "spread, so a region that differs strongly on a few proposals keeps its difference, and regions that move "
           "together (where opinion groups are mixed differently by region) are judged together. The raw share is "
           "the voters who agree; the weighted estimate is the regional model's figure with each region counted at its share "
           "of the baseline (how each is reached: below). Where fewer than half the regions have 10 or more votes on "
           "a proposal, its chance of a majority in every region is rough: it leans on the model's caution about "
           "regions it has barely heard from (in simulations such figures came true more often than they said).")
ranked = published.sort_values("consensus_rank").head(15)
st.plotly_chart(charts.support_intervals(ranked), width="stretch", key="support_intervals")
st.dataframe(pd.DataFrame({
    "Rank": ranked["consensus_rank"], "Proposal": ranked["body"],
    "Majority in every region (probability)": ranked["prob_all"] * 100,
    "Raw share": ranked["support"] * 100, "Weighted estimate": ranked["weighted_support"] * 100,
    "Weighted estimate 95%": [f"{lo:.0%}–{hi:.0%}" for lo, hi in zip(ranked["weighted_low"], ranked["weighted_high"],
                                                             strict=True)],
    "Weakest region": ranked["weakest_region"],
    "Weakest region estimate": ranked["weakest_support"] * 100, "Votes": ranked["votes"],
    "Regions with 10+ votes": ranked["regions_with_own_votes"],
}), hide_index=True, width="stretch", column_config={
    "Raw share": percent, "Weighted estimate": percent, "Weakest region estimate": percent,
    "Majority in every region (probability)": percent})

st.header("How each figure is reached, proposal by proposal", anchor=False)
baseline_label = storage.baseline_name_for(resources.engine(), consultation)
st.caption("Three named steps from the votes to the headline figure, each with its 95% interval and what moved it, "
           "and the plain weighted share beside them. Pick any proposal (type to search).")
by_rank = published.sort_values("consensus_rank")
chosen = st.selectbox("Proposal", by_rank["proposal_id"].tolist(), key="weighting_proposal",
                      format_func=dict(zip(by_rank["proposal_id"], by_rank["body"].map(shorten), strict=True)).get)
row = by_rank.set_index("proposal_id").loc[chosen]
steps = support_steps(row, baseline_label)
for column, step in zip(st.columns(len(steps)), steps, strict=True):
    with column, st.container(border=True):
        st.metric(step.name, "–" if step.value is None else f"{step.value:.0%}", help=step.interval or None)
        st.caption(step.interval)
        st.write(step.sentence)
st.caption(f"Votes: {int(row['votes']):,} · regions with 10+ votes: {int(row['regions_with_own_votes'])}")

st.subheader("Who chose to answer", anchor=False)
st.caption("Members are shown one proposal at a time and may leave without answering. If those who agree answer more "
           "often, a region's agree share is raised by who chose to answer; the cards left unanswered show it.")
for sentence in resources.selection_findings(consultation.id):
    st.text(sentence)

st.header("Opinion groups", anchor=False)
summary = resources.opinion_summary(consultation.id, verified_only(consultation))
if summary["k"] < 2:
    st.info("Not enough votes yet to find opinion groups.", icon=":material/info:")
else:
    st.caption(f"{summary['k']} groups found from members' votes (Polis's method), recomputed at most once a minute. A group "
               "keeps its number from one update to the next, and the number of groups changes only after another "
               "number has fitted better four updates running. Grey points voted too little to be placed in a group.")
    st.plotly_chart(charts.opinion_map(summary["projection"]), width="stretch", key="opinion_map")
    st.write(summary["steadiness"])
    bodies = table.set_index("proposal_id")["body"]
    cols = st.columns(summary["k"])
    for col, (group, size) in zip(cols, summary["sizes"].items(), strict=False):
        with col:
            st.markdown(f"**{group_name(group)}** · {size} members")
            rep = summary["repness"][summary["repness"]["group"] == group]
            for row in rep.itertuples():
                st.text(f"{row.direction} {row.p:.0%}: {bodies.get(row.proposal_id, '')}")

st.header("What one side agrees on that the other does not", anchor=False)
by = st.radio("Compare", ["group", "region"], horizontal=True, key="compare_by",
              format_func={"group": "Opinion groups", "region": "Regions"}.get)
if by == "group":
    sides = [int(g) for g in summary.get("sizes", pd.Series(dtype=int)).index] if summary["k"] >= 2 else []
    name_of = {g: group_name(g) for g in sides}
else:
    name_of = {**regions.region_names(), group_compare.REST: "the rest of the UK"}
    sides = list(name_of)
if len(sides) < 2:
    st.info("Not enough votes yet to compare groups.", icon=":material/info:")
else:
    pick_left, pick_right = st.columns(2)
    firsts = [s for s in sides if s != group_compare.REST]
    first = pick_left.selectbox("First", firsts, index=0, format_func=name_of.get, key=f"compare_first_{by}")
    # a region is compared with the rest of the UK first: what is distinctive of it
    others = [s for s in sides if s != first]
    others = ([group_compare.REST] + [s for s in others if s != group_compare.REST]) if by == "region" else others
    second = pick_right.selectbox("Second", others, index=0, format_func=name_of.get, key=f"compare_second_{by}")
    bodies = table.set_index("proposal_id")["body"]
    for this, other in ((first, second), (second, first)):  # one above the other: every column fits the width
        with st.container():
            found = resources.comparison(consultation.id, verified_only(consultation), by, this, other)
            st.subheader(f"{name_of[this][:1].upper()}{name_of[this][1:]} agrees, {name_of[other]} does not",
                         anchor=False)
            if found.empty:
                st.caption(f"Nothing {name_of[this]} agrees on clearly more than {name_of[other]} "
                           "(a difference that could be chance is not listed).")
                continue
            st.dataframe(pd.DataFrame({
                "Proposal": found["proposal_id"].map(bodies),
                f"{name_of[this]} agree": found["agree_share_first"] * 100, "votes": found["seen_first"],
                f"{name_of[other]} agree": found["agree_share_second"] * 100, "votes ": found["seen_second"],
            }), hide_index=True, width="stretch", column_config={
                "Proposal": st.column_config.TextColumn(width="large"),
                f"{name_of[this]} agree": percent, f"{name_of[other]} agree": percent})

left, right = st.columns(2)
with left:
    st.header("Most divisive between regions", anchor=False)
    st.caption("The spread of the pooled regional estimates: high only where the votes show regions differ.")
    divisive = published.sort_values("divisiveness", ascending=False).head(10)
    st.dataframe(pd.DataFrame({"Proposal": divisive["body"], "Spread (points)": divisive["divisiveness"] * 100,
                               "Most support": divisive["strongest_region"],
                               "Least support": divisive["weakest_region"]}), hide_index=True,
                 width="stretch", column_config={"Spread (points)": st.column_config.NumberColumn(format="%.1f")})
with right:
    st.header("Areas of uncertainty", anchor=False)
    st.caption("Many members passed: the proposal may be unclear or need more information.")
    unsure = published[published["passes"] / published["votes"] > 0.3].sort_values("votes", ascending=False)
    st.dataframe(pd.DataFrame({"Proposal": unsure["body"],
                               "Passed": (unsure["passes"] / unsure["votes"] * 100).round(0),
                               "Votes": unsure["votes"]}).head(10), hide_index=True, width="stretch",
                 column_config={"Passed": percent})
