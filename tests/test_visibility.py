"""The member-visibility rule: no member or room ever sees another member's pending, hidden or merged proposal,
through any page or the similar-proposal check, including right after a status change."""

from __future__ import annotations

import pytest
from helpers import app_test, joined, vote_button

from consult import storage
from consult.storage import changes, visibility

SECRET = "Call Jane Smith on 07700 900123 about the Tyne and Wear bus franchise"


@pytest.fixture
def world(engine):
    consultation = storage.create_consultation(engine, title="Visibility", question="What should change?",
                                               moderation="pre", min_chars=10, max_chars=300)
    author, reader = (storage.add_participant(engine, consultation.id, region="E12000001") for _ in range(2))
    pending = storage.add_proposal(engine, consultation.id, body=SECRET, author_id=author.id)
    public = storage.add_proposal(engine, consultation.id, body="Publish every assembly vote online", author_id=None,
                                  is_seed=True)
    hidden = storage.add_proposal(engine, consultation.id, body="A proposal an officer hid", author_id=None,
                                  is_seed=True)
    storage.set_proposal_status(engine, hidden.id, "hidden", actor="officer", reason="test")
    merged = storage.add_proposal(engine, consultation.id, body="Publish each assembly vote on the web",
                                  author_id=None, is_seed=True)
    storage.merge_proposals(engine, merged.id, public.id, actor="officer")
    return engine, consultation, author, reader, pending, public, hidden, merged


def test_members_see_published_only_and_their_own_pending(world):
    engine, consultation, author, reader, pending, public, hidden, merged = world
    seen_by_reader = visibility.visible_proposals(engine, consultation.id, reader.id)
    assert list(seen_by_reader.index) == [public.id]
    seen_by_author = visibility.visible_proposals(engine, consultation.id, author.id)
    assert set(seen_by_author.index) == {public.id, pending.id}
    assert seen_by_author.loc[pending.id, "status"] == "pending" and seen_by_author.loc[pending.id, "author_is_viewer"]
    assert list(visibility.visible_proposals(engine, consultation.id).index) == [public.id]  # the room
    for proposal in (pending, hidden, merged):
        assert visibility.visible_proposal(engine, consultation.id, proposal.id, reader.id) is None
    assert visibility.visible_proposal(engine, consultation.id, pending.id, author.id).body == SECRET
    assert list(visibility.newest(engine, consultation.id)["id"]) == [public.id]
    assert [pid for pid, _ in visibility.published_since(engine, consultation.id, 0)] == [public.id]


def test_every_status_change_bumps_the_version_and_tells_listeners(world):
    engine, consultation, author, reader, pending, *_ = world
    heard: list[set[int]] = []
    changes.subscribe(heard.append)
    before = changes.version(engine, consultation.id)
    storage.set_proposal_status(engine, pending.id, "published", actor="officer")
    storage.set_proposal_status(engine, pending.id, "hidden", actor="officer", reason="phone number")
    assert changes.version(engine, consultation.id) == before + 2
    assert heard[-2:] == [{consultation.id}, {consultation.id}]
    with pytest.raises(storage.NotFound):  # a refused change announces nothing
        storage.set_proposal_status(engine, 10**9, "hidden", actor="officer")
    assert len([h for h in heard if consultation.id in h]) >= 2 and changes.version(engine, consultation.id) == before + 2


@pytest.fixture
def app_world(sqlite_engine, sqlite_url):
    consultation = storage.create_consultation(sqlite_engine, title="Devolution", question="What should change?",
                                               moderation="pre", join_code="VISI23", min_chars=10, max_chars=300)
    author = storage.add_participant(sqlite_engine, consultation.id, region="E12000001")
    pending = storage.add_proposal(sqlite_engine, consultation.id, body=SECRET, author_id=author.id)
    storage.add_proposal(sqlite_engine, consultation.id, body="Give Cornwall its own assembly", author_id=None,
                         is_seed=True)
    return sqlite_engine, sqlite_url, consultation, pending


def _page_text(at) -> str:
    parts = [e.value for kind in ("text", "markdown", "caption", "warning", "info", "success", "error")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def _check_similar(at, text: str) -> str:
    at.switch_page("consult/app/pages/propose.py").run()
    at.text_area(key="draft_text").input(text).run()
    at.button[0].click().run()
    return _page_text(at)


def test_the_similar_check_never_shows_a_pending_or_hidden_proposal(app_world):
    engine, url, consultation, pending = app_world
    at, _ = joined(url, engine, consultation)
    at.run()
    draft = "Call Jane Smith about the Tyne and Wear bus franchise please"
    assert SECRET not in _check_similar(at, draft)  # pending: not offered, not shown
    storage.set_proposal_status(engine, pending.id, "published", actor="officer")
    at2, _ = joined(url, engine, consultation)
    at2.run()
    assert SECRET in _check_similar(at2, draft)  # published: offered at once, no waiting for a cache
    storage.set_proposal_status(engine, pending.id, "hidden", actor="officer", reason="phone number")
    at3, _ = joined(url, engine, consultation)
    at3.run()
    assert SECRET not in _check_similar(at3, draft)  # hidden: gone at once


def test_vote_page_and_presenter_never_show_pending_text(app_world):
    engine, url, consultation, _ = app_world
    at, _ = joined(url, engine, consultation)
    at.run()
    for _ in range(3):
        at.switch_page("consult/app/pages/vote.py").run()
        assert SECRET not in _page_text(at)
        if any((b.key or "").startswith("vote_agree_") for b in at.button):
            vote_button(at, "agree").click().run()
    room = app_test(url)
    room.run()
    room.switch_page("consult/app/pages/present.py")
    room.query_params["code"] = "VISI23"
    room.run()
    assert not room.exception
    assert SECRET not in _page_text(room)


def test_the_presenter_does_not_answer_for_a_draft(app_world):
    engine, url, consultation, _ = app_world
    storage.set_phase(engine, consultation.id, "draft", actor="facilitator")
    room = app_test(url)
    room.run()
    room.switch_page("consult/app/pages/present.py")
    room.query_params["code"] = "VISI23"
    room.run()
    assert "No consultation has the join code" in room.error[0].value
    assert "Devolution" not in _page_text(room)
