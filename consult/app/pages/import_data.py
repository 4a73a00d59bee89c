"""Import responses from other tools (CSV or XLSX, with a column mapping) or a Polis export (zip)."""

import tempfile
from pathlib import Path

import streamlit as st

from consult import imports, polis, tables
from consult.app import resources
from consult.app.components import require_role, say, uploaded_table

require_role("officer")
engine = resources.engine()
actor = st.session_state.get("account", "officer")
st.title("Import")
kind = st.radio("What are you importing?", ["responses", "polis"], horizontal=True,
                format_func={"responses": "Responses (CSV or XLSX)", "polis": "A Polis export (zip)"}.get)

if kind == "polis":
    upload = st.file_uploader("Polis export (.zip holding comments.csv and votes.csv)", type=["zip"])
    if upload is not None and st.button("Import the Polis export", type="primary"):
        try:
            with tempfile.TemporaryDirectory() as folder:
                consultation_id = imports.import_polis_zip(engine, upload.getvalue(), directory=Path(folder))
        except (polis.PolisFormatError, ValueError) as exc:
            say("error", exc)
        else:
            say("success", f"Imported as consultation {consultation_id}.")
    st.stop()

frame = uploaded_table("Responses file")
if frame.attrs.get("fallback_lines"):
    st.warning(f"{frame.attrs['fallback_lines']} line(s) were not UTF-8 and were read as Windows-1252.")
st.write(f"{len(frame):,} rows, {len(frame.columns)} columns. A first look:")
st.dataframe(frame.head(5), width="stretch", hide_index=True)

columns = list(frame.columns)
none = "(none)"
with st.form("mapping"):
    st.header("Which column holds what?", anchor=False)
    text_col = st.selectbox("Response text", columns, key="map_text")
    region_col = st.selectbox("Region", [none] + columns, key="map_region")
    respondent_col = st.selectbox("Respondent id", [none] + columns, key="map_respondent")
    stance_col = st.selectbox("Agree / disagree or Likert answer (optional)", [none] + columns, key="map_stance")
    title = st.text_input("Title for the imported consultation", value=Path(frame.attrs["file_name"]).stem, max_chars=200)
    go = st.form_submit_button("Import", type="primary")
if go:
    mapping = imports.Mapping(text=text_col, region=None if region_col == none else region_col,
                              respondent=None if respondent_col == none else respondent_col,
                              stance=None if stance_col == none else stance_col)
    try:
        tables.text_column(frame, text_col)
        report = imports.import_responses(engine, frame, mapping, title=title or "Imported responses", actor=actor)
    except (tables.TableError, ValueError) as exc:
        say("error", exc)
    else:
        say("success", f"Imported {report.accepted:,} responses as consultation {report.consultation_id}.")
        if report.duplicates:
            st.info(f"{report.duplicates} responses repeat another word for word (kept: campaigns are evidence).")
        if report.unknown_regions:
            say("warning", "Regions not recognised (kept as 'prefer not to say'): " +
                       ", ".join(f"{name or '(blank)'} ×{n}" for name, n in report.unknown_regions.items()))
        if report.rejected:
            st.header(f"Rejected rows ({len(report.rejected)})", anchor=False)
            st.dataframe(report.rejected_frame(), hide_index=True, width="stretch")
