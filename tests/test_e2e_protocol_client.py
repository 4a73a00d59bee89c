"""The load benchmark's protocol client sees what a member's browser sees: the same widgets, by label, on the
join page and the vote page. If a page changes and the simulated members no longer match it, this fails, not the
benchmark's figures silently."""

from __future__ import annotations

import asyncio

import pytest
from e2e_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    join_by_link,
    require_chromium,
    streamlit_server,
    wait_for_app,
)
from playwright.sync_api import sync_playwright

from benchmarks.streamlit_client import StreamlitTab
from consult import storage

pytestmark = pytest.mark.e2e

LABELLED = ("text_input", "text_area", "selectbox", "checkbox")


def protocol_labels(tab: StreamlitTab) -> dict[str, set[str]]:
    widgets = tab.page.widgets()
    return {"fields": {w.label for w in widgets if w.kind in LABELLED and w.label_visible},
            "buttons": {w.label for w in widgets if w.kind == "button"}}


def browser_labels(page) -> dict[str, set[str]]:
    fields = page.locator("[data-testid='stWidgetLabel']").all_inner_texts()
    buttons = page.locator("[data-testid^='stBaseButton']").all_inner_texts()
    return {"fields": {text.strip() for text in fields if text.strip()},
            "buttons": {text.strip() for text in buttons if text.strip()}}


async def protocol_journey(base: str) -> tuple[dict, dict, str]:
    tab = StreamlitTab(base, forwarded_for="10.9.9.9")
    await tab.open("", "join=SAMEOI")
    join_page = protocol_labels(tab)
    tab.fill("Where do you live?", "North East")
    tab.fill("I have read the privacy notice and want to take part", True)
    await tab.click("Join")
    vote_page = protocol_labels(tab)
    shown = tab.page.url_path
    await tab.close()
    return join_page, vote_page, shown


def test_protocol_client_and_browser_see_the_same_join_and_vote_pages(sqlite_engine, sqlite_url):
    require_chromium()
    consultation = storage.create_consultation(sqlite_engine, title="Same page", join_code="SAMEOI",
                                             question="Which powers should move to the regions?", min_chars=10)
    for body in ("Give the North East control of its buses", "A Welsh national bank for small firms"):
        storage.add_proposal(sqlite_engine, consultation.id, body=body, author_id=None, is_seed=True)
    with streamlit_server(sqlite_url) as base:
        # before Playwright starts: its sync API runs an event loop of its own in this thread
        join_seen, vote_seen, landed_on = asyncio.run(protocol_journey(base))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
            page.goto(f"{base}/?join=SAMEOI")
            page.get_by_label("Join code").wait_for(timeout=60_000)
            wait_for_app(page)
            browser_join = browser_labels(page)
            join_by_link(page, f"{base}/?join=SAMEOI", "SAMEOI", "North East")
            page.get_by_role("button", name="Agree", exact=True).wait_for(timeout=30_000)
            wait_for_app(page)
            browser_vote = browser_labels(page)
            browser.close()
    assert browser_join == join_seen
    assert landed_on == "vote"
    assert browser_vote == vote_seen
    # the client saw real pages, not empty ones that would match trivially
    assert {"Join code", "Where do you live?"} <= join_seen["fields"] and "Join" in join_seen["buttons"]
    assert {"Agree", "Disagree", "Pass"} <= vote_seen["buttons"]
