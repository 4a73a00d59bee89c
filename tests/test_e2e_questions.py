"""In a real browser: five members on phones answer a live poll while the presenter, at 1920x1080 and 1280x720,
shows the bars move; a question to the panel is sent, approved by the facilitator, upvoted and shown on the
screen; axe-core finds nothing serious on the member's page or the presenter."""

from __future__ import annotations

import re

import pytest
from e2e_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    require_chromium,
    serious_violations,
    shoot,
    sign_in,
    streamlit_server,
    wait_for_app,
    wait_for_heading,
)

from consult import storage
from consult.access import member_link
from consult.access import staff_sign_in as auth
from consult.questions.kinds import make_spec
from consult.storage import questions as question_store
from consult.storage import room

pytestmark = pytest.mark.e2e
PASSWORD = "run-the-branch-meeting"
QUESTION = "Which power should go to the regions first?"



def _width(page) -> float:
    """The first bar's width as a share of its track (the bars animate; read once the transition has ended)."""
    page.wait_for_timeout(900)
    return page.locator(".poll-fill").first.evaluate(
        "e => e.getBoundingClientRect().width / e.parentElement.getBoundingClientRect().width")


def test_five_phones_answer_a_live_poll_and_the_qa_reaches_the_screen(sqlite_engine, sqlite_url, tmp_path):
    require_chromium()
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect, sync_playwright

    consultation = storage.create_consultation(sqlite_engine, title="Branch meeting on devolution",
                                               question="What should the regions decide for themselves?",
                                               join_code="BRANCH7", moderation="pre")
    (question_id,) = question_store.add_questions(sqlite_engine, consultation.id, [
        make_spec("single", QUESTION, "Transport|Housing|Skills")])
    question_store.set_status(sqlite_engine, question_id, "open")
    room.set_focus(sqlite_engine, consultation.id, "question", question_id)
    members = [storage.add_participant(sqlite_engine, consultation.id, region="E12000003") for _ in range(5)]
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[accounts.fran]\nrole = "facilitator"\npassword_hash = "{auth.hash_password(PASSWORD)}"\n')
    axe, problems = Axe(), {}
    with streamlit_server(sqlite_url, secrets=secrets) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        screens = {size: browser.new_context(viewport={"width": size[0], "height": size[1]}).new_page()
                   for size in ((1920, 1080), (1280, 720))}
        for page in screens.values():
            page.goto(f"{base}/present?code=BRANCH7&mode=kiosk")
            wait_for_heading(page, QUESTION, timeout=60_000)
            expect(page.get_by_text(re.compile(r"· 0 answers$"))).to_be_visible(timeout=30_000)
        big = screens[(1920, 1080)]
        problems["presenter poll"] = serious_violations(axe, big)
        widths = [_width(big)]
        choices = ["Transport", "Transport", "Housing", "Transport", "Skills"]
        for number, (member, choice) in enumerate(zip(members, choices, strict=True), start=1):
            phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
            phone.goto(f"{base}/questions?p={member_link.link_token(member.token)}")
            phone.get_by_text(QUESTION).wait_for(timeout=60_000)
            wait_for_app(phone)
            if number == 1:
                problems["member questions"] = serious_violations(axe, phone)
                shoot(phone, "member-live-poll-phone")
            phone.get_by_text(choice, exact=True).click()
            phone.get_by_role("button", name="Save my answer").click()
            expect(phone.get_by_text("Your answer is saved.")).to_be_visible(timeout=30_000)
            for page in screens.values():  # the screen refreshes every 2 s: the count follows within a refresh
                expect(page.get_by_text(re.compile(rf"· {number} answers?$"))).to_be_visible(timeout=10_000)
            widths.append(_width(big))
            if number == 1:
                # the first member sends a question to the panel: pre-moderated, so only they see it for now
                phone.get_by_label("Your question").fill("Who would pay for a regional assembly?")
                phone.get_by_role("button", name="Send my question").click()
                expect(phone.get_by_text("A facilitator will look at it")).to_be_visible(timeout=30_000)
            phone.context.close()
        # Transport's bar: 1/1, 2/2, 2/3, 3/4, 3/5 of the answers
        assert [round(w, 2) for w in widths] == [0.0, 1.0, 1.0, 0.67, 0.75, 0.6]
        shoot(big, "presenter-live-poll-projector")
        shoot(screens[(1280, 720)], "presenter-live-poll-720")

        facilitator = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        sign_in(facilitator, base, "fran", PASSWORD)
        facilitator.get_by_text("Who would pay for a regional assembly?").wait_for(timeout=60_000)
        wait_for_app(facilitator)
        shoot(facilitator, "facilitator-qa-desk")
        facilitator.get_by_role("button", name="Approve").click()
        wait_for_app(facilitator)
        voter = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        voter.goto(f"{base}/questions?p={member_link.link_token(members[1].token)}")
        voter.get_by_text("Who would pay for a regional assembly?").wait_for(timeout=60_000)
        wait_for_app(voter)
        voter.get_by_role("button", name="Upvote").click()
        expect(voter.get_by_role("button", name="Upvoted")).to_be_visible(timeout=30_000)
        shoot(voter, "member-qa-upvoted-phone")
        facilitator.get_by_role("button", name="Show the Q&A on the screen").click()
        for page in screens.values():
            wait_for_heading(page, "Questions to the panel", timeout=15_000)
            expect(page.get_by_text("Who would pay for a regional assembly?")).to_be_visible(timeout=15_000)
            expect(page.get_by_text("▲ 1")).to_be_visible(timeout=15_000)
        problems["presenter Q&A"] = serious_violations(axe, big)
        shoot(big, "presenter-qa-projector")
        shoot(screens[(1280, 720)], "presenter-qa-720")
        browser.close()
    assert {page: found for page, found in problems.items() if found} == {}
