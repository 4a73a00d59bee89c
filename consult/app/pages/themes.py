"""Themes: what members said, by region; filter, search, and correct the themes."""

import pandas as pd
import streamlit as st

from consult import charts, regions
from consult.app import resources
from consult.app.components import pick_consultation, require_role, say, staff_action, verified_only
from consult.proposals import filters
from consult.storage import themes as theme_store
from consult.text.cleaning import escape_markdown
from consult.themes import incidental_names
from consult.themes.by_region import theme_by_region
from consult.themes.distinctive import distinctive_themes, most_distinctive

require_role("officer")
engine = resources.engine()
actor = st.session_state.get("account", "officer")
st.title("Themes")
consultation = pick_consultation()


def rerun_themes() -> None:
    with st.status("Finding themes…", expanded=True) as status:
        st.write("Reading the published proposals and fitting the theme model")
        model = theme_store.run(engine, consultation.id, actor=actor)
        st.write(f"Found {model.k_} themes; matching them to the previous run so names and edits are kept")
        resources.clear_officer_caches()
        status.update(label=f"Themes updated: {model.k_} themes", state="complete")
    if model.incidental_names_:
        # said outside the collapsed status, so an officer sees why no theme is a town (the names are members' words)
        st.caption(escape_markdown(incidental_names.in_words(model.incidental_names_)))


themes = theme_store.themes_frame(engine, consultation.id)
if st.button("Re-run theme finding", icon=":material/refresh:", help="Officers' names, merges and moves are kept."):
    rerun_themes()
    themes = theme_store.themes_frame(engine, consultation.id)
if themes.empty:
    st.info("No themes yet. Press 'Re-run theme finding' to group the proposals.", icon=":material/info:")
    st.stop()

table = resources.officer_table(consultation.id, verified_only(consultation))
labels = dict(zip(themes["id"], themes["label"], strict=True))
published = table[table["status"] == "published"]
grid = theme_by_region(published["theme_id"], published["region"])
grid = grid[grid["theme"].isin(labels)]
st.header("Themes by region", anchor=False)
st.caption("Click a square to list those proposals. Cells with fewer than 10 proposals are hidden.")
event = st.plotly_chart(charts.theme_region_grid(grid, labels), on_select="rerun", selection_mode="points",
                        key="theme_grid", width="stretch")
cell = filters.selected_cell(event.selection.points if event else [])
if cell is not None and cell != st.session_state.get("last_cell"):
    # a new click sets the filters (widgets keep their own state, so their defaults would not)
    st.session_state["last_cell"] = cell
    st.session_state["f_theme"], st.session_state["f_region"] = [cell[0]], [cell[1]]

st.header("What is distinctive where", anchor=False)
st.caption("Each region's themes against the rest of the UK: the ratio of the theme's share of the region's "
           "proposals to its share elsewhere, with an exact 95% interval (wide where a region has few proposals). "
           "A theme is called clear only when it stands out even allowing for having picked the top of the "
           "region's themes; where nothing does, the sentence says how large a difference could have shown.")
distinct = distinctive_themes(published["theme_id"], published["region"], labels=labels,
                              min_cell=int(consultation.min_cell or 10),
                              exclude_themes=tuple(themes.loc[themes["is_other"], "id"]))
if distinct.empty:
    st.info("Too few proposals with a UK region to compare regions yet.", icon=":material/info:")
else:
    tops = most_distinctive(distinct)
    region_names = dict(zip(tops["region"], tops["region_name"], strict=True))
    order = sorted(region_names, key=lambda code: region_names[code])
    chosen = st.selectbox("Region", order, format_func=region_names.get, key="distinct_region",
                          index=order.index("E12000001") if "E12000001" in order else 0)
    st.text(tops.loc[tops["region"] == chosen, "sentence"].iloc[0])
    st.plotly_chart(charts.distinctive_themes_chart(distinct[distinct["region"] == chosen], region_names[chosen]),
                    key="distinct_chart", width="stretch")
    with st.expander("Every region's most distinctive theme"):
        for sentence in tops["sentence"]:
            st.text(sentence)

with st.expander("Filters and search", expanded=cell is not None):
    cols = st.columns(2)
    chosen_regions = cols[0].multiselect("Author's region", regions.answer_codes(), format_func=regions.region_name,
                                         key="f_region")
    chosen_themes = cols[1].multiselect("Theme", list(labels), format_func=labels.get, key="f_theme")
    cols = st.columns(3)
    tiers = cols[0].multiselect("Tier", ["uk", "nation", "region", "local"], key="f_tier")
    statuses = cols[1].multiselect("Status", ["published", "pending", "hidden", "merged"], key="f_status")
    min_support = cols[2].slider("Minimum support", 0, 100, 0, step=5, key="f_support", format="%d%%")
    search = st.text_input("Search the proposals' text", key="f_search", max_chars=200)

