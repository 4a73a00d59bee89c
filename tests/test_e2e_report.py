"""The report as a minister would get it: rendered in Chromium and printed to A4. The summary for the leadership
fits on its first page, every section prints, ranks and counts are whole numbers, and the chart names proposals by
their whole text."""

from __future__ import annotations

import re

import pytest
from e2e_support import CHROMIUM, CHROMIUM_ARGS, require_chromium

from consult import storage
from consult.demo import consultation as demo
from consult.publishing import report
from consult.storage import db
from consult.storage import themes as theme_store

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("seed", [2026, 7])  # 2026: the demo `make run` installs
def test_the_report_prints_to_a4_with_the_summary_on_page_one(tmp_path, seed):
    from playwright.sync_api import sync_playwright

    require_chromium()
    engine = db.make_engine(f"sqlite:///{tmp_path / 'report.db'}")
    storage.init_db(engine)
    consultation_id = demo.install(engine, seed=seed)
    theme_store.run(engine, consultation_id)
    checked = int(theme_store.themes_frame(engine, consultation_id).iloc[0]["id"])
    theme_store.mark_checked(engine, checked, actor="olivia")
    path = tmp_path / "report.html"
    path.write_text(report.build(engine, consultation_id), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(path.as_uri())
        headings = page.locator("h2").all_inner_texts()
        cells = page.locator("td").all_inner_texts()
        chart_labels = page.locator(".ytick text").evaluate_all("els => els.map(e => e.textContent)")
        pdf = page.pdf(format="A4", print_background=True)
        # the title and the leadership's summary alone, printed: one A4 page
        page.evaluate("""() => { const summary = document.querySelector('section.summary');
            let next = summary.nextSibling; while (next) { const gone = next; next = next.nextSibling; gone.remove(); }
            summary.style.breakAfter = 'auto'; }""")
        first_page = page.pdf(format="A4", print_background=True)
        browser.close()
    assert len(re.findall(rb"/Type\s*/Page[^s]", first_page)) == 1
    assert headings[:2] == ["Summary for the leadership", "1. Method and participation"]
    assert {"2. Themes", "3. Supported in every region", "5. You said, we did", "7. Methods and caveats"} <= set(
        headings)
    assert not [cell for cell in cells if re.fullmatch(r"\d+\.0", cell.strip())]  # counts never print as 1.0
    assert any("#" in label for label in chart_labels) and not any("…" in label for label in chart_labels)
    assert pdf.startswith(b"%PDF") and 5 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 40
    text = path.read_text(encoding="utf-8")
    assert "checked by an officer" in text and "not yet checked" in text  # one theme checked, the rest not
    themes = len(theme_store.themes_frame(engine, consultation_id).query("not is_other"))
    assert f"1 of the {themes} themes were checked by an officer" in text
    assert f"{themes - 1} of the {themes} themes have not been checked by an officer" in text
