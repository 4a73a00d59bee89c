"""Two app servers on different ports sharing one PostgreSQL database, as behind a load balancer: a member on one
server submits a proposal, and the presenter view served by the other shows it within seconds."""

from __future__ import annotations

import pytest
from e2e_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    join_by_link,
    require_chromium,
    streamlit_server,
    wait_for_app,
)
from playwright.sync_api import expect, sync_playwright

from consult import storage

pytestmark = pytest.mark.e2e


def test_proposal_on_one_server_appears_on_the_other_servers_presenter(postgres_engine, postgres_database_url):
    require_chromium()
    consultation = storage.create_consultation(postgres_engine, title="Two servers, one database",
                                             question="Which powers should move to the regions?",
                                             join_code="TWOSRV", min_chars=10)
    storage.add_proposal(postgres_engine, consultation.id, body="Give Cornwall a say over its harbours",
                       author_id=None, is_seed=True)
    with streamlit_server(postgres_database_url) as first, streamlit_server(postgres_database_url) as second, \
            sync_playwright() as p:
        assert first != second
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        presenter = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
        presenter.goto(f"{second}/present?code=TWOSRV&mode=kiosk")
        presenter.get_by_text("Taking part").first.wait_for(timeout=60_000)
        wait_for_app(presenter)

        member = browser.new_context().new_page()
        token = join_by_link(member, f"{first}/?join=TWOSRV", "TWOSRV", "South West")
        member.goto(f"{first}/propose?p={token}")
        box = member.get_by_role("textbox", name="Your proposal")
        box.wait_for(timeout=30_000)
        wait_for_app(member)
        box.fill("A Welsh national bank to lend to small firms in the valleys")
        member.get_by_role("button", name="Continue").click()
        wait_for_app(member)
        different = member.get_by_role("button", name="No, mine is different: submit it")
        if different.is_visible():
            different.click()
        expect(member.get_by_text("Your proposal is published")).to_be_visible(timeout=30_000)

        # the other server's presenter refreshes every 2 s from the shared database
        expect(presenter.get_by_text("A Welsh national bank to lend to small firms in the valleys")).to_be_visible(
            timeout=8_000)
        taking_part = presenter.get_by_test_id("stMetric").filter(has_text="Taking part")
        expect(taking_part.get_by_test_id("stMetricValue")).to_have_text("1", timeout=8_000)
        browser.close()
