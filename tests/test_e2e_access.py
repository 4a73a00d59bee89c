"""Accessibility and self-containment in a real browser: axe-core finds no serious or critical violation on any
member page (at phone size), the presenter, or any staff page; and no page asks another origin for anything (no
font or icon CDN), so the app works offline and members' browsers contact only the party's server."""

from __future__ import annotations

import pytest
from e2e_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    join_by_link,
    nav_link,
    require_chromium,
    streamlit_server,
    wait_for_app,
    wait_for_heading,
)

from consult import storage
from consult.access import staff_sign_in as auth
from consult.demo import consultation as demo

pytestmark = pytest.mark.e2e
PASSWORD = "access-password-123"
# the link in the staff sidebar -> the page's heading
STAFF_PAGES = {"Overview": "Overview", "Themes": "Themes", "Consensus and division": "Consensus and division",
               "Responses": "Responses", "Moderation": "Moderation", "Import": "Import",
               "Membership list": "Membership list", "Export and report": "Export and report", "Audit log": "Audit log",
               "Run a session": "Run a session"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    from consult.storage import db

    folder = tmp_path_factory.mktemp("access")
    url = f"sqlite:///{folder / 'access.db'}"
    engine = db.make_engine(url)
    storage.init_db(engine)
    demo.install(engine, seed=2026, data=demo.generate(n_participants=300, n_proposals=300))
    secrets = folder / "secrets.toml"
    secrets.write_text(f'[accounts.olivia]\nrole = "officer"\npassword_hash = "{auth.hash_password(PASSWORD)}"\n')
    with streamlit_server(url, secrets=secrets) as base:
        yield base
    engine.dispose()


def serious(axe, page) -> list[tuple[str, str, int]]:
    wait_for_app(page, timeout=90_000)
    found = axe.run(page).response["violations"]
    return [(v["id"], v["impact"], len(v["nodes"])) for v in found if v["impact"] in ("serious", "critical")]


def test_every_page_passes_axe_and_stays_on_its_origin(server):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    base = server
    axe, problems, elsewhere = Axe(), {}, set()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        desk = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        for page in (phone, desk):
            page.on("request", lambda request: elsewhere.add(request.url[:100])
                    if not request.url.startswith(base) and not request.url.startswith("data:") else None)

        phone.goto(f"{base}/?join={demo.JOIN_CODE}")
        phone.get_by_label("Join code").wait_for(timeout=60_000)
        problems["join"] = serious(axe, phone)
        token = join_by_link(phone, f"{base}/?join={demo.JOIN_CODE}", demo.JOIN_CODE, "London")
        problems["vote"] = serious(axe, phone)
        for path in ("propose", "my-region", "what-happened"):
            phone.goto(f"{base}/{path}?p={token}")
            phone.get_by_role("heading").first.wait_for(timeout=60_000)
            problems[path] = serious(axe, phone)
        phone.goto(f"{base}/present?code={demo.JOIN_CODE}&mode=kiosk")
        phone.get_by_role("heading").first.wait_for(timeout=60_000)
        problems["presenter"] = serious(axe, phone)

        desk.goto(f"{base}/signin")
        desk.get_by_label("Account name").wait_for(timeout=60_000)
        problems["signin"] = serious(axe, desk)
        desk.get_by_label("Account name").fill("olivia")
        desk.get_by_role("textbox", name="Password").fill(PASSWORD)
        desk.get_by_role("button", name="Sign in").click()
        wait_for_app(desk)
        for link, heading in STAFF_PAGES.items():
            nav_link(desk, link).click()
            desk.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=90_000)
            problems[link] = serious(axe, desk)
        browser.close()
    assert {page: found for page, found in problems.items() if found} == {}
    assert len(problems) == 7 + len(STAFF_PAGES)
    assert elsewhere == set(), f"requests to other origins: {sorted(elsewhere)}"


HEADINGS = {"Vote": "Vote on proposals", "Propose": "Make a proposal", "My region": "Where my region stands",
            "What happened": "What happened"}


def test_a_member_on_a_phone_reaches_every_member_page_in_one_tap(server):
    from playwright.sync_api import expect, sync_playwright

    base = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        token = join_by_link(phone, f"{base}/?join={demo.JOIN_CODE}", demo.JOIN_CODE, "Wales")
        assert phone.get_by_test_id("stSidebar").count() == 0  # no sidebar to open on a phone
        fresh = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        fresh.goto(f"{base}/my-region?p={token}")  # the member's own link, opened anew
        expect(fresh.locator(".st-key-member_nav").get_by_role("link", name="Vote", exact=True)).to_be_visible(
            timeout=60_000)
        bar = phone.locator(".st-key-member_nav")
        for start, heading in HEADINGS.items():
            for target, target_heading in HEADINGS.items():
                if target == start:
                    continue
                bar.get_by_role("link", name=start, exact=True).click()
                wait_for_heading(phone, heading, timeout=60_000, exact=True)
                wait_for_app(phone)
                expect(bar.get_by_role("link", name=target, exact=True)).to_be_in_viewport()
                bar.get_by_role("link", name=target, exact=True).click()
                wait_for_heading(phone, target_heading, timeout=60_000, exact=True)
                wait_for_app(phone)
        browser.close()
