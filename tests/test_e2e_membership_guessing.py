"""The membership check through a real server, over Streamlit's own protocol: a member who alternates guesses at
other members' numbers with their own right number and postcode is slowed down all the same (before, each
success cleared the count: a number was found in 51 guesses in 6 s)."""

from __future__ import annotations

import asyncio

import pandas as pd
import pytest
from e2e_support import streamlit_server

from benchmarks.streamlit_client import StreamlitTab
from consult import storage
from consult.access import member_join
from consult.access import roll_file as membership
from consult.storage import roll

pytestmark = pytest.mark.e2e
ROLL = pd.DataFrame({"number": [f"GS{i:04d}" for i in range(1, 41)], "postcode": ["NE1 4ST"] * 40,
                     "region": ["North East"] * 40})


async def attempt(base: str, number: str, postcode: str) -> str:
    tab = StreamlitTab(base)
    await tab.open("", "join=GUESSI")
    tab.fill("Membership number", number)
    tab.fill("Postcode", postcode)
    tab.fill("I have read the privacy notice and want to take part", True)
    await tab.click("Verify and join")
    texts = " ".join(tab.page.texts())
    await tab.close()
    if "Too many tries" in texts:
        return "refused"
    return "in" if "verified member" in texts or "on the membership list" in texts else "wrong"


async def alternate(base: str) -> list[str]:
    outcomes = []
    for round_number in range(4):
        for guess in range(4):
            outcomes.append(await attempt(base, f"ZZ{round_number}{guess}99", "NE1 4ST"))
        outcomes.append(await attempt(base, "GS0001", "NE1 4ST"))  # one's own, right
    return outcomes


def test_alternating_guesses_with_ones_own_details_are_slowed_down(sqlite_engine, sqlite_url):
    parsed = membership.read_roll(ROLL, number_col="number", verifier_col="postcode", region_col="region")
    roll.replace_roll(sqlite_engine, parsed.rows, verifier_label="Postcode", actor="test")
    storage.create_consultation(sqlite_engine, title="Members", question="Q?", join_code="GUESSI", access="members")
    with streamlit_server(sqlite_url) as base:
        outcomes = asyncio.run(alternate(base))
    guesses_checked = [o for i, o in enumerate(outcomes) if i % 5 != 4 and o == "wrong"]
    assert "in" in outcomes[:5]  # the member's own details work
    assert "refused" in outcomes  # and the guessing was stopped
    # the free tries, then waits of 1, 2, 4 ... seconds: most of the sixteen guesses are never checked
    assert len(guesses_checked) <= member_join.FREE_TRIES + 3 and outcomes.count("refused") >= 8
