"""A live session in real browsers: presenter, two members joining by QR code, and a facilitator."""

from __future__ import annotations

import io
import re
import time

import pytest
from e2e_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    join_by_link,
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
from consult.access import staff_sign_in as auth

pytestmark = pytest.mark.e2e
PASSWORD = "facilitate-this-session"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    require_chromium()
    from consult.storage import db

    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{folder / 'live.db'}"
    engine = db.make_engine(url)
    storage.init_db(engine)
    consultation = storage.create_consultation(engine, title="Live session: powers for the regions",
                                             question="What one power should your region have?",
                                             join_code="LIVE42", min_chars=10, max_chars=300)
    # beside it, the demo (DEVO26): a session broad enough for the regional map and "supported in every region"
    from consult.demo import consultation as demo

    demo.install(engine, themes=False)
    secrets = folder / "secrets.toml"
    secrets.write_text(f'[accounts.fran]\nrole = "facilitator"\npassword_hash = "{auth.hash_password(PASSWORD)}"\n')
    with streamlit_server(url, secrets=secrets) as base:
        yield base, engine, consultation
    engine.dispose()


def member_joins_and_proposes(browser, join_link: str, region: str, text: str):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    join_by_link(page, join_link, "LIVE42", region)
    page.goto(page.url.replace("/vote", "/propose"))
    page.get_by_role("textbox", name="Your proposal").wait_for(timeout=30_000)
    wait_for_app(page)
    page.get_by_role("textbox", name="Your proposal").fill(text)
    page.get_by_role("button", name="Continue").click()
    wait_for_app(page)
    if page.get_by_role("button", name="No, mine is different: submit it").count():
        page.get_by_role("button", name="No, mine is different: submit it").click()
        wait_for_app(page)
    page.get_by_text("Your proposal is published").wait_for(timeout=15_000)
    return context, page, time.monotonic()


def below_the_fold(page) -> int:
    """Pixels of the page below the screen (0 when everything fits)."""
    return page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                         " return Math.max(m.scrollHeight - m.clientHeight,"
                         " document.documentElement.scrollHeight - window.innerHeight); }")


def test_presenter_fits_a_720p_screen(live_server):
    from playwright.sync_api import sync_playwright

    base, _engine, _consultation = live_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for code in ("LIVE42", "DEVO26"):  # a new local session (no map), and the demo's national one (the map)
            for width, height in ((1280, 720), (1024, 768), (1440, 900), (1920, 1200)):
                page = browser.new_context(viewport={"width": width, "height": height}).new_page()
                page.goto(f"{base}/present?code={code}&mode=kiosk")
                page.get_by_text("Taking part").first.wait_for(timeout=60_000)
                wait_for_app(page)
                wait_for_heading(page, "Just in", timeout=30_000)
                if code == "DEVO26":
                    wait_for_heading(page, "Supported in every region", timeout=30_000)
                    page.wait_for_timeout(500)
                assert below_the_fold(page) == 0, (code, width, height)
                if (code, width, height) == ("DEVO26", 1280, 720):
                    shoot(page, "presenter-1280x720")
                page.context.close()
        browser.close()


def test_presenter_updates_live_and_phase_change_stops_proposals(live_server):
    import zxingcpp
    from PIL import Image
    from playwright.sync_api import sync_playwright

    base, engine, consultation = live_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        presenter = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        presenter.goto(f"{base}/present?code=LIVE42&mode=kiosk")
        presenter.get_by_text("Taking part").first.wait_for(timeout=60_000)
        wait_for_app(presenter)
        assert presenter.get_by_test_id("stSidebar").count() == 0  # kiosk: no navigation
        assert below_the_fold(presenter) == 0  # kiosk mode cannot scroll: everything fits the projector

        qr_png = presenter.get_by_role("img", name=re.compile("QR code")).screenshot()
        decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png)))
        assert decoded and decoded[0].text == f"{base}/?join=LIVE42"
        join_link = decoded[0].text

        a_context, a_page, a_sent = member_joins_and_proposes(
            browser, join_link, "North East", "Give the North East its own transport budget")
        expect(presenter.get_by_text("Give the North East its own transport budget")).to_be_visible(timeout=5_000)
        assert time.monotonic() - a_sent < 5.5
        b_context, b_page, b_sent = member_joins_and_proposes(
            browser, join_link, "Scotland", "Let Scotland set its own energy policy")
        expect(presenter.get_by_text("Let Scotland set its own energy policy")).to_be_visible(timeout=5_000)
        metrics = presenter.get_by_test_id("stMetricValue")
        expect(metrics.nth(0)).to_have_text("2", timeout=5_000)
        expect(metrics.nth(1)).to_have_text("2", timeout=5_000)
        presenter.wait_for_timeout(500)
        shoot(presenter, "presenter-1920x1080")

        # the facilitator moves the session to voting: the member's next proposal is refused and their page
        # says why; the page then follows the facilitator live, and shows the form again when proposals reopen
        facilitator = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(facilitator, base, "fran", PASSWORD)
        nav_link(facilitator, "Run a session").click()
        wait_for_heading(facilitator, "Run a session", timeout=30_000)
        wait_for_app(facilitator)
        shoot(facilitator, "facilitator-desktop")
        a_page.get_by_role("textbox", name="Your proposal").fill("Let the North East keep its business rates")
        facilitator.get_by_text("Voting only", exact=True).click()
        wait_for_app(facilitator)
        assert storage.get_consultation(engine, consultation.id).phase == "voting"
        a_page.get_by_role("button", name="Continue").click()
        expect(a_page.get_by_text("not taking new proposals").first).to_be_visible(timeout=8_000)
        bodies = storage.proposals_frame(engine, consultation.id)["body"].tolist()
        assert "Let the North East keep its business rates" not in bodies
        # nothing typed is lost: the text stays on screen with the reason, and is back in the form on reopening
        expect(a_page.get_by_role("textbox", name=re.compile("kept here"))).to_have_value(
            "Let the North East keep its business rates", timeout=8_000)
        shoot(a_page, "member-propose-kept-phone")
        facilitator.get_by_text("Collect proposals", exact=True).click()
        reopened = time.monotonic()
        expect(a_page.get_by_role("textbox", name="Your proposal", exact=True)).to_have_value(
            "Let the North East keep its business rates", timeout=8_000)
        assert time.monotonic() - reopened < 8.5
        facilitator.get_by_text("Voting only", exact=True).click()
        wait_for_app(facilitator)
        assert "set_phase" in storage.audit_frame(engine, consultation.id)["action"].tolist()
        for context in (a_context, b_context):
            context.close()
        browser.close()
