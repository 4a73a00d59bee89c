"""Exports: analysis tables, pseudonymised votes, safe spreadsheets, the Polis schema and the HTML report."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest

from consult import storage
from consult.cli import main as cli
from consult.demo import consultation as demo
from consult.intake import polis
from consult.publishing import polis_export, report, tables
from consult.storage import themes as theme_store

HOSTILE = '=HYPERLINK("http://evil.example","click") <script>alert(1)</script> **bold**'


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from consult.storage import db

    engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('exports') / 'demo.db'}")
    storage.init_db(engine)
    consultation_id = demo.install(engine, seed=31, data=demo.generate(seed=31, n_participants=300, n_proposals=500))
    member = storage.add_participant(engine, consultation_id, region="E12000007")
    storage.add_proposal(engine, consultation_id, body=HOSTILE, author_id=member.id)
    theme_store.run(engine, consultation_id)
    yield engine, consultation_id
    engine.dispose()


def test_proposals_table_has_the_analysis(demo_db):
    engine, consultation_id = demo_db
    table = tables.proposals_table(engine, consultation_id)
    assert {"theme", "author_region", "support", "support_low", "weighted_support", "consensus",
            "weakest_region"} <= set(table.columns)
    assert len(table) == storage.counts(engine, consultation_id).published  # published only (test_unpublished_never_leaves)
    assert (table["theme"] != "").mean() > 0.9


def test_csv_and_xlsx_neutralise_formulas(demo_db):
    engine, consultation_id = demo_db
    csv = tables.proposals_csv(engine, consultation_id).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv and ",=HYPERLINK" not in csv
    from consult.storage import questions as question_store

    free_text = question_store.list_questions(engine, consultation_id)[-1]
    someone = int(storage.participants_frame(engine, consultation_id)["id"].iloc[0])
    question_store.answer(engine, free_text.id, someone, '=HYPERLINK("http://evil.example","rates")')
    book = openpyxl.load_workbook(io.BytesIO(tables.workbook(engine, consultation_id)))
    assert book.sheetnames == ["Proposals", "Votes", "Participation by region", "Themes", "Questions by region",
                               "Answers"]
    answers = [c.value for row in book["Answers"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("'=HYPERLINK") for v in answers) and not any(v.startswith("=") for v in answers)
    cells = [c.value for row in book["Proposals"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("'=HYPERLINK") for v in cells)
    assert not any(v.startswith("=") for v in cells)


def test_votes_are_pseudonymised(demo_db):
    engine, consultation_id = demo_db
    votes = tables.votes_table(engine, consultation_id)
    ids = set(storage.votes_frame(engine, consultation_id)["participant_id"].astype(str))
    assert votes["participant"].str.match(r"^P[0-9a-f]{16}$").all()
    assert not set(votes["participant"]) & ids
    assert votes["participant"].nunique() == len(ids)


def test_polis_zip_reads_back(demo_db):
    engine, consultation_id = demo_db
    with tempfile.TemporaryDirectory() as folder:
        zipfile.ZipFile(io.BytesIO(polis_export.polis_zip(engine, consultation_id))).extractall(folder)
        again = polis.read_export(Path(folder))
    assert len(again.votes) == storage.counts(engine, consultation_id).votes


def test_html_report_is_self_contained_and_escapes_member_text(demo_db):
    engine, consultation_id = demo_db
    page = report.build(engine, consultation_id)
    assert page.startswith("<!doctype html>")
    for section in ("Method and participation", "Themes", "Supported in every region", "Opinion groups",
                    "Methods and caveats"):
        assert section in page
    assert "Plotly.newPlot" in page and not re.search(r"<script[^>]+src=", page)  # embedded: works offline
    assert "<script>alert(1)</script>" not in page
    # how settled the groups are, in the section on them
    groups = page[page.index("4. Opinion groups"):]
    assert "Found again on 20 subsamples" in groups[:groups.index("<h3>")]


def test_report_opens_with_a_summary_of_findings_and_the_cli_writes_it(demo_db, tmp_path, capsys):
    engine, consultation_id = demo_db
    page = report.build(engine, consultation_id)
    summary = page[page.index("Summary for the leadership"):page.index("1. Method and participation")]
    headings = ["What members want", "Where they differ", "What is uncertain", "What the party has answered",
                "Who took part"]
    assert [summary.index(f"<h3>{heading}</h3>") for heading in headings] == sorted(
        summary.index(f"<h3>{heading}</h3>") for heading in headings)
    assert "people took part. Against the " in summary and " baseline, <strong>" in summary
    assert "to have a majority in all 12 regions" in summary and "The main themes" in summary
    # proposals by their text; an id only in the link to a long one's full text in the appendix
    links = re.findall(r"<a href='#proposal-(\d+)'>\(full text, #\1\)</a>", summary)
    assert "#" not in re.sub(r"#[0-9a-f]{6}", "", re.sub(r"<a href='#proposal-\d+'>[^<]*</a>", "", summary))
    for proposal_id in links:
        assert f"<li id=\"proposal-{proposal_id}\">" in page  # the appendix holds the whole text
    assert page.index("Summary for the leadership") < page.index("1. Method and participation")
    url = engine.url.render_as_string(hide_password=False)
    assert cli.main(["export", str(consultation_id), "--db", url, "--out", str(tmp_path / "r.html")]) == 0
    assert "wrote the report of" in capsys.readouterr().out
    assert "Summary for the leadership" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_the_report_names_opinion_groups_as_the_consensus_page_does(demo_db):
    engine, consultation_id = demo_db
    html = report.build(engine, consultation_id)
    assert re.search(r"<h3>Group 1: [0-9,]+ participants</h3>", html)
    assert "Group A" not in html


def test_report_escapes_text_it_quotes(demo_db):
    engine, consultation_id = demo_db
    hostile_id = int(storage.proposals_frame(engine, consultation_id).set_index("body").loc[HOSTILE, "id"])
    theme_id = int(theme_store.themes_frame(engine, consultation_id).iloc[0]["id"])
    theme_store.rename(engine, theme_id, "<b>Theme</b> & co", actor="t")
    theme_store.move_proposal(engine, hostile_id, theme_id, actor="t")
    page = report.build(engine, consultation_id)
    assert "&lt;b&gt;Theme&lt;/b&gt; &amp; co" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_report_names_the_baseline_its_figures_use(demo_db):
    """With a membership roll loaded, participation is compared with the membership, and the report says so."""
    engine, consultation_id = demo_db
    consultation = storage.get_consultation(engine, consultation_id)
    page = report.build(engine, consultation_id)
    used = storage.baseline_name_for(engine, consultation)
    assert f"compared with the <em>{used}</em> baseline" in page
    assert f"Against the {used} baseline" in page


def test_the_officers_table_refreshes_from_its_last_model(sqlite_engine):
    """The Consensus page's table is refitted every 30 s: from the model it returned last time, only proposals
    with new votes are worked out again, and a hidden proposal leaves the table's figures."""
    from consult.publishing import tables as analysis

    consultation_id = demo.install(sqlite_engine, seed=5, data=demo.generate(seed=5, n_participants=200,
                                                                                 n_proposals=120))
    table, first = analysis.analysis_and_model(sqlite_engine, consultation_id)
    voted = int(table.dropna(subset=["votes"]).sort_values("votes").iloc[-1]["proposal_id"])
    member = storage.add_participant(sqlite_engine, consultation_id, region="S92000003")
    storage.cast_vote(sqlite_engine, member.id, voted, -1)
    again, refreshed = analysis.analysis_and_model(sqlite_engine, consultation_id, previous=first)
    assert refreshed.changed_ == 1
    row = again.set_index("proposal_id").loc[voted]
    assert row["votes"] == table.set_index("proposal_id").loc[voted, "votes"] + 1
    # every other proposal keeps its figures; only the plain post-stratified share moves, as it should: a new
    # voter changes every voter's weight in their region (it is worked out afresh, not from the model)
    plain = ["poststratified_support", "poststratified_low", "poststratified_high"]
    after = again.drop(columns=["consensus_rank", *plain]).set_index("proposal_id").drop(index=voted)
    before = table.drop(columns=["consensus_rank", *plain]).set_index("proposal_id").drop(index=voted)
    assert [column for column in before.columns if not after[column].equals(before[column])] == []
