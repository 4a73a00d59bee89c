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


def _votes_mirror(engine, cid, clock):
    return Mirror(lambda since: storage.votes_frame(engine, cid, published_only=True, changed_since_ms=since),
                  stamp="updated_ms", key=VOTE_KEY, full_every=30, clock=clock,
                  fingerprint=lambda after, before: storage.votes_fingerprint(engine, cid, before, after_ms=after,
                                                                              published_only=True))


def _voting(engine, cid, n_people=3, n_proposals=3):
    people = [storage.add_participant(engine, cid, region="E12000003").id for _ in range(n_people)]
    proposals = [storage.add_proposal(engine, cid, body=f"Let the regions raise their own taxes, version {n}",
                                      author_id=people[0]).id for n in range(n_proposals)]
    storage.set_phase(engine, cid, "voting", actor="test")
    return people, proposals


def test_the_fingerprint_is_the_count_and_summed_age_of_the_rows_before_a_time(engine, consultation):
    people, proposals = _voting(engine, consultation.id)
    for person in people:
        storage.cast_vote(engine, person, proposals[0], 1)
    stamps = storage.votes_frame(engine, consultation.id, published_only=True)["updated_ms"]
    before = int(stamps.max()) + 1
    assert storage.votes_fingerprint(engine, consultation.id, before, published_only=True) == (
        len(stamps), int((before - stamps).sum()))
    assert storage.votes_fingerprint(engine, consultation.id, int(stamps.min()), published_only=True) == (0, 0)


def _mirror_after_a_first_vote(engine, consultation):
    """(people, proposals, the mirror's clock as a one-item list, the mirror), the mirror holding one vote."""
    people, proposals = _voting(engine, consultation.id)
    now = [0.0]
    mirror = _votes_mirror(engine, consultation.id, lambda: now[0])
    storage.cast_vote(engine, people[0], proposals[0], 1)
    mirror.current()
    return people, proposals, now, mirror


def test_a_whole_read_is_skipped_when_the_copy_matches_its_fingerprint(engine, consultation):
    people, proposals, now, mirror = _mirror_after_a_first_vote(engine, consultation)
    storage.cast_vote(engine, people[1], proposals[1], -1)
    now[0] = 31  # the check is due: nothing was missed, so only what changed is read
    pd.testing.assert_frame_equal(ordered(mirror.current()),
                                  ordered(storage.votes_frame(engine, consultation.id, published_only=True)))
    assert (mirror.full_reads, mirror.checks, mirror.changed_reads) == (1, 1, 1)


def _mirror_missing_a_late_vote(engine, consultation, stamped_back_ms: int):
    """(the mirror's clock, the mirror) after another server's slow transaction: the mirror holds two votes, and a
    third is committed now with a stamp `stamped_back_ms` before the newest the copy holds."""
    from sqlalchemy import update

    from consult.storage import schema

    people, proposals, now, mirror = _mirror_after_a_first_vote(engine, consultation)
    storage.cast_vote(engine, people[1], proposals[1], -1)
    newest = int(mirror.current()["updated_ms"].max())
    storage.cast_vote(engine, people[2], proposals[2], 0)
    with engine.begin() as conn:
        conn.execute(update(schema.votes).where(schema.votes.c.participant_id == people[2])
                     .values(updated_ms=newest - stamped_back_ms))
    return now, mirror


def test_a_vote_committed_late_with_an_old_stamp_is_found_by_the_fingerprint(engine, consultation):
    now, mirror = _mirror_missing_a_late_vote(engine, consultation, 60_000)  # a minute back
    assert len(mirror.current()) == 2  # a changed-since read cannot see it
    now[0] = 31
    pd.testing.assert_frame_equal(ordered(mirror.current()),
                                  ordered(storage.votes_frame(engine, consultation.id, published_only=True)))
    assert mirror.full_reads == 2 and mirror.checks == 0


def test_the_published_proposals_fingerprint_matches_what_anyone_may_see(engine, consultation):
    from consult.storage import visibility

    _voting(engine, consultation.id)
    seen = visibility.visible_proposals(engine, consultation.id)["created_ms"]
    before = int(seen.max()) + 5
    assert visibility.visible_fingerprint(engine, consultation.id, before) == (len(seen), int((before - seen).sum()))


def test_the_fingerprint_can_cover_a_span_of_stamps_only(engine, consultation):
    people, proposals = _voting(engine, consultation.id)
    for person in people:
        storage.cast_vote(engine, person, proposals[0], 1)
    stamps = storage.votes_frame(engine, consultation.id, published_only=True)["updated_ms"].sort_values()
    before, after = int(stamps.max()) + 1, int(stamps.iloc[1])
    inside = stamps[stamps >= after]
    assert storage.votes_fingerprint(engine, consultation.id, before, after_ms=after, published_only=True) == (
        len(inside), int((before - inside).sum()))


def test_the_check_looks_at_the_last_minutes_and_a_whole_read_comes_round_for_the_rest(engine, consultation):
    # a vote stamped twenty minutes before the newest held and committed only now: no transaction lasts that
    # long, so the check (over the ten minutes before its read) does not look for it...
    now, mirror = _mirror_missing_a_late_vote(engine, consultation, 20 * 60_000)
    now[0] = 31
    assert len(mirror.current()) == 2 and mirror.checks == 1
    # ...and the whole read that comes round every ten minutes finds it
    now[0] = 601
    pd.testing.assert_frame_equal(ordered(mirror.current()),
                                  ordered(storage.votes_frame(engine, consultation.id, published_only=True)))
    assert mirror.full_reads == 2


def test_the_published_frame_is_what_anyone_may_see(engine, consultation):
    from consult.storage import visibility

    people, proposals = _voting(engine, consultation.id)
    storage.add_proposal(engine, consultation.id, body="A regional proposal for the North West only",
                         author_id=people[1], tier="region", is_seed=True)
    storage.set_proposal_status(engine, proposals[1], "hidden", actor="test", reason="a duplicate")
    storage.add_participant(engine, consultation.id, region="E12000002")
    expected = visibility.visible_proposals(engine, consultation.id)[["body", "tier", "region", "created_ms"]]
    pd.testing.assert_frame_equal(visibility.published_frame(engine, consultation.id), expected)
    newest = int(expected["created_ms"].max())
    pd.testing.assert_frame_equal(visibility.published_frame(engine, consultation.id, created_since_ms=newest),
                                  expected[expected["created_ms"] >= newest])
    assert visibility.published_frame(engine, consultation.id, created_since_ms=newest + 10**9).empty
