"""Erasure driven by the personal-data map: after erasing a participant who wrote, voted, was flagged, sat in a
theme and in the audit log, nothing of theirs is left in any table, and this process's caches forget them."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select, text, update

from consult import storage
from consult.proposals import flags as moderation
from consult.storage import erasure, personal_data
from consult.storage import schema as s
from consult.storage.bulk import load

UNIQUE = "Zanzibarification"
EMAIL = "leaver@example.org"
NI = "N92000002"


@pytest.fixture
def world(engine):
    consultation = storage.create_consultation(engine, title="Erasure", question="What should change?",
                                               min_chars=5, max_chars=300)
    others = [storage.add_participant(engine, consultation.id, region="E12000007") for _ in range(6)]
    # the leaver arrives through an import, with an email as their external id on them and their proposal
    load(engine, consultation.id,
         participants=pd.DataFrame({"external_id": [EMAIL], "region": [NI], "channel": ["import"]}),
         proposals=pd.DataFrame({"external_id": [EMAIL + "#1"], "author_external_id": [EMAIL],
                                 "body": [f"{UNIQUE} of the ferries: call me on 07700 900123"],
                                 "tier": ["uk"], "status": ["published"], "is_seed": [False], "is_meta": [False],
                                 "created_ms": [1]}),
         votes=pd.DataFrame(columns=["participant_external_id", "proposal_external_id", "value", "created_ms"]),
         events=pd.DataFrame(columns=["participant_external_id", "proposal_external_id", "value", "created_ms"]))
    leaver_id = int(storage.participants_frame(engine, consultation.id).set_index("external_id").loc[EMAIL, "id"])
    own = int(storage.proposals_frame(engine, consultation.id).set_index("external_id").loc[EMAIL + "#1", "id"])
    second = storage.add_proposal(engine, consultation.id, body=f"More {UNIQUE} for island transport",
                                  author_id=leaver_id)
    theirs_to_vote_on = storage.add_proposal(engine, consultation.id, body="Fund buses in every region",
                                             author_id=others[0].id)
    storage.record_shown(engine, leaver_id, theirs_to_vote_on.id, consultation.id)
    storage.cast_vote(engine, leaver_id, theirs_to_vote_on.id, 1)
    storage.cast_vote(engine, leaver_id, theirs_to_vote_on.id, -1)
    for person in others:
        storage.cast_vote(engine, person.id, own, 1)
    assert moderation.flags(f"{UNIQUE} of the ferries: call me on 07700 900123") == ("phone number",)
    storage.set_proposal_status(engine, own, "hidden", actor="officer", reason=f"phone number of {UNIQUE}")
    storage.set_proposal_status(engine, own, "published", actor="officer", reason="number removed by agreement")
    with engine.begin() as conn:  # a theme the model made from their words (label and keywords)
        theme_id = conn.execute(s.themes.insert().values(
            consultation_id=consultation.id, label=f"{UNIQUE} / ferries", keywords=f"{UNIQUE.lower()}, ferries, bus",
            created_ms=1, updated_ms=1)).inserted_primary_key[0]
        for pid in (own, second.id):
            conn.execute(s.theme_assignments.insert().values(
                consultation_id=consultation.id, proposal_id=pid, theme_id=theme_id, score=0.9, rank=1))
        conn.execute(s.theme_assignments.insert().values(
            consultation_id=consultation.id, proposal_id=theirs_to_vote_on.id, theme_id=theme_id, score=0.5, rank=1))
        conn.execute(update(s.participants).where(s.participants.c.id == leaver_id).values(constituency="Foyle"))
        # the opinion group the app last showed them in (consult.storage.group_history)
        conn.execute(s.opinion_group_updates.insert().values(consultation_id=consultation.id, verified_only=False,
                                                             k=2, streak=0, updated_ms=1))
        conn.execute(s.opinion_group_members.insert(), [
            {"consultation_id": consultation.id, "verified_only": False, "participant_id": pid, "group_number": number}
            for pid, number in ((leaver_id, 0), (others[0].id, 1))])
    token = conn_token(engine, leaver_id)
    return engine, consultation, leaver_id, token, own, theme_id


def conn_token(engine, participant_id: int) -> str:
    with engine.connect() as conn:
        return conn.execute(select(s.participants.c.token).where(s.participants.c.id == participant_id)).scalar()


def _every_cell(engine) -> dict[str, list[str]]:
    cells: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for table in s.metadata.sorted_tables:
            for row in conn.execute(select(table)).mappings():
                for column, value in row.items():
                    cells.setdefault(f"{table.name}.{column}", []).append("" if value is None else str(value))
    return cells


def test_every_table_is_in_the_personal_data_map(engine):
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            names = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars())
        else:
            names = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname='public'")).scalars())
    assert names - {"sqlite_sequence"} <= personal_data.tables_covered()


def test_erasure_leaves_nothing_of_theirs_in_any_table(world):
    import consult.app.resources  # noqa: F401 - the app's cache listeners, as a running server has them

    engine, consultation, leaver_id, token, own, theme_id = world
    erasure.erase_participant(engine, leaver_id, actor="officer", reason="request by email", remove_proposals=True)
    cells = _every_cell(engine)
    for column, values in cells.items():
        joined = "\n".join(values)
        assert UNIQUE.lower() not in joined.lower(), column
        assert EMAIL not in joined and token not in joined and "07700" not in joined and "Foyle" not in joined, column
        if column.split(".")[1] in ("participant_id", "author_id"):
            assert str(leaver_id) not in values, column
        if not column.startswith(("regions.", "baselines.")):
            assert NI not in values, column
    with engine.connect() as conn:
        theme = conn.execute(select(s.themes).where(s.themes.c.id == theme_id)).one()
    assert theme.keywords == "bus" and theme.label == "Bus"  # "ferries" too was only in their words
    misses = moderation.flags.cache_info().misses
    moderation.flags(f"{UNIQUE} of the ferries: call me on 07700 900123")
    assert moderation.flags.cache_info().misses > misses  # this process had forgotten the text it checked


def test_kept_proposals_lose_every_link_to_their_author(world):
    engine, consultation, leaver_id, token, own, _ = world
    erasure.erase_participant(engine, leaver_id, actor="officer", reason="request")
    kept = storage.proposals_frame(engine, consultation.id).set_index("id").loc[own]
    assert pd.isna(kept["author_id"]) and pd.isna(kept["external_id"]) and pd.isna(kept["region"])
    assert UNIQUE in kept["body"]  # the words stay (the default), without an author
    cells = _every_cell(engine)
    assert not any(EMAIL in "\n".join(v) or token in "\n".join(v) for v in cells.values())
    # a moderator's note on a kept proposal ("phone number of ...") goes too: it may say who wrote it
    log = storage.audit_frame(engine, consultation.id)
    notes = log[(log["target_type"] == "proposal") & (log["target_id"] == own)]
    assert len(notes) and not notes["reason"].str.contains(UNIQUE).any()
