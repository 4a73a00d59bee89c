"""Publishing: everything that leaves the system (CSV, XLSX, the Polis export, the HTML report, CLI files).

One set of rules, applied here and nowhere else: tables are declared (`schemas`), participants appear only as
keyed pseudonyms (`pseudonyms`), text cells are made inert for spreadsheets (`cells`), figures about fewer
people than the consultation's minimum are suppressed (`suppression`), and per-vote times are coarsened
(`polis_export`). `tables` builds the exports, `files` writes them, `report` is the HTML report.
"""