shown = filters.filter_proposals(table, regions=chosen_regions, themes=chosen_themes, tiers=tiers,
                                 statuses=statuses, min_support=min_support / 100, search=search)
st.header(f"Proposals ({len(shown):,} of {len(table):,})", anchor=False)
st.dataframe(pd.DataFrame({
    "#": shown["proposal_id"], "Proposal": shown["body"], "Theme": shown["theme"],
    "Region": shown["region"].map(regions.region_names()), "Votes": shown["votes"], "Support": shown["support"] * 100,
    "Weighted": shown["weighted_support"] * 100, "Status": shown["status"],
}), hide_index=True, width="stretch", height=320, key="theme_proposals",
    column_config={"Support": st.column_config.NumberColumn(format="%.0f%%"),
                   "Weighted": st.column_config.NumberColumn(format="%.0f%%")})

@staff_action("officer")
def set_checked(theme_id: int) -> None:
    theme_store.mark_checked(engine, theme_id, actor=actor, checked=bool(st.session_state.get(f"checked_{theme_id}")))


st.header("Every theme", anchor=False)
real_themes = themes[~themes["is_other"]]
st.caption(f"{int(real_themes['checked'].sum())} of {len(real_themes)} themes checked by an officer. The report calls "
           "a theme checked only once an officer has read its proposals and ticked it here (or renamed it).")
for theme in themes.itertuples():
    members = published[published["theme_id"] == theme.id]
    agree = members["agree"].sum()
    votes = members["votes"].sum()
    # expander labels render Markdown, and theme labels come from members' words
    mark = " · checked" if theme.checked else ""
    with st.expander(f"{escape_markdown(theme.label)} · {theme.size} proposals{mark}", expanded=False):
        if not theme.is_other:
            st.checkbox("Checked: I have read this theme's proposals and it holds together", value=theme.checked,
                        key=f"checked_{theme.id}", on_change=set_checked, args=(int(theme.id),))
        st.text(f"Keywords: {theme.keywords}")
        if pd.notna(theme.coherence):
            # below 0.3 the proposals share little beyond a word or two: worth a look before relying on it
            strength = "weak: check before relying on it" if theme.coherence < 0.3 else "clear"
            st.text(f"Coherence {theme.coherence:.2f} ({strength})")
        st.text(f"Support across its proposals: {agree / votes:.0%} of {votes:,} votes" if votes else "No votes yet")
        for body in members.sort_values("votes", ascending=False)["body"].head(3):
            st.text(f"• {body}")

st.header("Correct the themes", anchor=False)
real = themes[~themes["is_other"]]
names = dict(zip(real["id"], real["label"], strict=True))
tab_rename, tab_merge, tab_split, tab_move = st.tabs(["Rename", "Merge", "Split", "Move a proposal"])
with tab_rename, st.form("rename"):
    target = st.selectbox("Theme", list(names), format_func=names.get, key="rename_theme")
    new_label = st.text_input("New name", max_chars=200, key="rename_label")
    if st.form_submit_button("Rename"):
        try:
            theme_store.rename(engine, target, new_label, actor=actor)
        except ValueError as exc:
            say("error", exc)
        else:
            resources.clear_officer_caches()
            st.success("Renamed. Later re-runs keep this name.")
with tab_merge, st.form("merge"):
    source = st.selectbox("Merge this theme", list(names), format_func=names.get, key="merge_source")
    into = st.selectbox("into this one", list(names), format_func=names.get, key="merge_target")
    if st.form_submit_button("Merge"):
        try:
            theme_store.merge(engine, source, into, actor=actor)
        except ValueError as exc:
            say("error", exc)
        else:
            resources.clear_officer_caches()
            st.success("Merged.")
with tab_split, st.form("split"):
    target = st.selectbox("Split this theme in two", list(names), format_func=names.get, key="split_theme")
    if st.form_submit_button("Split"):
        try:
            theme_store.split(engine, target, actor=actor)
        except ValueError as exc:
            say("error", exc)
        else:
            resources.clear_officer_caches()
            st.success("Split into two themes.")
with tab_move, st.form("move"):
    proposal_id = st.number_input("Proposal number (#)", min_value=1, step=1, key="move_proposal")
    target = st.selectbox("Move it to", list(names), format_func=names.get, key="move_theme")
    if st.form_submit_button("Move"):
        try:
            theme_store.move_proposal(engine, int(proposal_id), target, actor=actor)
        except ValueError as exc:
            say("error", exc)
        else:
            resources.clear_officer_caches()
            st.success("Moved. Later re-runs keep it there.")
