"""Import responses from other tools (CSV or XLSX, with a column mapping) or a Polis export (zip)."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from consult import regions
from consult.app import resources
from consult.app.components import require_role, say, uploaded_table
from consult.intake import form_responses as imports
from consult.intake import polis
from consult.intake import spreadsheets as tables
from consult.intake import stance_scales as answer_scales

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
if frame.attrs.get("stopped_early"):
    say("warning", frame.attrs["stopped_early"])
st.write(f"{len(frame):,} rows, {len(frame.columns)} columns. A first look:")
st.dataframe(frame.head(5), width="stretch", hide_index=True)

columns = list(frame.columns)
none = "(none)"
try:
    guess = imports.guess_mapping(frame)
except ValueError as exc:
    say("error", exc)
    st.stop()


def _index(options: list, value: str | None) -> int:
    return options.index(value) if value in options else 0


st.header("Which column holds what?", anchor=False)
st.caption("Guessed from the headers and the content; change any that are wrong.")
text_col = st.selectbox("Response text", columns, index=_index(columns, guess.text), key="map_text")
region_col = st.selectbox("Region", [none] + columns, index=_index([none] + columns, guess.region), key="map_region")
respondent_col = st.selectbox("Respondent id", [none] + columns, index=_index([none] + columns, guess.respondent),
                              key="map_respondent")
stance_col = st.selectbox("The respondent's own support for their response: agree / disagree, Likert or 1-5 "
                          "(optional)", [none] + columns, index=_index([none] + columns, guess.stance),
                          key="map_stance",
                          help="Read as each respondent's vote on what they wrote. Leave it at (none) for a general "
                               "attitude question (\"Do you support devolution?\"): that is not a vote on their "
                               "own response.")
created_col = st.selectbox("When each response was made (optional)", [none] + columns,
                           index=_index([none] + columns, guess.created), key="map_created",
                           help="A form's Timestamp column. Dates are read day first (15/03/2024); times without "
                                "a zone are UK time. Without it, responses are dated when imported.")
mapping = imports.Mapping(text=text_col, region=None if region_col == none else region_col,
                          respondent=None if respondent_col == none else respondent_col,
                          stance=None if stance_col == none else stance_col,
                          created=None if created_col == none else created_col)

if mapping.stance:
    table, scale = answer_scales.answer_mapping(frame[mapping.stance])
    st.subheader("How the answers are read", anchor=False)
    st.caption(f"Read as {scale.describe() if scale else 'words'}. Change a reading where it is wrong; "
               "answers that cannot be read are left blank and the row is still imported.")
    edited = st.data_editor(
        table[["answer", "count", "reading"]], hide_index=True, width="stretch", key=f"stance_map_{stance_col}",
        disabled=["answer", "count"],
        column_config={"reading": st.column_config.SelectboxColumn(
            "Reading", options=["agree", "disagree", "neutral", answer_scales.UNREADABLE], required=True)})
    mapping.stance_values = answer_scales.mapping_from_table(edited)

if mapping.region:
    _, preview = imports.validate(frame, mapping)
    if preview.unknown_regions:
        st.subheader("Regions not recognised", anchor=False)
        st.caption("Choose a region for each spelling, or leave it as prefer not to say.")
        names = regions.region_names()
        unknown = pd.DataFrame({"spelling": list(preview.unknown_regions),
                                "rows": [", ".join(map(str, lines[:12])) + (" ..." if len(lines) > 12 else "")
                                         for lines in preview.unknown_regions.values()],
                                "region": "prefer not to say"})
        chosen = st.data_editor(unknown, hide_index=True, width="stretch", key=f"region_map_{region_col}",
                                disabled=["spelling", "rows"],
                                column_config={"region": st.column_config.SelectboxColumn(
                                    "Region", options=["prefer not to say"] + list(names.values()), required=True)})
        by_name = {name: code for code, name in names.items()}
        mapping.region_values = {row.spelling: by_name[row.region] for row in chosen.itertuples()
                                 if row.region in by_name}
        # says back what the table now holds, so an officer sees the choice was taken before importing
        st.caption(f"{len(mapping.region_values)} of {len(unknown)} spellings will go in as the region chosen; "
                   "the rest as prefer not to say.")

title = st.text_input("Title for the imported consultation", value=Path(frame.attrs["file_name"]).stem, max_chars=200)
if st.button("Import", type="primary"):
    try:
        tables.text_column(frame, text_col)
        report = imports.import_form_responses(engine, frame, mapping, title=title or "Imported responses", actor=actor)
    except (tables.TableError, ValueError) as exc:
        say("error", exc)
    else:
        say("success", f"Imported as consultation {report.consultation_id}. " + " ".join(report.summary()[:1]))
        for line in report.summary()[1:]:
            st.write(line)
        notes = report.notes_frame()
        if len(notes):
            st.header(f"Rows to look at ({len(notes)})", anchor=False)
            st.dataframe(notes, hide_index=True, width="stretch")
