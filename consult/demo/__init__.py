"""The demo: a realistic devolution consultation (`consultation`, with `text` for its proposals), its synthetic
membership roll (`roll`), official responses (`responses`) and an all-member meeting with ballots (`ballots`).

May import any package but `consult.app`; nothing imports it but the CLI and the tests.
"""
