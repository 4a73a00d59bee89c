"""Intake: other tools' files coming in, each checked row by row with a message that says what is wrong.

- `spreadsheets`: CSV and XLSX reading (streaming); `form_responses`: form exports mapped to proposals;
  `stance_scales`: agree/disagree scales in any wording; `vote_files`: votes files; `polis`: Polis export folders.

May import `consult.text`, `consult.regions` and `consult.storage`; never the app.
"""
