"""Responses ("you said, we did"): the officers' workflow over storage.

- `workflow`: the "needs an answer" queue and applying a spreadsheet of responses; `thresholds`: which proposals
  oblige an answer.

May import `consult.intake`, `consult.support` and `consult.storage`; never the app.
"""
