"""Quick taps on the vote page land on the card the member saw: a second tap sent before the next card is on
screen never becomes a vote on a proposal the member has not read (Streamlit's protocol, a real server)."""

from __future__ import annotations

import asyncio

import pytest
from e2e_support import streamlit_server

from benchmarks.load_protocol import _token
from benchmarks.streamlit_client import StreamlitTab
from consult import storage

pytestmark = pytest.mark.e2e


def test_a_second_quick_tap_never_votes_on_an_unseen_card(sqlite_engine, sqlite_url):
    consultation = storage.create_consultation(sqlite_engine, title="Taps", question="What should change?")
    seeds = [storage.add_participant(sqlite_engine, consultation.id, region="E12000001").id for _ in range(6)]
    for number, author in enumerate(seeds):
        storage.add_proposal(sqlite_engine, consultation.id, author_id=author,
                             body=f"Give the regions power over transport budgets, number {number}")
    storage.set_phase(sqlite_engine, consultation.id, "voting", actor="test")

    async def member() -> tuple[str, list[list[str]]]:
        tab = StreamlitTab(server)
        await tab.open("", f"join={consultation.join_code}")
        tab.fill("Where do you live?", "North East")
        tab.fill("I have read the privacy notice and want to take part", True)
        await tab.click("Join")
        assert tab.page.url_path == "vote", tab.page.texts()
        token = _token(tab.query_string)
        seen = []
        for _ in range(4):
            seen.append(tab.page.texts())
            agree_on_this_card = tab.page.widget("Agree", "button")
            await tab.click("Agree")
            await tab.press(agree_on_this_card)  # the thumb lands again before the next card shows
            await tab.press(agree_on_this_card)
        await tab.close()
        return token, seen

    with streamlit_server(sqlite_url) as server:
        token, seen = asyncio.run(member())
    voter = storage.participant_by_token(sqlite_engine, token)
    assert voter is not None, token
    votes = storage.participant_votes(sqlite_engine, voter.id)
    assert len(votes) == 4  # one per card shown, however many taps
    bodies = {storage.get_proposal(sqlite_engine, pid).body for pid in votes}
    shown = {text for page in seen for text in page if text.startswith("Give the regions")}
    assert bodies <= shown
