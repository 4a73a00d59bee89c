"""Duplicates in the app: a member writing a paraphrase is offered the existing proposal with its support; an
officer merges a group of likely duplicates with one click (checked against the database)."""

from __future__ import annotations

from helpers import app_test, joined, sign_in_as

from consult import storage
from consult.access import staff_sign_in as auth
from tests.test_duplicates import OTHER_IDEAS, SAME_IDEA


def _consultation(engine):
    consultation = storage.create_consultation(engine, title="Local power", question="What should change?",
                                               join_code="LOCA26", min_chars=10)
    consultation = storage.update_settings(engine, consultation.id, actor="officer", min_cell=3)
    ids = [storage.add_proposal(engine, consultation.id, body=body, author_id=None, is_seed=True).id
           for body in SAME_IDEA + OTHER_IDEAS]
    return consultation, ids


def test_a_paraphrase_is_offered_with_the_existing_proposals_support(sqlite_engine, sqlite_url):
    consultation, ids = _consultation(sqlite_engine)
    voters = [storage.add_participant(sqlite_engine, consultation.id, region="E12000001") for _ in range(5)]
    for voter in voters[:4]:
        storage.cast_vote(sqlite_engine, voter.id, ids[0], 1)
    storage.cast_vote(sqlite_engine, voters[4].id, ids[0], -1)
    at, _ = joined(sqlite_url, sqlite_engine, consultation)
    at.run()
    at.switch_page("consult/app/pages/propose.py").run()
    at.text_area(key="draft_text").input("Neighbourhood forums should get proper money to spend").run()
    at.button[0].click().run()
    assert not at.exception
    assert "Similar proposals already exist" in at.warning[0].value
    assert SAME_IDEA[0] in [text.value for text in at.text]
    # 4 agree (at least the consultation's minimum of 3 is shown); 1 disagree is said as "fewer than 3"
    assert "4 agree · fewer than 3 disagree" in [caption.value for caption in at.caption]


def test_an_officer_merges_a_group_of_likely_duplicates_in_one_click(sqlite_engine, sqlite_url):
    consultation, ids = _consultation(sqlite_engine)
    voter = storage.add_participant(sqlite_engine, consultation.id, region="W92000004")
    storage.cast_vote(sqlite_engine, voter.id, ids[1], 1)  # the second wording is the most voted: it is kept
    storage.cast_vote(sqlite_engine, voter.id, ids[2], -1)
    accounts = {"olivia": {"role": "officer", "password_hash": auth.hash_password("correct horse battery")}}
    at = sign_in_as(app_test(sqlite_url, accounts=accounts), sqlite_url, "olivia", "officer").run()
    at.switch_page("consult/app/pages/moderate.py").run()
    assert not at.exception
    assert any(sub.value == f"Keep #{ids[1]} (1 vote)" for sub in at.subheader)
    at.button(key="merge_group_1").click().run()
    assert not at.exception
    assert any(f"Merged 2 proposal(s) into #{ids[1]}: 0 vote(s) moved" in message.value.replace("\\", "")
               for message in at.success)
    proposals = storage.proposals_frame(sqlite_engine, consultation.id).set_index("id")
    assert proposals.loc[[ids[0], ids[2]], "status"].tolist() == ["merged", "merged"]
    assert proposals.loc[ids[1], "status"] == "published"
    assert storage.participant_votes(sqlite_engine, voter.id) == {ids[1]: 1}  # one vote kept, on the kept one
    assert any(text.value.startswith("No published proposals look like") for text in at.caption)
