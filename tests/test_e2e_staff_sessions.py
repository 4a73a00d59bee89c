"""Staff in a real browser: a reload and a new tab stay signed in, staff land on their own first page and see who
is signed in, and an idle session stops the live moderation fragment (idle time 15 s here; 30 minutes by default)."""

from __future__ import annotations

import pytest
from e2e_support import CHROMIUM, CHROMIUM_ARGS, require_chromium, sign_in, streamlit_server, wait_for_app
from playwright.sync_api import expect

from consult import storage
from consult.access import staff_sign_in as auth

pytestmark = pytest.mark.e2e
PASSWORD = "facilitator-password-1"


def test_staff_session_survives_reloads_and_ends_when_idle(sqlite_engine, sqlite_url, tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    consultation = storage.create_consultation(sqlite_engine, title="Evening call", question="Q?",
                                             join_code="STAFFI", moderation="pre", min_chars=10)
    member = storage.add_participant(sqlite_engine, consultation.id, region="E12000001")
    waiting = storage.add_proposal(sqlite_engine, consultation.id, body="Buses run by the North East",
                                   author_id=member.id)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[accounts.fran]\nrole = "facilitator"\npassword_hash = "{auth.hash_password(PASSWORD)}"\n')
    with streamlit_server(sqlite_url, secrets=secrets, env={"CONSULT_STAFF_IDLE_MINUTES": "0.25"}) as base, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        sign_in(page, base, "fran", PASSWORD)
        # a facilitator lands on Run a session, and sees who is signed in
        expect(page.get_by_role("heading", name="Run a session", exact=True).first).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Signed in as fran (facilitator)")).to_be_visible(timeout=30_000)
        page.reload()
        expect(page.get_by_role("heading", name="Run a session", exact=True).first).to_be_visible(timeout=60_000)
        second_tab = context.new_page()
        second_tab.goto(f"{base}/facilitate")
        expect(second_tab.get_by_role("heading", name="Run a session", exact=True).first).to_be_visible(
            timeout=60_000)
        expect(second_tab.get_by_text("Buses run by the North East")).to_be_visible(timeout=30_000)
        # the landing page's own address is a page too, not "Page not found" over it
        expect(second_tab.get_by_text("Page not found")).to_have_count(0)
        second_tab.close()
        # left alone (15 s), the page's fragment keeps refreshing, but that is not activity: it signs itself out
        expect(page.get_by_text("You have been signed out")).to_be_visible(timeout=60_000)
        expect(page.get_by_role("button", name="Approve")).to_have_count(0)
        assert storage.proposals_frame(sqlite_engine, consultation.id).set_index("id").loc[waiting.id,
                                                                                              "status"] == "pending"
        page.reload()
        wait_for_app(page)
        expect(page.get_by_label("Account name")).to_be_visible(timeout=60_000)  # the sign-in page again
        expect(page.get_by_text("You were signed out after 0.25 minutes without activity")).to_be_visible()
        browser.close()


def test_a_staff_page_opened_by_its_address_asks_for_sign_in_then_shows_that_page(sqlite_engine, sqlite_url,
                                                                                     tmp_path):
    """A bookmark or a link in an email to /consensus: signed out, the sign-in form says which page it will open
    and then opens it; a facilitator at an officers' page is told whose page it is. Never 'Page not found'. And
    the presenter view opened by a signed-in facilitator fills the screen; on a phone, the staff sidebar folds away
    once a page is chosen from it."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    storage.create_consultation(sqlite_engine, title="Evening call", question="Q?", join_code="STAFFB")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[accounts.olivia]\nrole = "officer"\npassword_hash = "{auth.hash_password(PASSWORD)}"\n'
                       f'[accounts.fran]\nrole = "facilitator"\npassword_hash = "{auth.hash_password(PASSWORD)}"\n')
    with streamlit_server(sqlite_url, secrets=secrets) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        # a visitor opening the join page by its address gets it, without a "Page not found" over it
        page.goto(f"{base}/join")
        expect(page.get_by_role("heading", name="Have your say", exact=True).first).to_be_visible(timeout=60_000)
        wait_for_app(page)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        page.goto(f"{base}/consensus")
        expect(page.get_by_text("Sign in to open Consensus and division.")).to_be_visible(timeout=60_000)
        wait_for_app(page)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        page.get_by_label("Account name").fill("olivia")
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Consensus and division", exact=True).first).to_be_visible(
            timeout=60_000)
        assert page.url.endswith("/consensus")
        expect(page.get_by_text("Page not found")).to_have_count(0)
        # the officer's landing page by its address: the page, wide, and its link in the sidebar once
        page.goto(f"{base}/overview")
        expect(page.get_by_role("heading", name="Overview", exact=True).first).to_be_visible(timeout=60_000)
        wait_for_app(page)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page.get_by_test_id("stSidebar").get_by_role("link", name="Overview", exact=True)).to_have_count(1)

        facilitator = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        sign_in(facilitator, base, "fran", PASSWORD)
        facilitator.goto(f"{base}/moderation")
        expect(facilitator.get_by_text("This page is for policy officers. You are signed in as a facilitator.")
               ).to_be_visible(timeout=60_000)
        expect(facilitator.get_by_role("heading", name="Moderation", exact=True).first).to_be_visible()
        expect(facilitator.get_by_text("Page not found")).to_have_count(0)
        facilitator.get_by_role("link", name="Run a session").last.click()
        expect(facilitator.get_by_role("heading", name="Run a session", exact=True).first).to_be_visible(
            timeout=60_000)
        # the presenter view is the whole screen for a signed-in facilitator too: no staff sidebar beside it
        facilitator.goto(f"{base}/present?code=STAFFB")
        expect(facilitator.get_by_role("heading", name="Evening call", exact=True).first).to_be_visible(
            timeout=60_000)
        wait_for_app(facilitator)
        expect(facilitator.get_by_test_id("stSidebar")).to_have_count(0)

        # on a phone the sidebar folds away once a page is chosen from it (it covered the page before)
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
        sign_in(phone, base, "olivia", PASSWORD)
        phone.get_by_test_id("stExpandSidebarButton").click()
        sidebar = phone.get_by_test_id("stSidebar")
        sidebar.get_by_role("link", name="Moderation", exact=True).click()
        expect(phone.get_by_role("heading", name="Moderation", exact=True).first).to_be_visible(timeout=60_000)
        expect(phone.get_by_test_id("stExpandSidebarButton")).to_have_attribute("aria-expanded", "false",
                                                                                 timeout=30_000)
        expect(sidebar).not_to_be_in_viewport()
        browser.close()
