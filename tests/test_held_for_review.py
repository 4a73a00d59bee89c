"""Personal data and abuse do not go live at once: flagged proposals are held, the member is told before and after
sending, a hidden proposal tells its author why, and a copy of an unseen proposal does not reveal that it exists."""

from __future__ import annotations

import pytest
from helpers import joined

from consult import storage
from consult.storage import moderation, responses, visibility
from consult.storage.proposals import HELD_MESSAGE

FLAGGED = "Call Dave Jones on 07700 900123 or dave@example.com, Councillor Dave Jones is a corrupt idiot"


@pytest.fixture
def world(sqlite_engine, sqlite_url):
    consultation = storage.create_consultation(sqlite_engine, title="Post-moderated", question="Q?",
                                             join_code="HELDOI", min_chars=10)
    for body in ("Give the North East control over its bus services", "Elect regional assemblies by STV"):
        storage.add_proposal(sqlite_engine, consultation.id, body=body, author_id=None, is_seed=True)
    return sqlite_engine, sqlite_url, consultation


def test_a_flagged_proposal_is_held_even_when_the_consultation_does_not_pre_moderate(world):
    engine, _, consultation = world
    assert consultation.moderation != "pre"
    author = storage.add_participant(engine, consultation.id, region="E12000001")
    held = storage.add_proposal(engine, consultation.id, body=FLAGGED, author_id=author.id)
    fine = storage.add_proposal(engine, consultation.id, body="A regional bank for small firms", author_id=author.id)
    assert (held.status, fine.status) == ("pending", "published")
    others = visibility.visible_proposals(engine, consultation.id)
    assert held.id not in others.index and fine.id in others.index


def test_the_member_is_warned_before_sending_and_told_afterwards(world):
    engine, url, consultation = world
    at, member = joined(url, engine, consultation)
    at.run()
    at.switch_page("consult/app/pages/propose.py").run()
    at.text_area(key="draft_text").input(FLAGGED).run()
    at.button[0].click().run()  # Continue
    warning = at.warning[0].value
    assert "a phone number" in warning and "an email address" in warning and "abusive language" in warning
    assert storage.proposals_written(engine, member.id) == 0  # nothing saved yet
    labels = [b.label for b in at.button]
    at.button[labels.index("Edit it")].click().run()
    assert not at.warning and at.text_area(key="draft_text").value == FLAGGED  # their words are kept to edit
    at.button[0].click().run()
    labels = [b.label for b in at.button]
    at.button[labels.index("Send it as it is")].click().run()
    assert "an organiser will check it before other members see it" in at.success[0].value
    assert storage.proposals_frame(engine, consultation.id, statuses=("pending",))["body"].tolist() == [FLAGGED]


def test_hidden_and_merged_proposals_tell_their_author_what_happened(world):
    engine, url, consultation = world
    at, member = joined(url, engine, consultation)
    hidden = storage.add_proposal(engine, consultation.id, body="Scrap the assembly idea entirely", author_id=member.id)
    merged = storage.add_proposal(engine, consultation.id, body="Buses for the North East, run locally",
                                  author_id=member.id)
    kept = int(storage.proposals_frame(engine, consultation.id)["id"].iloc[0])
    moderation.set_proposal_status(engine, hidden.id, "hidden", actor="officer",
                                   reason="It repeats a proposal that was already answered.")
    moderation.merge_proposals(engine, merged.id, kept, actor="officer", reason="same idea")
    own = responses.own_proposals_with_responses(engine, consultation.id, member.id).set_index("id")
    assert own.loc[hidden.id, "hidden_because"] == "It repeats a proposal that was already answered."
    assert own.loc[merged.id, "merged_into"] == "Give the North East control over its bus services"
    at.run()
    at.switch_page("consult/app/pages/what_happened.py").run()
    shown = [t.value for t in at.text] + [c.value for c in at.caption]
    assert "It repeats a proposal that was already answered." in shown
    assert any("Not published by the organisers" in text for text in shown)
    assert "Give the North East control over its bus services" in shown


def test_a_copy_of_a_pending_or_hidden_proposal_does_not_reveal_that_it_exists(world):
    engine, _, consultation = world
    first = storage.add_participant(engine, consultation.id, region="E12000001")
    second = storage.add_participant(engine, consultation.id, region="E12000002")
    secret = storage.add_proposal(engine, consultation.id, body=FLAGGED, author_id=first.id)  # held: pending
    with pytest.raises(storage.HeldForReview) as pending_copy:
        storage.add_proposal(engine, consultation.id, body=FLAGGED, author_id=second.id)
    moderation.set_proposal_status(engine, secret.id, "hidden", actor="officer", reason="abuse")
    with pytest.raises(storage.HeldForReview) as hidden_copy:
        storage.add_proposal(engine, consultation.id, body=FLAGGED, author_id=second.id)
    new_and_flagged = storage.add_proposal(engine, consultation.id, author_id=second.id,
                                           body="Ring me on 07700 900456 about the assembly")
    assert new_and_flagged.status == "pending"
    # the same words a brand-new proposal held for a check gets: nothing tells the two apart
    assert str(pending_copy.value) == str(hidden_copy.value) == HELD_MESSAGE
    with pytest.raises(storage.Refused, match="already been made"):  # a published one may be pointed to
        storage.add_proposal(engine, consultation.id, body="Elect regional assemblies by STV", author_id=second.id)
