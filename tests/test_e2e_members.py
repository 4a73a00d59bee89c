"""Members in a real browser: join by link, propose, be offered a similar proposal, vote, reload, stay the same."""

from __future__ import annotations

import re
from urllib.parse import unquote

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
from consult.access import member_link

pytestmark = pytest.mark.e2e
HOSTILE = "**bold** <img src=x onerror=alert(1)> [link](http://example.com)"
SEEDS = ["Give the North East control over its bus services", "Elect regional assemblies by STV",
         "Let Wales keep a share of income tax", "Fund GP surgeries in rural Cumbria",
         "Publish every assembly decision online", "Protect the Welsh language in schools",
         "Create a regional investment bank for small firms", HOSTILE]
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    from consult.storage import db

    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"
    engine = db.make_engine(url)
    storage.init_db(engine)
    consultation = storage.create_consultation(engine, title="Devolution: where should power sit?",
                                             question="Which powers should move to regional assemblies?",
                                             join_code="E2ETST", min_chars=15, max_chars=400)
    for body in SEEDS:
        storage.add_proposal(engine, consultation.id, body=body, author_id=None, is_seed=True, region="E12000001")
    with streamlit_server(url) as base:
        yield base, engine, consultation
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def join(page, base: str, region: str) -> None:
    page.goto(f"{base}/?join=E2ETST")
    expect(page.get_by_label("Join code")).to_have_value("E2ETST", timeout=30_000)
    wait_for_app(page)
    page.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=region).click()
    page.get_by_text("I have read the privacy notice").click()
    page.get_by_role("button", name="Join").click()
    wait_for_app(page)
    page.get_by_role("heading", name="Vote on proposals").wait_for()


def progress(page) -> int:
    locator = page.get_by_text(re.compile(r"^\d+ votes? ·"))
    locator.wait_for(timeout=30_000)
    text = locator.inner_text()
    return int(re.match(r"(\d+) vote", text).group(1))


def current_proposal(page) -> str:
    return page.get_by_test_id("stText").first.inner_text()


def vote(page, label: str = "Agree") -> str:
    """Vote on the proposal shown and wait until the page has counted it; returns the proposal's text."""
    shown = current_proposal(page)
    before = progress(page)
    page.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_text(re.compile(rf"^{before + 1} votes? ·"))).to_be_visible(timeout=30_000)
    wait_for_app(page)
    return shown


def test_member_journey_join_propose_similar_vote_reload(server, browser):
    base, engine, consultation = server
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    join(page, base, "Wales")
    assert "p=" in page.url
    shoot(page, "member-vote-phone")

    page.goto(f"{base}/propose?{page.url.split('?', 1)[1]}")
    page.get_by_role("textbox", name="Your proposal").wait_for(timeout=30_000)
    wait_for_app(page)
    page.get_by_role("textbox", name="Your proposal").fill("Give the North East more control over bus services and fares")
    page.get_by_role("button", name="Continue").click()
    wait_for_app(page)
    page.get_by_text("Similar proposals already exist").wait_for(timeout=30_000)
    expect(page.get_by_text("Give the North East control over its bus services")).to_be_visible(timeout=15_000)
    wait_for_app(page)
    shoot(page, "member-propose-similar-phone")
    page.get_by_role("button", name="No, mine is different: submit it").click()
    wait_for_app(page)
    page.get_by_text("Your proposal is published").wait_for(timeout=30_000)

    page.goto(f"{base}/vote?{page.url.split('?', 1)[1]}")
    page.get_by_role("button", name="Agree", exact=True).wait_for(timeout=30_000)
    wait_for_app(page)
    seen = [vote(page, "Agree") for _ in range(5)]
    assert len(set(seen)) == 5 and progress(page) == 5
    token = re.search(r"p=([^&]+)", page.url).group(1)

    page.reload()
    expect(page.get_by_text(re.compile(r"^5 votes ·"))).to_be_visible(timeout=30_000)
    assert progress(page) == 5  # same participant, same votes
    same_member = member_link.token_from_link(unquote(re.search(r"p=([^&]+)", page.url).group(1)))
    assert same_member == member_link.token_from_link(unquote(token))  # a fresh link (new expiry), same member
    participant = storage.participant_by_token(engine, member_link.token_from_link(unquote(token)))
    assert participant is not None and participant.region == "W92000004"
    assert len(storage.participant_votes(engine, participant.id)) == 5

    # after five votes the region view is already meaningful: pooled estimates with ranges, not "too few votes"
    comparison = page.get_by_text(re.compile(r"You agreed · Wales: about \d+% agree \(\d+%–\d+%\)"))
    for _ in range(10):  # the estimates are cached for a few seconds: reload until they include these votes
        page.goto(f"{base}/my-region?p={token}")
        wait_for_heading(page, "Where my region stands", timeout=30_000)
        wait_for_app(page)
        if comparison.count() >= 5:
            break
        page.get_by_text("Not enough votes yet").or_(comparison.first).wait_for(timeout=30_000)
    assert comparison.count() == 5
    expect(page.get_by_text(re.compile(r"a majority in all 12 regions \d+% likely")).first).to_be_visible()
    shoot(page, "member-my-region-phone")
    context.close()


def test_second_member_sees_the_new_proposal_and_hostile_text_stays_inert(server, browser):
    base, engine, consultation = server
    storage.add_proposal(engine, consultation.id, body="Ferries to the islands run by the assembly",
                       author_id=storage.add_participant(engine, consultation.id, region="S92000003").id)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    join(page, base, "Scotland")
    shoot(page, "member-vote-desktop")
    shown = []
    for _ in range(len(SEEDS) + 2):
        if page.get_by_text("You have voted on every proposal").count():
            break
        text = current_proposal(page)
        shown.append(text)
        if text == HOSTILE:
            assert page.locator("img[src='x']").count() == 0
            assert page.locator("a[href='http://example.com']").count() == 0
            assert page.locator("strong", has_text="bold").count() == 0
            shoot(page, "member-hostile-text-desktop")
        vote(page, "Pass")
    assert "Ferries to the islands run by the assembly" in shown
    assert "Give the North East more control over bus services and fares" in shown  # the first member's
    assert HOSTILE in shown
    context.close()


def test_join_page_screenshots(server, browser):
    base, _, _ = server
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(f"{base}/?join=E2ETST")
        expect(page.get_by_label("Join code")).to_have_value("E2ETST", timeout=30_000)
        wait_for_app(page)
        assert page.get_by_test_id("stException").count() == 0
        shoot(page, f"member-join-{name}")
        context.close()
