"""In a real browser: the member's place survives a reload through the browser's own cookie, while the address
they might paste elsewhere stops working once its link expires (4 s here, 12 hours by default)."""

from __future__ import annotations

import re
import time
from urllib.parse import unquote

import pytest
from e2e_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    join_by_link,
    require_chromium,
    streamlit_server,
    wait_for_app,
    wait_for_heading,
)

from consult import storage
from consult.access import member_link

pytestmark = pytest.mark.e2e
TTL = 4


def test_a_pasted_link_expires_but_the_members_own_browser_keeps_them(sqlite_engine, sqlite_url):
    require_chromium()
    from playwright.sync_api import sync_playwright

    consultation = storage.create_consultation(sqlite_engine, title="Links", question="Which powers?",
                                             join_code="LINK22", min_chars=10)
    for body in ("Give the North East control of its buses", "A Welsh national bank for small firms"):
        storage.add_proposal(sqlite_engine, consultation.id, body=body, author_id=None, is_seed=True)
    with streamlit_server(sqlite_url, env={"CONSULT_MEMBER_LINK_TTL_SECONDS": str(TTL)}) as base, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        mine = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        link = join_by_link(mine, f"{base}/?join=LINK22", "LINK22", "Wales")
        token = member_link.token_from_link(unquote(link))
        member = storage.participant_by_token(sqlite_engine, token)
        assert member is not None and member.region == "W92000004"
        assert token not in mine.url.split("p=")[0]  # the raw token is not the link
        cookie = {c["name"]: c["value"] for c in mine.context.cookies()}.get(member_link.COOKIE_NAME)
        assert member_link.token_from_cookie(cookie) == token
        pasted = mine.url
        # wait for the link's own expiry time to pass (it is in the token), then use it elsewhere
        expires = int(unquote(link).split("~")[1])
        while time.time() <= expires + 0.5:
            time.sleep(0.2)
        other = browser.new_context().new_page()
        other.goto(pasted)
        other.get_by_text(re.compile("Join the consultation first")).wait_for(timeout=30_000)
        # the member's own browser, reloaded after the link expired: the cookie keeps them
        mine.goto(f"{base}/my-region")
        wait_for_app(mine)
        wait_for_heading(mine, "Where my region stands", timeout=30_000)
        assert len(storage.participants_frame(sqlite_engine, consultation.id)) == 1
        browser.close()
