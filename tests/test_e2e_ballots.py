"""In a real browser: a verified member numbers the options of a preferential ballot on a phone, casts, keeps the
receipt and checks it after close; the presenter at 1920x1080 shows turnout while the ballot is open and the result
within seconds of the facilitator closing it; axe-core finds nothing serious on either page."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from e2e_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    require_chromium,
    serious_violations,
    shoot,
    streamlit_server,
    wait_for_app,
    wait_for_heading,
)

from consult import storage
from consult.access import member_link
from consult.storage import ballots, roll

pytestmark = pytest.mark.e2e



def test_a_member_votes_by_number_on_a_phone_and_the_room_sees_turnout_then_the_result(sqlite_engine, sqlite_url):
    require_chromium()
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect, sync_playwright

    numbers = [f"m{i:03d}" for i in range(12)]
    roll.replace_roll(sqlite_engine, pd.DataFrame({
        "number_hash": numbers, "verifier_hash": ["v"] * 12, "region": ["S92000003"] * 12,
        "local_party": ["Edinburgh North"] * 12, "branch": [None] * 12}), verifier_label="Postcode", actor="t")
    consultation = storage.create_consultation(sqlite_engine, title="Scottish assembly group",
                                               question="Who should chair it?", join_code="CHAIR7")
    members = [roll.join_verified(sqlite_engine, consultation.id, n, "S92000003", "Edinburgh North",
                                  consented=True)[0] for n in numbers]
    ballot_id = ballots.create_ballot(sqlite_engine, consultation.id, "preferential", "Chair of the assembly group",
                                      [("Ann Lee", None, None), ("Ben Cole", None, None), ("Cy Dhar", None, None)],
                                      meeting=True, seed=11)
    ballots.open_ballot(sqlite_engine, ballot_id)
    for member, ranking in zip(members[1:8], [[2, 1], [2], [1, 2], [3, 2], [2, 3], [1], [2, 1, 3]], strict=True):
        ballots.cast(sqlite_engine, ballot_id, member, ranking)
    axe, problems = Axe(), {}
    with streamlit_server(sqlite_url) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        room = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        link = member_link.link_token(members[0].token)
        phone.goto(f"{base}/ballots?p={link}")
        wait_for_heading(phone, "Chair of the assembly group", timeout=60_000)
        wait_for_app(phone)
        problems["ballot paper"] = serious_violations(axe, phone)
        for name, number in (("Ben Cole", "1"), ("Ann Lee", "2")):
            phone.get_by_test_id("stSelectbox").filter(has_text=name).click()
            phone.get_by_role("option", name=number, exact=True).click()
            wait_for_app(phone)
        shoot(phone, "member-ballot-paper-phone")
        phone.get_by_role("button", name="Cast my vote").click()
        receipt_line = phone.get_by_text(re.compile(r"^Your receipt: [0-9A-Z]{4}(-[0-9A-Z]{4}){3}$"))
        receipt_line.wait_for(timeout=30_000)
        receipt = receipt_line.inner_text().split(": ")[1]
        shoot(phone, "member-ballot-receipt-phone")
        assert ballots.turnout(sqlite_engine, ballot_id) == (8, 12)

        room.goto(f"{base}/present?code=CHAIR7&mode=kiosk")
        wait_for_heading(room, "Vote now: Chair of the assembly group", timeout=60_000)
        expect(room.get_by_text("8 of 12 eligible members have voted")).to_be_visible(timeout=30_000)
        assert room.get_by_text("Elected").count() == 0  # no result while it is open
        problems["presenter"] = serious_violations(axe, room)
        shoot(room, "presenter-ballot-open-projector")
        ballots.cast(sqlite_engine, ballot_id, members[9], [3])
        expect(room.get_by_text("9 of 12 eligible members have voted")).to_be_visible(timeout=15_000)
        ballots.close_ballot(sqlite_engine, ballot_id, actor="facilitator")
        wait_for_heading(room, "Result: Chair of the assembly group", timeout=15_000)
        expect(room.get_by_text(re.compile(r"^Elected \(1 of 3\): Ben Cole"))).to_be_visible(timeout=15_000)
        shoot(room, "presenter-ballot-result-projector")

        phone.goto(f"{base}/ballots?p={link}")  # a fresh visit: the receipt is the member's to keep, not the app's
        phone.get_by_label("Check my receipt").wait_for(timeout=60_000)
        wait_for_app(phone)
        phone.get_by_label("Check my receipt").fill(receipt.lower())
        phone.get_by_label("Check my receipt").press("Enter")
        expect(phone.get_by_text("Your paper was counted: Ben Cole → Ann Lee")).to_be_visible(timeout=30_000)
        problems["ballot result"] = serious_violations(axe, phone)
        shoot(phone, "member-ballot-checked-phone")
        browser.close()
    assert {page: found for page, found in problems.items() if found} == {}
