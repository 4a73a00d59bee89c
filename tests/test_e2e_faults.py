"""The app server killed with SIGKILL while members submit proposals in real browsers, then restarted: every
proposal a member saw acknowledged is in the database, SQLite passes its integrity check, and the members
carry on where they were (their link still identifies them)."""

from __future__ import annotations

import os
import signal
from urllib.parse import unquote

import pytest
from e2e_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    join_by_link,
    require_chromium,
    start_server,
    stop_server,
    wait_for_app,
)
from playwright.sync_api import expect, sync_playwright

from consult import storage
from consult.access import member_link
from consult.storage import db

pytestmark = pytest.mark.e2e
TOPICS = ["ferries", "libraries", "broadband", "tram lines", "river flooding", "fishing quotas", "apprenticeships",
          "care homes", "museum funding", "housing targets", "police budgets", "road tolls", "farm subsidies",
          "youth clubs", "heat networks", "harbour dredging"]


def submit(page, body: str, *, wait: bool = True) -> None:
    box = page.get_by_role("textbox", name="Your proposal")
    box.fill(body)
    page.get_by_role("button", name="Continue").click()
    if not wait:
        return
    wait_for_app(page)  # the previous "published" note stays until this run replaces it
    different = page.get_by_role("button", name="No, mine is different: submit it")
    if different.is_visible():
        different.click()
        wait_for_app(page)
    try:
        expect(page.get_by_text("Your proposal is published")).to_be_visible(timeout=30_000)
    except AssertionError as failure:
        # a click that never reached the server and a run that never finished look alike in the page's text
        state = page.get_by_test_id("stApp").get_attribute("data-test-script-state")
        raise AssertionError(f"no acknowledgement; the app's script state is {state!r}") from failure
    expect(box).to_have_value("", timeout=30_000)


def test_sigkill_during_a_burst_of_proposals(tmp_path):
    require_chromium()
    url = f"sqlite:///{tmp_path / 'kill.db'}"
    engine = db.make_engine(url)
    storage.init_db(engine)
    consultation = storage.create_consultation(engine, title="Kill test", question="What should regions run?",
                                             join_code="KILLOI", min_chars=10, max_proposals_per_participant=50)
    port = free_port()
    log = tmp_path / "server.log"  # both servers' output, printed if the test fails (pytest shows it only then)
    server = start_server(url, port=port, log=log)
    base = f"http://127.0.0.1:{port}"
    acknowledged: dict[str, list[str]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            pages = []
            for region in ("Wales", "North East"):
                page = browser.new_context().new_page()
                token = join_by_link(page, f"{base}/?join=KILLOI", "KILLOI", region)
                page.goto(f"{base}/propose?p={token}")
                page.get_by_role("textbox", name="Your proposal").wait_for(timeout=30_000)
                wait_for_app(page)
                pages.append((page, token))
                acknowledged[token] = []
            for round_number in range(3):
                for number, (page, token) in enumerate(pages):
                    body = f"Let the regions decide on {TOPICS[round_number * 2 + number]} ({token[:4]})"
                    submit(page, body)
                    acknowledged[token].append(body)
            # the burst: both members press Continue, and the server dies before answering either
            for number, (page, token) in enumerate(pages):
                submit(page, f"Let the regions decide on {TOPICS[10 + number]} ({token[:4]})", wait=False)
            os.kill(server.pid, signal.SIGKILL)
            server.wait(10)

            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            server = start_server(url, port=port, log=log)
            for page, token in pages:
                member = storage.participant_by_token(engine, member_link.token_from_link(unquote(token)))
                assert member is not None
                saved = set(storage.proposals_frame(engine, consultation.id).query("author_id == @member.id")["body"])
                assert set(acknowledged[token]) <= saved, "an acknowledged proposal was lost"
                # the member reloads their link and carries on as the same person
                page.goto(f"{base}/propose?p={token}")
                page.get_by_role("textbox", name="Your proposal").wait_for(timeout=30_000)
                wait_for_app(page)
                body = f"After the restart: {TOPICS[14]} for {token[:4]}"
                submit(page, body)
                saved = set(storage.proposals_frame(engine, consultation.id).query("author_id == @member.id")["body"])
                assert body in saved
            browser.close()
    finally:
        stop_server(server)
        engine.dispose()
        print(log.read_text(errors="replace")[-20_000:] if log.exists() else "no server log")
