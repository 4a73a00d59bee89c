"""The app server sends its security headers, and the member journey still works in Chromium under the policy
with no violation reported."""

from __future__ import annotations

import urllib.request

import pytest
from e2e_support import CHROMIUM, CHROMIUM_ARGS, join_by_link, require_chromium, streamlit_server

from consult import storage
from consult.app.security_headers import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.e2e


def test_security_headers_and_a_member_journey_under_the_policy(sqlite_engine, sqlite_url):
    require_chromium()
    from playwright.sync_api import sync_playwright

    storage.create_consultation(sqlite_engine, title="Headers", question="Which powers?", join_code="HEADOI",
                                min_chars=10)
    with streamlit_server(sqlite_url) as base:
        for path in ("/", "/_stcore/health"):
            headers = urllib.request.urlopen(f"{base}{path}", timeout=10).headers
            assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["Referrer-Policy"] == "no-referrer"
            assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
            violations: list[str] = []
            page.on("console", lambda message: violations.append(message.text)
                    if "Content Security Policy" in message.text else None)
            join_by_link(page, f"{base}/?join=HEADOI", "HEADOI", "Wales")
            page.goto(f"{base}/present?code=HEADOI")
            page.get_by_text("Scan to take part").wait_for(timeout=60_000)
            browser.close()
    assert violations == []
