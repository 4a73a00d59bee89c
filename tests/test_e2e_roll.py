"""A members-only consultation in a real browser at phone size: a member verifies with their number and postcode,
sees the region the membership list gives them, and votes; another member's number with a wrong postcode is
refused with the same message an unknown number gets."""

from __future__ import annotations

import pandas as pd
import pytest
from e2e_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    require_chromium,
    shoot,
    streamlit_server,
    wait_for_app,
    wait_for_heading,
)
from playwright.sync_api import expect

from consult import storage
from consult.access import member_join
from consult.access import roll_file as membership
from consult.storage import roll

pytestmark = pytest.mark.e2e
ROLL = pd.DataFrame({"number": ["NE0001", "LD0002"], "postcode": ["NE1 4ST", "SW1A 1AA"],
                     "region": ["North East", "London"], "clp": ["Newcastle Central", "Westminster"]})


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    from consult.storage import db

    folder = tmp_path_factory.mktemp("roll")
    url = f"sqlite:///{folder / 'roll.db'}"
    engine = db.make_engine(url)
    storage.init_db(engine)
    parsed = membership.read_roll(ROLL, number_col="number", verifier_col="postcode", region_col="region",
                                  local_party_col="clp")
    roll.replace_roll(engine, parsed.rows, verifier_label="Postcode", actor="test")
    consultation = storage.create_consultation(engine, title="Members decide", question="Which powers first?",
                                               join_code="MEMB26", access="members")
    storage.add_proposal(engine, consultation.id, body="Give the regional assembly powers over buses",
                         author_id=None)
    with streamlit_server(url) as base:
        yield base, engine, consultation
    engine.dispose()


def test_member_verifies_on_a_phone_and_votes_and_a_wrong_postcode_is_refused(server):
    from playwright.sync_api import sync_playwright

    base, engine, consultation = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        phone.goto(f"{base}/?join={consultation.join_code}")
        phone.get_by_role("textbox", name="Membership number").wait_for(timeout=60_000)
        wait_for_app(phone)
        expect(phone.get_by_label("Where do you live?")).to_have_count(0)  # the region is not asked
        phone.get_by_role("textbox", name="Membership number").fill("ne 0001")
        phone.get_by_role("textbox", name="Postcode").fill("ne14st")
        phone.get_by_text("I have read the privacy notice").click()
        phone.get_by_role("button", name="Verify and join").click()
        wait_for_app(phone)
        expect(phone.get_by_text("verified member from North East (from the membership list)")).to_be_visible(
            timeout=30_000)
        shoot(phone, "member-verified-phone")
        phone.get_by_role("link", name="Vote on proposals").click()
        wait_for_heading(phone, "Vote on proposals", timeout=60_000)
        wait_for_app(phone)
        phone.get_by_role("button", name="Agree").first.click()
        wait_for_app(phone)
        voter = storage.participants_frame(engine, consultation.id)
        assert voter["verified"].tolist() == [True] and voter["region"].tolist() == ["E12000001"]
        for _ in range(120):  # wait on the database's state, not a fixed time
            if len(storage.votes_frame(engine, consultation.id)) == 1:
                break
            phone.wait_for_timeout(250)
        assert len(storage.votes_frame(engine, consultation.id)) == 1

        other = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        other.goto(f"{base}/?join={consultation.join_code}")
        other.get_by_role("textbox", name="Membership number").wait_for(timeout=60_000)
        wait_for_app(other)
        other.get_by_role("textbox", name="Membership number").fill("LD0002")
        other.get_by_role("textbox", name="Postcode").fill("NE1 4ST")  # someone else's postcode
        other.get_by_text("I have read the privacy notice").click()
        other.get_by_role("button", name="Verify and join").click()
        wait_for_app(other)
        expect(other.get_by_text(member_join.not_verified_message("Postcode"))).to_be_visible(timeout=30_000)
        shoot(other, "member-verify-refused-phone")
        assert len(storage.participants_frame(engine, consultation.id)) == 1
        browser.close()
