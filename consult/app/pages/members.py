"""The membership roll: load the party's list so members can verify, and compare membership with the population."""

import pandas as pd
import streamlit as st

from consult import regions
from consult.access import roll_file as membership
from consult.app import resources
from consult.app.components import require_role, say, uploaded_table
from consult.intake import spreadsheets as tables
from consult.storage import roll

require_role("officer")
engine = resources.engine()
actor = st.session_state.get("account", "officer")
st.title("Membership list")
st.caption("Members of 'members only' and 'mixed' consultations prove they are on this list with their membership "
           "number and a second detail (postcode or date of birth). Only keyed codes of those are stored, never the "
           "raw values; each member's region and local party come from the list.")

summary = roll.roll_summary(engine)
if summary is None:
    st.info("No membership list is loaded yet.", icon=":material/info:")
else:
    st.text(f"{summary.members:,} members loaded from {summary.source_name or 'a file'} · verified with: "
            f"{summary.verifier_label.lower()}")
    by_region = roll.members_by_region(engine).reindex(regions.answer_codes(), fill_value=0)
    population = regions.population_baseline()
    st.dataframe(pd.DataFrame({
        "Region": [regions.region_name(c) for c in by_region.index], "Members": by_region.to_numpy(),
        "Share of members": (by_region / max(by_region.sum(), 1) * 100).to_numpy(),
        "Share of population": [population.get(c, float("nan")) / population.sum() * 100 for c in by_region.index],
    }), hide_index=True, width="stretch", column_config={
        "Share of members": st.column_config.NumberColumn(format="%.1f%%"),
        "Share of population": st.column_config.NumberColumn(format="%.1f%%")})

st.header("Load a membership list", anchor=False)
frame = uploaded_table("Membership list (CSV or Excel)")
columns = list(frame.columns)
guess = membership.guess_columns(columns)
none = "(none)"


def _index(options: list[str], value: str | None) -> int:
    return options.index(value) if value in options else 0


with st.form("roll"):
    st.write(f"{len(frame):,} rows. Which column holds what?")
    number_col = st.selectbox("Membership number", columns, index=_index(columns, guess["number"]))
    verifier_col = st.selectbox("Detail members prove it with", columns, index=_index(columns, guess["verifier"]))
    kinds = list(membership.VERIFIER_KINDS.values())
    kind_label = st.radio("That detail is a", kinds, horizontal=True)
    region_col = st.selectbox("Region (ITL1 code or name; Cymru, N. Ireland and the like are understood)", columns,
                              index=_index(columns, guess["region"]))
    party_col = st.selectbox("Constituency or local party (optional)", [none, *columns],
                             index=_index([none, *columns], guess["local_party"]))
    shrink = st.checkbox("Replace the list even if the new file is much smaller (more than half the members "
                         "would go)")
    load = st.form_submit_button("Load the list (it replaces the current one)", type="primary")
if load:
    kind = next(k for k, v in membership.VERIFIER_KINDS.items() if v == kind_label)
    try:
        parsed = membership.read_roll(frame, number_col=number_col, verifier_col=verifier_col, region_col=region_col,
                                      verifier_kind=kind, local_party_col=None if party_col == none else party_col)
        if parsed.rows.empty:
            raise ValueError("No row could be loaded, so the current list was kept.")
        loaded = roll.replace_roll(engine, parsed.rows, verifier_label=kind_label, source_name=frame.attrs["file_name"],
                                   actor=actor, allow_shrink=shrink)
    except (ValueError, tables.TableError) as exc:
        say("error", exc)
        st.stop()
    say("success", f"{parsed.lines:,} rows: {loaded:,} members loaded, {len(parsed.rejected):,} not loaded.")
    if parsed.rejected:
        st.dataframe(pd.DataFrame(parsed.rejected, columns=["Line", "Why it was not loaded"]), hide_index=True,
                     width="stretch")
