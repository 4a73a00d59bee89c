"""You said, we did, in a real browser: an officer publishes a response; the member who made the proposal reads
it on their phone (their own proposal and the What happened page); the presenter shows it in the results phase."""

from __future__ import annotations

import pytest
from e2e_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    nav_link,
    require_chromium,
    shoot,
    sign_in,
    streamlit_server,
    wait_for_app,
    wait_for_heading,
)
from playwright.sync_api import expect

from consult import storage
from consult.access import member_link
from consult.access import staff_sign_in as auth

pytestmark = pytest.mark.e2e
PASSWORD = "officer-password-456"
PROPOSAL = "Give the North East assembly the power to franchise its buses"
RESPONSE = "Accepted: the policy commission will take bus franchising to the spring conference."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    from consult.storage import db

    folder = tmp_path_factory.mktemp("responses")
    url = f"sqlite:///{folder / 'responses.db'}"
    engine = db.make_engine(url)
    storage.init_db(engine)
    consultation = storage.create_consultation(engine, title="Buses and devolution", question="What should change?",
                                               join_code="BUS26A", min_chars=10)
    member = storage.add_participant(engine, consultation.id, region="E12000001")
    storage.add_proposal(engine, consultation.id, body=PROPOSAL, author_id=member.id, tier="region")
    storage.add_proposal(engine, consultation.id, body="Fund the regional assembly from a share of income tax",
                         author_id=None)
    secrets = folder / "secrets.toml"
    secrets.write_text(f'[accounts.olivia]\nrole = "officer"\npassword_hash = "{auth.hash_password(PASSWORD)}"\n')
    with streamlit_server(url, secrets=secrets) as base:
        yield base, engine, consultation, member
    engine.dispose()


def test_officer_publishes_member_reads_presenter_shows(server):
    from playwright.sync_api import sync_playwright

    base, engine, consultation, member = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        officer = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        sign_in(officer, base, "olivia", PASSWORD)
        nav_link(officer, "Responses").click()
        wait_for_heading(officer, "Responses", timeout=60_000, exact=True)
        wait_for_app(officer, timeout=90_000)
        officer.get_by_label("Find a proposal").fill("franchise its buses")
        officer.get_by_label("Find a proposal").press("Enter")
        wait_for_app(officer)
        expect(officer.get_by_text(PROPOSAL, exact=True).first).to_be_visible(timeout=30_000)
        form = officer.get_by_test_id("stForm").filter(has_text="Response members will read")
        decision = form.get_by_role("combobox")
        decision.click()
        decision.press_sequentially("Accepted")
        officer.get_by_role("option", name="Accepted", exact=True).click()
        form.get_by_label("Response members will read").fill(RESPONSE)
        form.get_by_role("button", name="Save and publish").click()
        wait_for_app(officer)
        expect(officer.get_by_text("Published: members can now read it.")).to_be_visible(timeout=30_000)
        shoot(officer, "officer-responses")

        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        phone.goto(f"{base}/what-happened?p={member_link.link_token(member.token)}")
        wait_for_heading(phone, "What happened", timeout=60_000)
        wait_for_app(phone)
        expect(phone.get_by_text(RESPONSE, exact=True)).to_have_count(2, timeout=30_000)  # own + the list
        shoot(phone, "member-what-happened")

        storage.set_phase(engine, consultation.id, "results", actor="facilitator")
        room = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        room.goto(f"{base}/present?code={consultation.join_code}&mode=kiosk")
        room.get_by_role("heading", name="You said, we did").wait_for(timeout=60_000)
        expect(room.get_by_text(f"Accepted: {RESPONSE}", exact=True)).to_be_visible(timeout=30_000)
        shoot(room, "presenter-you-said-we-did")
        browser.close()
