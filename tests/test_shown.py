"""Which proposals members were shown: the first showing kept, nothing recorded across consultations."""

from __future__ import annotations

from consult import storage


def test_a_card_shown_twice_keeps_its_first_time_and_only_counted_members_are_read(engine, consultation):
    member = storage.add_participant(engine, consultation.id, region="W92000004")
    proposal = storage.add_proposal(engine, consultation.id, body="Give Wales a say over rail franchising",
                                    author_id=member.id)
    assert storage.record_shown(engine, member.id, proposal.id, consultation.id)
    first = storage.shown_frame(engine, consultation.id)
    assert storage.record_shown(engine, member.id, proposal.id, consultation.id)
    again = storage.shown_frame(engine, consultation.id)
    assert len(first) == len(again) == 1
    assert again.iloc[0].to_dict() == {"participant_id": member.id, "proposal_id": proposal.id, "region": "W92000004"}


def test_a_card_from_another_consultation_or_a_missing_one_is_not_recorded(engine, consultation):
    other = storage.create_consultation(engine, title="Another", question="What else?", min_chars=5, max_chars=300)
    stranger = storage.add_participant(engine, other.id, region="S92000003")
    author = storage.add_participant(engine, consultation.id, region="E12000001")
    proposal = storage.add_proposal(engine, consultation.id, body="Devolve bus franchising to combined authorities",
                                    author_id=author.id)
    assert not storage.record_shown(engine, stranger.id, proposal.id, consultation.id)  # not a member of it
    assert not storage.record_shown(engine, stranger.id, proposal.id, other.id)  # not a proposal of it
    assert not storage.record_shown(engine, stranger.id, 999_999, other.id)  # no such proposal
    assert not storage.record_shown(engine, 999_999, proposal.id, consultation.id)  # no such member
    assert storage.shown_frame(engine, consultation.id).empty and storage.shown_frame(engine, other.id).empty
