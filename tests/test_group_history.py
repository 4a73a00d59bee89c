"""The opinion groups last shown, kept in the database (consult.storage.group_history), on SQLite and PostgreSQL."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

from consult import storage
from consult.storage import erasure, group_history
from consult.storage import schema as s
from consult.storage.bulk import load

N_PROPOSALS = 12


@pytest.fixture
def camps(engine):
    """Two camps of 30 members who vote on 12 proposals, opposite ways on all of them."""
    consultation = storage.create_consultation(engine, title="Groups", question="What should change?",
                                               min_chars=5, max_chars=300)
    rng = np.random.default_rng(0)
    people = [f"m{i}" for i in range(60)]
    proposals = [f"p{j}" for j in range(N_PROPOSALS)]
    rows = [(person, proposal, int(rng.choice([1, -1], p=[0.9, 0.1])) * (1 if i < 30 else -1), 1_000 + i)
            for i, person in enumerate(people) for proposal in proposals]
    votes = pd.DataFrame(rows, columns=["participant_external_id", "proposal_external_id", "value", "created_ms"])
    load(engine, consultation.id,
         participants=pd.DataFrame({"external_id": people, "region": "E12000007", "channel": "import"}),
         proposals=pd.DataFrame({"external_id": proposals, "author_external_id": None,
                                 "body": [f"Proposal number {j} for the regions" for j in range(N_PROPOSALS)],
                                 "tier": "uk", "status": "published", "is_seed": False, "is_meta": False,
                                 "created_ms": 1}),
         votes=votes, events=votes)
    return engine, consultation.id


def current_votes(engine, consultation_id: int) -> pd.DataFrame:
    return storage.votes_frame(engine, consultation_id, published_only=True)


def stored_rows(engine, consultation_id: int) -> tuple[int, int]:
    with engine.connect() as conn:
        updates = conn.execute(select(func.count()).select_from(s.opinion_group_updates).where(
            s.opinion_group_updates.c.consultation_id == consultation_id)).scalar()
        members = conn.execute(select(func.count()).select_from(s.opinion_group_members).where(
            s.opinion_group_members.c.consultation_id == consultation_id)).scalar()
    return updates, members


def test_nothing_stored_means_a_fresh_history(camps):
    engine, consultation_id = camps
    stored = group_history.load(engine, consultation_id)
    assert stored.updated_ms is None and stored.history.previous is None and stored.history.smoother.current is None


def test_an_update_is_stored_and_the_next_one_keeps_its_groups(camps):
    engine, consultation_id = camps
    votes = current_votes(engine, consultation_id)
    first = group_history.current_groups(engine, consultation_id, votes, save_update=True, n_resamples=0)
    assert first.k_ == 2
    assert stored_rows(engine, consultation_id) == (1, 60)
    stored = group_history.load(engine, consultation_id)
    assert stored.history.smoother.current == 2
    pd.testing.assert_series_equal(stored.history.previous.sort_index(), first.labels_.dropna().astype("int64"),
                                   check_names=False)
    again = group_history.current_groups(engine, consultation_id, votes, save_update=True, n_resamples=0)
    assert again.carried_over_
    pd.testing.assert_series_equal(again.labels_, first.labels_)
    assert group_history.load(engine, consultation_id).updated_ms > stored.updated_ms


def test_the_report_and_exports_read_without_moving_the_stored_state(camps):
    engine, consultation_id = camps
    votes = current_votes(engine, consultation_id)
    shown = group_history.current_groups(engine, consultation_id, votes, save_update=True, n_resamples=0)
    before = group_history.load(engine, consultation_id).updated_ms
    read = group_history.current_groups(engine, consultation_id, votes, n_resamples=0)
    pd.testing.assert_series_equal(read.labels_, shown.labels_)
    assert group_history.load(engine, consultation_id).updated_ms == before


def test_group_numbers_follow_the_stored_groups_not_their_sizes(camps):
    engine, consultation_id = camps
    votes = current_votes(engine, consultation_id)
    shown = group_history.current_groups(engine, consultation_id, votes, save_update=True, n_resamples=0)
    # the stored numbers are swapped (as if the groups had been numbered the other way at an earlier update)
    stored = group_history.load(engine, consultation_id)
    stored.history.previous = 1 - stored.history.previous
    assert group_history.save(engine, consultation_id, False, stored.history, loaded_ms=stored.updated_ms)
    read = group_history.current_groups(engine, consultation_id, votes, n_resamples=0)
    assert (read.labels_.dropna() == 1 - shown.labels_.dropna()).all()


def test_a_stale_update_does_not_overwrite_a_newer_one(camps):
    engine, consultation_id = camps
    votes = current_votes(engine, consultation_id)
    group_history.current_groups(engine, consultation_id, votes, save_update=True, n_resamples=0)
    server_a, server_b = group_history.load(engine, consultation_id), group_history.load(engine, consultation_id)
    server_a.history.smoother.update(3)  # a's update saw another k winning once
    assert group_history.save(engine, consultation_id, False, server_a.history, loaded_ms=server_a.updated_ms)
    assert not group_history.save(engine, consultation_id, False, server_b.history, loaded_ms=server_b.updated_ms)
    kept = group_history.load(engine, consultation_id).history.smoother
    assert (kept.candidate, kept.streak) == (3, 1)


def test_two_first_updates_at_once_keep_one(camps):
    engine, consultation_id = camps
    votes = current_votes(engine, consultation_id)
    fitted = group_history.current_groups(engine, consultation_id, votes, n_resamples=0)
    history = group_history.load(engine, consultation_id).history
    history.smoother.update(fitted.k_)
    history.remember(fitted.labels_)
    assert group_history.save(engine, consultation_id, False, history, loaded_ms=None)
    assert not group_history.save(engine, consultation_id, False, history, loaded_ms=None)
    assert stored_rows(engine, consultation_id) == (1, 60)


def test_everyone_and_verified_members_only_are_kept_apart(camps):
    engine, consultation_id = camps
    votes = current_votes(engine, consultation_id)
    group_history.current_groups(engine, consultation_id, votes, save_update=True, n_resamples=0)
    assert group_history.load(engine, consultation_id, verified_only=True).updated_ms is None


def test_an_erased_member_leaves_no_stored_group(camps):
    engine, consultation_id = camps
    votes = current_votes(engine, consultation_id)
    group_history.current_groups(engine, consultation_id, votes, save_update=True, n_resamples=0)
    leaver = int(votes["participant_id"].iloc[0])
    erasure.erase_participant(engine, leaver, actor="officer", reason="request")
    previous = group_history.load(engine, consultation_id).history.previous
    assert leaver not in previous.index and len(previous) == 59
