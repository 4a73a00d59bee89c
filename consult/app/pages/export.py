"""Downloads: proposals with their analysis, pseudonymised votes, the Polis schema, and the HTML report."""

import streamlit as st

from consult.app import resources
from consult.app.components import pick_consultation, require_role
from consult.publishing import polis_export, report, tables

require_role("officer")
engine = resources.engine()
st.title("Export and report")
consultation = pick_consultation()
code = consultation.join_code
st.caption("Spreadsheet cells that start with =, +, - or @ are made inert so they cannot run as formulas. "
           f"Participants appear only under pseudonyms, and regions with fewer than {consultation.min_cell} "
           "participants are suppressed.")

st.download_button("Proposals with support and consensus (CSV)", key="dl_csv", file_name=f"{code}-proposals.csv",
                   mime="text/csv", on_click="ignore", icon=":material/table:",
                   data=lambda: tables.proposals_csv(engine, consultation.id))
st.download_button("Workbook: proposals, votes, regions, themes (XLSX)", key="dl_xlsx", file_name=f"{code}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                   icon=":material/grid_on:", data=lambda: tables.workbook(engine, consultation.id))
st.download_button("Pseudonymised votes (CSV)", key="dl_votes", file_name=f"{code}-votes.csv", mime="text/csv",
                   on_click="ignore", icon=":material/how_to_vote:",
                   data=lambda: tables.votes_csv(engine, consultation.id))
st.download_button("Polis export (zip)", key="dl_polis", file_name=f"{code}-polis.zip", mime="application/zip",
                   on_click="ignore", icon=":material/folder_zip:",
                   data=lambda: polis_export.polis_zip(engine, consultation.id))
with st.expander("For moderators: every proposal, unpublished ones included"):
    st.caption("The exports above carry published proposals only. This file also holds pending, hidden and merged "
               "proposals (which may name people or hold abuse); its first line says so. Do not publish it.")
    st.download_button("Moderation export: all proposals (CSV)", key="dl_moderation",
                       file_name=f"{code}-MODERATION-all-proposals.csv", mime="text/csv", on_click="ignore",
                       icon=":material/shield:", data=lambda: tables.moderation_csv(engine, consultation.id))
st.download_button("Consultation report (HTML, works offline)", key="dl_report", file_name=f"{code}-report.html",
                   mime="text/html", on_click="ignore", icon=":material/description:", type="primary",
                   data=lambda: report.build(engine, consultation.id).encode("utf-8"))
