"""Officers' overview: the consultations, their counts, and who is taking part against the baseline."""

import pandas as pd
import streamlit as st

from consult import charts, storage
from consult.app import resources
from consult.app.components import pick_consultation, require_role, verified_only
from consult.publishing import suppression, tables
from consult.support import direct as support

require_role("officer")

engine = resources.engine()
st.title("Overview")
consultation = pick_consultation()
counts = storage.counts(engine, consultation.id)
cols = st.columns(4)
cols[0].metric("Participants", f"{counts.participants:,}",
               help=f"{counts.unverified:,} not verified against the membership list")
cols[1].metric("Published proposals", f"{counts.published:,}")
cols[2].metric("Waiting for moderation", f"{counts.pending:,}")
cols[3].metric("Votes", f"{counts.votes:,}")

frames = resources.overview_frames(consultation.id, verified_only(consultation))
table, test = support.representativeness(frames["participants"],
                                         storage.baseline_for(engine, consultation))
# figures about fewer people than the consultation's minimum are blanked here as in every export
table = suppression.participation_table(table, consultation.min_cell)
outside = suppression.suppress_count(test["not_in_a_region"], consultation.min_cell)
baseline_name = storage.baseline_name_for(engine, consultation)
st.header(f"Participation by region against the {'membership' if baseline_name == storage.MEMBERSHIP else baseline_name}",
             anchor=False)
st.caption(f"Chi-square test of fit: p = {test['p_value']:.2g}. "
           f"{outside if outside is not None else f'Fewer than {consultation.min_cell}'} participants gave no UK "
           f"region. Regions with fewer than {consultation.min_cell} participants show no figure.")
extremes = support.most_and_least_represented(table)
if extremes is not None:
    over, under = extremes
    hidden = support.hidden_under_represented(table)
    least = (f"{support.hidden_under_represented_words(hidden)}; of the regions shown, {under['name']}, "
             f"{under['ratio']:.2f} times its share" if len(hidden) else
             f"{under['name']}, {under['ratio']:.2f} times its share")
    st.markdown(f"**Most over-represented:** {over['name']}, {over['ratio']:.2f} times its share of the baseline. "
                f"**Most under-represented:** {least}.")
left, right = st.columns(2)
# half the page: tiles sized so that six columns of them fit without touching
left.plotly_chart(charts.region_tile_map(table, font_size=12, tile_size=62, height=460), width="stretch",
                  key="overview_tiles")
right.plotly_chart(charts.participation_bars(table), width="stretch", key="overview_bars")
three_ways = tables.membership_table(engine, consultation.id)
if three_ways is not None:
    st.header("Population, membership and participation", anchor=False)
    london = three_ways.set_index("region").loc["E12000007"]
    st.caption(f"Is the membership itself London-dominated? London has {london['population_share']:.0%} of the "
               f"population and {london['member_share']:.0%} of the members ({london['members_per_population']:.2f} "
               "times its share). Are we hearing every region? Compare taking part with membership: 1 means a "
               "region takes part in proportion to its members.")
    st.plotly_chart(charts.membership_bars(three_ways), width="stretch", key="overview_membership")
    st.dataframe(pd.DataFrame({
        "Region": three_ways["name"],
        "Members": ["hidden" if pd.isna(n) else f"{int(n):,}" for n in three_ways["members"]],
        "Members per population share": ["–" if pd.isna(v) else f"{v:.2f}"
                                         for v in three_ways["members_per_population"]],
        "Taking part per member share": ["hidden (too few taking part)" if pd.isna(v) else f"{v:.2f}"
                                         for v in three_ways["participants_per_member"]]}),
        hide_index=True, width="stretch")
st.header("Participation over time", anchor=False)
st.plotly_chart(charts.participation_over_time(frames["participants"], frames["events"]),
                width="stretch", key="overview_time")
st.header("Proposals by what they are about", anchor=False)
st.plotly_chart(charts.tier_bars(frames["proposals"]), width="stretch",
                key="overview_tiers")
# words where there is no number (a blank cell read as "None"): hidden counts, and ratios too early to give
hidden_count = f"fewer than {consultation.min_cell}"
st.dataframe(pd.DataFrame({
    "Region": table["name"],
    "Participants": [hidden_count if hide else f"{int(n):,}" for n, hide in zip(table["participants"],
                                                                             table["suppressed"], strict=True)],
    "Share": ["hidden" if hide else f"{v:.1%}" for v, hide in zip(table["sample_share"], table["suppressed"],
                                                                  strict=True)],
    "Baseline share": [f"{v:.1%}" for v in table["baseline_share"]],
    "Representation (1 = fair)": [
        f"at most {bound:.2f}" if hide and pd.notna(bound) else "hidden" if hide else
        "too early to compare" if pd.isna(ratio) else f"{ratio:.2f}"
        for ratio, hide, bound in zip(table["ratio"], table["suppressed"], table["ratio_at_most"], strict=True)],
}), hide_index=True, width="stretch")
