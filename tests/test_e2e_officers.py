"""Policy officers in a real browser: sign in, explore themes by region, correct, moderate, import, export."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import shared_data
from e2e_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
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
from consult.access import member_link
from consult.access import staff_sign_in as auth
from consult.demo import consultation as demo
from consult.storage import themes as theme_store

pytestmark = pytest.mark.e2e
PASSWORD = "officer-password-123"


@pytest.fixture(scope="module")
def officer_server(tmp_path_factory):
    require_chromium()
    from consult.storage import db

    folder = tmp_path_factory.mktemp("officer")
    url = f"sqlite:///{folder / 'officer.db'}"
    engine = db.make_engine(url)
    storage.init_db(engine)
    consultation_id = demo.install(engine, seed=2026, data=demo.generate(n_participants=400, n_proposals=700))
    theme_store.run(engine, consultation_id)
    secrets = folder / "secrets.toml"
    secrets.write_text(f'[accounts.olivia]\nrole = "officer"\npassword_hash = "{auth.hash_password(PASSWORD)}"\n')
    with streamlit_server(url, secrets=secrets) as base:
        yield base, engine, consultation_id, folder
    engine.dispose()


def go_to(page, title: str, heading: str) -> None:
    nav_link(page, title).click()
    # .first: while the landing page's run is replaced by the clicked page's, both may briefly show a heading
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=60_000)
    wait_for_app(page, timeout=90_000)


def test_officer_journey(officer_server):
    from playwright.sync_api import sync_playwright

    base, engine, consultation_id, folder = officer_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page = context.new_page()
        sign_in(page, base, "olivia", PASSWORD)

        go_to(page, "Overview", "Overview")
        shoot(page, "officer-overview")

        # themes: click a cell of the theme-by-region grid and get those proposals
        go_to(page, "Themes", "Themes")
        before = page.get_by_role("heading", name="Proposals (").inner_text()
        point = page.get_by_test_id("stPlotlyChart").first.locator(".scatterlayer .trace").first.locator(
            "path.point").first
        point.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        box = point.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        wait_for_app(page, timeout=90_000)
        expect(page.get_by_role("heading", name="Proposals (")).not_to_have_text(before, timeout=30_000)
        after = page.get_by_role("heading", name="Proposals (").inner_text()
        assert int(after.split("(")[1].split(" of")[0].replace(",", "")) < int(before.split("of ")[1].rstrip(")")
                                                                             .replace(",", ""))
        shoot(page, "officer-themes")

        # what is distinctive of a region: one choice on the same page, the answer in words with an interval
        heading = page.get_by_role("heading", name="What is distinctive where")
        heading.scroll_into_view_if_needed()
        sentence = page.get_by_text("the rest of the UK, 95%").first
        sentence.wait_for(timeout=30_000)
        assert sentence.inner_text().startswith(("Most distinctive of", "Nothing stands out clearly in"))
        page.get_by_test_id("stPlotlyChart").nth(1).scroll_into_view_if_needed()
        heading.scroll_into_view_if_needed()
        shoot(page, "officer-themes-distinctive")

        # rename a theme, re-run, and the name survives
        page.get_by_role("tab", name="Rename").click()
        page.get_by_label("New name").fill("Trains, buses and trams")
        page.get_by_role("button", name="Rename", exact=True).click()
        wait_for_app(page, timeout=90_000)
        page.get_by_text("Renamed. Later re-runs keep this name.").wait_for(timeout=30_000)
        page.get_by_role("button", name="Re-run theme finding").click()
        page.get_by_text("Themes updated").wait_for(timeout=120_000)
        wait_for_app(page, timeout=90_000)
        # the demo's members name their towns in passing; the run says which names it left out
        expect(page.get_by_text("Names mentioned in passing, left out of the themes:")).to_be_visible()
        labels = theme_store.themes_frame(engine, consultation_id)["label"].tolist()
        assert "Trains, buses and trams" in labels
        expect(page.get_by_text("Trains, buses and trams").filter(visible=True).first).to_be_visible(timeout=30_000)

        go_to(page, "Consensus and division", "Consensus and division")
        shoot(page, "officer-consensus")

        # hide a proposal with a reason and find it in the audit log
        victim = int(storage.proposals_frame(engine, consultation_id)["id"].iloc[3])
        go_to(page, "Moderation", "Moderation")
        page.get_by_label("Proposal number (#)").first.fill(str(victim))
        page.get_by_text("Hidden", exact=True).click()
        page.get_by_label("Reason").nth(1).fill("Names a private person")
        page.get_by_role("button", name="Apply", exact=True).click()
        wait_for_app(page)
        page.get_by_text(f"Proposal {victim} is now hidden.").wait_for(timeout=30_000)
        shoot(page, "officer-moderation")
        go_to(page, "Audit log", "Audit log")
        expect(page.get_by_text("reason: Names a private person")).to_be_visible(timeout=30_000)
        shoot(page, "officer-audit")

        # import the shared gambling_XS responses with their region column through the mapping step
        base_dir = shared_data("themefinder-evals", "gambling_XS")
        responses = [json.loads(line) for line in (base_dir / "inputs/question_part_1/responses.jsonl").open()]
        where = {r["response_id"]: r["demographic_data"]["Do you live in:"]
                 for r in map(json.loads, (base_dir / "inputs/respondents.jsonl").open())}
        upload = folder / "gambling.csv"
        pd.DataFrame({"response_id": [r["response_id"] for r in responses],
                      "response": [r["response"] for r in responses],
                      "region": [where[r["response_id"]] for r in responses]}).to_csv(upload, index=False)
        go_to(page, "Import", "Import")
        page.locator("input[type=file]").set_input_files(str(upload))
        wait_for_heading(page, "Which column holds what?", timeout=60_000)
        wait_for_app(page)
        for label, option in (("Response text", "response"), ("Region", "region"),
                              ("Respondent id", "response_id")):
            page.get_by_test_id("stSelectbox").filter(has_text=label).click()
            page.get_by_role("option", name=option, exact=True).click()
        page.get_by_role("button", name="Import", exact=True).click()
        page.get_by_text("100 rows in: 100 accepted, 0 rejected").wait_for(timeout=60_000)
        shoot(page, "officer-import")
        imported = storage.list_consultations(engine)
        assert "gambling" in imported.iloc[0]["title"]
        regions_seen = set(storage.participants_frame(engine, int(imported.iloc[0]["id"]))["region"])
        assert {"S92000003", "W92000004", "N92000002"} <= regions_seen

        # download the HTML report and the workbook, and open both
        go_to(page, "Export and report", "Export and report")
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="DEVO26").click()
        wait_for_app(page)
        shoot(page, "officer-export")
        with page.expect_download(timeout=120_000) as download:
            page.get_by_role("button", name="Consultation report (HTML, works offline)").click()
        report_path = folder / "report.html"
        download.value.save_as(report_path)
        with page.expect_download(timeout=120_000) as download:
            page.get_by_role("button", name="Workbook: proposals, votes, regions, themes (XLSX)").click()
        book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        assert book.sheetnames == ["Proposals", "Votes", "Participation by region", "Themes", "Questions by region",
                                  "Answers"]

        offline = browser.new_context(offline=True).new_page()
        offline.goto(report_path.as_uri())
        expect(offline.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)
        assert offline.locator(".js-plotly-plot").count() >= 2
        offline.screenshot(path=str(folder / "report.png"), full_page=False)
        browser.close()


STAFF_PATHS = {"overview": "Overview", "themes": "Themes", "consensus": "Consensus and division",
               "moderation": "Moderation", "import": "Import", "export": "Export and report", "audit": "Audit log",
               "facilitate": "Run a session"}


def test_staff_pages_refuse_strangers_and_members_in_the_browser(officer_server):
    """Typing a staff page's address, signed out or with a member's link, never shows it (nor its downloads): the
    sign-in form stands in at that address and says which page it would open."""
    from playwright.sync_api import sync_playwright

    base, engine, consultation_id, _ = officer_server
    token = member_link.link_token(storage.add_participant(engine, consultation_id, region="E12000002").token)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context().new_page()
        for query in ("", f"?p={token}"):
            for path, title in STAFF_PATHS.items():
                page.goto(f"{base}/{path}{query}")
                wait_for_heading(page, "Staff sign-in", timeout=60_000)
                expect(page.get_by_text(f"Sign in to open {title}.")).to_be_visible(timeout=30_000)
                wait_for_app(page)
                assert page.get_by_role("heading", name=title, exact=True).count() == 0, (path, query)
                assert page.get_by_test_id("stDownloadButton").count() == 0
                assert nav_link(page, title).count() == 0
        # and a wrong password, tried again and again, is slowed down
        page.goto(f"{base}/signin")
        page.get_by_label("Account name").wait_for(timeout=60_000)
        wait_for_app(page)
        for _ in range(auth.FREE_TRIES + 2):
            page.get_by_label("Account name").fill("olivia")
            page.get_by_role("textbox", name="Password").fill("not the password")
            page.get_by_role("button", name="Sign in").click()
            wait_for_app(page)
        expect(page.get_by_text("Too many wrong passwords")).to_be_visible(timeout=30_000)
        browser.close()


def upload_for_import(browser, base: str, upload: Path, heading: str):
    """An officer signed in on the Import page with `upload` chosen, once `heading` shows; returns the page."""
    page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    sign_in(page, base, "olivia", PASSWORD)
    go_to(page, "Import", "Import")
    page.locator("input[type=file]").set_input_files(str(upload))
    wait_for_heading(page, heading, timeout=60_000)
    wait_for_app(page)
    return page


def test_a_messy_form_export_imports_through_the_page(officer_server):
    from messy_form import write_messy_csv
    from playwright.sync_api import sync_playwright

    base, engine, _, folder = officer_server
    upload = write_messy_csv(folder)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = upload_for_import(browser, base, upload, "How the answers are read")
        # the guesses: the long prose is the response, not the timestamp; the 1-5 column is the stance
        expect(page.get_by_role("combobox", name="Response text")).to_have_value(
            "What should a regional assembly be able to decide?")
        expect(page.get_by_text("Read as a 1-5 scale")).to_be_visible()
        expect(page.get_by_role("combobox", name="When each response was made")).to_have_value("Timestamp")
        wait_for_heading(page, "Regions not recognised", timeout=30_000)
        shoot(page, "officer-import-messy")
        page.get_by_role("button", name="Import", exact=True).click()
        page.get_by_text("62 rows in: 59 accepted, 3 rejected").wait_for(timeout=60_000)
        page.get_by_role("heading", name="Rows to look at (8)").wait_for(timeout=30_000)
        expect(page.get_by_text("When each response was made: from the column 'Timestamp'")).to_be_visible()
        shoot(page, "officer-import-messy-done")
        browser.close()
    imported = storage.list_consultations(engine)
    assert "form export" in imported["title"].tolist()
    dated = storage.proposals_frame(engine, int(imported.loc[imported["title"] == "form export", "id"].iloc[0]))
    days = pd.to_datetime(dated["created_ms"], unit="ms", utc=True).dt.strftime("%Y-%m").unique().tolist()
    assert days == ["2026-11"]  # every response dated by the form's Timestamp (November 2026), not the import


def test_the_officers_five_questions_in_the_browser(officer_server):
    """Each question answered on screen in a few clicks, against figures computed from the database."""
    from playwright.sync_api import sync_playwright

    from consult.publishing import suppression, tables
    from consult.support import direct as support
    from consult.text.cleaning import shorten

    base, engine, consultation_id, _ = officer_server
    consultation = storage.get_consultation(engine, consultation_id)
    representation, _ = support.representativeness(storage.participants_frame(engine, consultation_id),
                                                   storage.baseline_for(engine, consultation))
    over, under = support.most_and_least_represented(
        suppression.participation_table(representation, consultation.min_cell))
    analysis = tables.proposal_analysis(engine, consultation_id)
    voted = analysis[(analysis["status"] == "published") & (analysis["votes"] > 0)].sort_values("consensus_rank")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        sign_in(page, base, "olivia", PASSWORD)

        # 1. over- and under-representation by region
        go_to(page, "Overview", "Overview")
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name=demo.JOIN_CODE).click()
        wait_for_app(page)
        expect(page.get_by_text(f"{over['name']}, {over['ratio']:.2f} times its share of the baseline")).to_be_visible()
        expect(page.get_by_text(f"{under['name']}, {under['ratio']:.2f} times its share.")).to_be_visible()

        # 2. supported in every region, with the evidence: the top proposal by its text in the interval chart
        go_to(page, "Consensus and division", "Consensus and division")
        top = voted.iloc[0]
        chart = page.get_by_test_id("stPlotlyChart").first
        expect(chart.get_by_text(f"(#{int(top['proposal_id'])})")).to_be_visible(timeout=30_000)
        assert top["text"][:20].lower() in chart.inner_text().lower()

        # 3. what weighting changes for any proposal: type part of the 40th-ranked one and read the figures
        pick = voted.iloc[39]
        box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Proposal", exact=True)).first
        box.click()
        page.keyboard.type(pick["text"][:40])
        # the demo's proposals share openings: the option is the proposal's whole (shortened) text
        page.get_by_role("option", name=shorten(pick["text"]), exact=True).click()
        wait_for_app(page)
        for name, column in (("Raw share", "support"), ("Pooled estimate", "pooled_support"),
                             ("Weighted estimate", "weighted_support"), ("Plain weighted share", "poststratified_support")):
            step = page.get_by_test_id("stMetric").filter(has_text=name)
            expect(step.get_by_test_id("stMetricValue")).to_have_text(f"{pick[column]:.0%}")

        # 5. what one opinion group agrees on that another does not, then a region against the rest of the UK
        expect(page.get_by_role("heading", name="Group 1 agrees, Group 2 does not")).to_be_visible()
        expect(page.get_by_role("heading", name="Group 2 agrees, Group 1 does not")).to_be_visible()
        page.get_by_text("Regions", exact=True).click()
        wait_for_app(page)
        expect(page.get_by_role("heading", name="North East agrees, the rest of the UK does not")).to_be_visible(
            timeout=30_000)
        shoot(page, "officer-five-questions-consensus")

        # 4. what is distinctive of a region: one choice on the themes page, the answer in words with an interval
        go_to(page, "Themes", "Themes")
        region = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Region", exact=True)).first
        region.locator("input").click()
        page.keyboard.type("Wales")
        page.keyboard.press("Enter")
        wait_for_app(page)
        answer = page.get_by_text("Wales", exact=False).filter(has_text="the rest of the UK, 95%").first
        expect(answer).to_be_visible(timeout=30_000)
        # clear, possible (clear only before allowing for picking the top of the themes), or nothing clear
        assert answer.inner_text().startswith(("Most distinctive of Wales:", "Possibly distinctive of Wales:",
                                               "Nothing stands out clearly in Wales"))
        browser.close()


def test_an_unknown_region_spelling_is_mapped_by_hand_in_the_editor(officer_server):
    """The import page's table of unrecognised spellings is edited in the browser, and the import uses it."""
    from messy_form import write_messy_csv
    from playwright.sync_api import sync_playwright

    from consult.intake import form_responses as imports

    base, engine, _, folder = officer_server
    (folder / "by-hand").mkdir(exist_ok=True)
    upload = write_messy_csv(folder / "by-hand")
    frame = pd.read_csv(upload, dtype=str, keep_default_na=False)
    _, preview = imports.validate(frame, imports.guess_mapping(frame))
    first, *others = preview.unknown_regions
    left_unknown = sum(len(preview.unknown_regions[s]) for s in others)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = upload_for_import(browser, base, upload, "Regions not recognised")
        editor = page.get_by_test_id("stDataFrame").last
        editor.scroll_into_view_if_needed()
        box = editor.bounding_box()
        # the first row's spelling cell, then two to the right (the region column): Enter edits, typing filters.
        # The grid is a canvas that can take a moment to accept input after it is drawn: the sequence is tried
        # again (up to three times) until the editor's filtered list of regions shows
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        for _attempt in range(3):
            page.mouse.click(box["x"] + 40, box["y"] + 35 + 17)
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")
            page.keyboard.press("Enter")
            page.keyboard.type("Wales")
            option = page.get_by_text("Wales", exact=True).last
            try:
                option.wait_for(timeout=10_000)
                break
            except PlaywrightTimeout:
                page.keyboard.press("Escape")
        option.click()
        wait_for_app(page)
        # the page says back what the table holds: the import must not be pressed before the server has the choice
        page.get_by_text(f"1 of {1 + len(others)} spellings will go in as the region chosen").wait_for(timeout=30_000)
        shoot(page, "officer-import-region-by-hand")
        page.get_by_role("textbox", name="Title for the imported consultation").fill("Mapped by hand")
        page.get_by_role("button", name="Import", exact=True).click()
        page.get_by_text("62 rows in: 59 accepted, 3 rejected").wait_for(timeout=60_000)
        if others:
            expect(page.get_by_text(f"{left_unknown:,} accepted rows had a region that was not recognised")
                   ).to_be_visible()
        else:
            expect(page.get_by_text("had a region that was not recognised")).to_have_count(0)
        browser.close()
    imported = storage.list_consultations(engine)
    mapped = int(imported.loc[imported["title"] == "Mapped by hand", "id"].iloc[0])
    # the spelling's rows went in as Wales: as many Welsh participants as recognised spellings plus those rows
    recognised_welsh = int((preview_regions(frame) == "W92000004").sum())
    people = storage.participants_frame(engine, mapped)
    assert (people["region"] == "W92000004").sum() == recognised_welsh + len(preview.unknown_regions[first])


def preview_regions(frame: pd.DataFrame) -> pd.Series:
    """The ITL1 code each row's region spelling is read as (None where it is not recognised)."""
    from consult import regions
    from consult.intake import form_responses as imports

    column = imports.guess_mapping(frame).region
    return frame[column].map(lambda value: regions.match_region(str(value)))
