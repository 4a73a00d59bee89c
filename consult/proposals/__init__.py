"""Proposals from a member's side and an officer's: which comes next, what is similar, what needs a look.

- `routing`: Polis's comment priority; `participation`: the next proposal and how a region compares.
- `similar`: proposals like the one being written; `flags`: abuse and personal data to check; `filters`: the
  officers' table filters and chart clicks.

May import `consult.text`, `consult.support`, `consult.regions` and `consult.storage`; never the app.
"""
