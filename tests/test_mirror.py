"""An app server's copies of the votes and of the published proposals, kept current by reading only what
changed, equal a full read."""

from __future__ import annotations

import random

import pandas as pd

from consult import storage
from consult.live.mirror import VOTE_KEY, Mirror, merge_changed


def ordered(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["participant_id", "proposal_id"]).reset_index(drop=True)


def test_changed_rows_replace_the_old_ones_and_new_rows_join():
    frame = pd.DataFrame({"participant_id": [1, 1, 2], "proposal_id": [10, 11, 10], "value": [1, -1, 0],
                          "updated_ms": [5, 6, 7]})
    changed = pd.DataFrame({"participant_id": [1, 3], "proposal_id": [11, 10], "value": [1, 1], "updated_ms": [9, 9]})
    merged = ordered(merge_changed(frame, changed, VOTE_KEY))
    assert merged[["participant_id", "proposal_id", "value"]].values.tolist() == [
        [1, 10, 1], [1, 11, 1], [2, 10, 0], [3, 10, 1]]
    assert merge_changed(frame, changed.iloc[:0], VOTE_KEY) is frame
    assert len(frame) == 3  # the frame readers hold is not changed


def test_the_mirror_matches_a_full_read_through_new_and_changed_votes(engine, consultation):
    cid = consultation.id
    people = [storage.add_participant(engine, cid, region=region).id
              for region in ("E12000001", "E12000007", "S92000003", "W92000004")]
    proposals = [storage.add_proposal(engine, cid, body=f"Give the regions power number {n} over their budgets",
                                      author_id=people[n % 4]).id for n in range(6)]
    storage.set_phase(engine, cid, "voting", actor="test")
    reads: list[int | None] = []

    def read(since: int | None) -> pd.DataFrame:
        reads.append(since)
        return storage.votes_frame(engine, cid, published_only=True, changed_since_ms=since)

    mirror = Mirror(read, stamp="updated_ms", key=VOTE_KEY, full_every=3600)
    assert mirror.current().empty
    rng = random.Random(1)
    for _ in range(5):
        for _ in range(6):  # new votes and changed votes (the same person and proposal again)
            storage.cast_vote(engine, rng.choice(people), rng.choice(proposals), rng.choice([-1, 0, 1]))
        full = storage.votes_frame(engine, cid, published_only=True)
        pd.testing.assert_frame_equal(ordered(mirror.current()), ordered(full))
    assert mirror.full_reads == 1 and mirror.changed_reads == 5
    assert all(since is not None for since in reads[1:])


def test_a_full_read_comes_round_on_its_own_clock(engine, consultation):
    now = [0.0]
    calls: list[int | None] = []
    mirror = Mirror(lambda since: calls.append(since) or storage.votes_frame(
        engine, consultation.id, changed_since_ms=since), stamp="updated_ms", key=VOTE_KEY, full_every=30,
        clock=lambda: now[0])
    mirror.current()
    now[0] = 10
    mirror.current()
    now[0] = 31
    mirror.current()
    assert calls[0] is None and calls[1] is not None and calls[2] is None


def test_the_published_proposals_mirror_matches_a_full_read_as_proposals_arrive(engine, consultation):
    from consult.storage import visibility

    cid = consultation.id
    mirror = Mirror(lambda since: visibility.visible_proposals(engine, cid, created_since_ms=since), stamp="created_ms")
    for batch in range(3):
        for n in range(2):
            author = storage.add_participant(engine, cid, region="E12000002").id
            storage.add_proposal(engine, cid, body=f"Regional assemblies should set bus fares, idea {batch}-{n}",
                                 author_id=author)
        pd.testing.assert_frame_equal(mirror.current(), visibility.visible_proposals(engine, cid))
    assert mirror.full_reads == 1 and mirror.changed_reads == 2
