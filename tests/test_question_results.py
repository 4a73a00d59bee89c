"""Questions as they leave the system: `consult questions load|open|results|answers`, the results table's
suppression of small regions, cross-tabs, the answers export and the count of a ranking question."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from consult import regions, storage
from consult.cli import main as cli
from consult.publishing import question_results
from consult.storage import db
from consult.storage import questions as question_store

QUESTIONS = """kind,text,options,min,max
likert,Should a regional assembly have tax-raising powers?,,,
ranking,Rank these powers,Transport|Housing|Skills,,
number,How many members should an assembly have?,,10,200
text,One word for your region,,,
"""
BIG, SMALL = "E12000007", "W92000004"  # London answers 40 times, Wales 3 times


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def answered(sqlite_url, tmp_path, capsys):
    engine = db.make_engine(sqlite_url)
    storage.init_db(engine)
    consultation = storage.create_consultation(engine, title="Devolution", question="Which powers?", join_code="DEVQ")
    path = tmp_path / "questions.csv"
    path.write_text(QUESTIONS, encoding="utf-8")
    assert cli.main(["questions", "load", "DEVQ", str(path), "--db", sqlite_url]) == 0
    assert "loaded 4 question(s)" in capsys.readouterr().out
    assert cli.main(["questions", "open", "DEVQ", "--all", "--db", sqlite_url]) == 0
    scale, ranking, number, text = question_store.list_questions(engine, consultation.id)
    rng = np.random.default_rng(5)
    for i in range(43):
        member = storage.add_participant(engine, consultation.id, region=BIG if i < 40 else SMALL,
                                         constituency=f"Party {i % 2}")
        question_store.answer(engine, scale.id, member.id, int(rng.integers(1, 6)))
        question_store.answer(engine, ranking.id, member.id, [[0, 1], [1, 0, 2], [2]][i % 3])
        question_store.answer(engine, number.id, member.id, 20 + i)
        question_store.answer(engine, text.id, member.id, ["pride", "jobs and pride", "rain"][i % 3])
    return engine, consultation, (scale, ranking, number, text)


def test_results_csv_has_every_question_and_hides_small_regional_counts(answered, sqlite_url, tmp_path, capsys):
    out = tmp_path / "results.csv"
    assert cli.main(["questions", "results", "DEVQ", "--out", str(out), "--db", sqlite_url]) == 0
    rows = _rows(out)
    assert list(rows[0])[:8] == ["question_id", "question", "kind", "option", "region", "measure", "n", "share"]
    agreeing = [r for r in rows if r["option"] == "Agree or strongly agree"]
    overall = next(r for r in agreeing if r["region"] == "All regions")
    assert overall["n"] == "43" and float(overall["lower"]) <= float(overall["share"]) <= float(overall["upper"])
    assert overall["weighted"] != ""
    wales = next(r for r in agreeing if r["region"] == regions.region_name(SMALL))
    london = next(r for r in agreeing if r["region"] == regions.region_name(BIG))
    assert wales["n"] == "" and wales["suppressed"] == "True" and wales["share"] != ""  # estimate kept, count not
    assert london["n"] == "40" and london["suppressed"] == "False"
    medians = {r["region"]: r for r in rows if r["kind"] == "number" and r["measure"] == "median"}
    assert medians["All regions"]["value"] == "41.0"
    assert medians[regions.region_name(SMALL)]["value"] == ""
    words = {r["option"]: r["n"] for r in rows if r["kind"] == "free_text"}
    assert words == {"pride": "29", "jobs": "14", "rain": "14"}


def test_answers_export_is_long_pseudonymous_and_merges_small_regions(answered, sqlite_url, tmp_path):
    out = tmp_path / "answers.csv"
    assert cli.main(["questions", "answers", "DEVQ", "--out", str(out), "--db", sqlite_url]) == 0
    rows = _rows(out)
    assert len(rows) == 43 * 4
    assert all(r["participant"].startswith("P") for r in rows)
    assert regions.region_name(SMALL) not in {r["region"] for r in rows}
    ranked = next(r for r in rows if r["kind"] == "ranking" and r["answer_code"] == "1,0,2")
    assert ranked["answer"] == "Housing > Transport > Skills"
    text_question = next(r["question_id"] for r in rows if r["kind"] == "free_text")
    one = tmp_path / "one.csv"
    assert cli.main(["questions", "answers", "DEVQ", "--question", text_question, "--out", str(one),
                     "--db", sqlite_url]) == 0
    assert {r["kind"] for r in _rows(one)} == {"free_text"} and len(_rows(one)) == 43


def test_crosstabs_by_local_party_and_region_apply_the_small_cell_rules(answered):
    engine, consultation, (scale, *_rest) = answered
    by_party = question_results.crosstab_table(engine, consultation.id, scale, "local_party")
    assert set(by_party["group"]) == {"Party 0", "Party 1"} and not by_party["suppressed"].any()
    by_region = question_results.crosstab_table(engine, consultation.id, scale, "region")
    wales = by_region[by_region["group"] == regions.region_name(SMALL)]
    assert wales["suppressed"].all() and wales["respondents"].isna().all() and wales["share"].isna().all()


def test_a_ranking_question_is_counted_by_instant_runoff_with_borda_beside_it(answered):
    engine, consultation, (_scale, ranking, *_rest) = answered
    counted, borda = question_results.ranking_count(engine, consultation.id, ranking)
    # first preferences: Transport 15, Housing 14, Skills 14. Housing and Skills tie for exclusion (decided by lot,
    # recorded); whichever goes, Transport wins: Housing's papers all move to Transport, Skills' are exhausted
    assert counted.valid_papers == 43 and counted.elected == ["Transport"]
    assert borda.iloc[0]["label"] == "Transport"
    assert borda["first_preferences"].sum() == 43


def test_a_bad_question_file_loads_nothing_and_says_each_line(sqlite_url, tmp_path, capsys):
    engine = db.make_engine(sqlite_url)
    storage.init_db(engine)
    storage.create_consultation(engine, title="Devolution", question="Q?", join_code="DEVQ")
    path = tmp_path / "bad.csv"
    path.write_text("kind,text,options\nsingle,Where?,one\nlikert,Tax?,\n", encoding="utf-8")
    assert cli.main(["questions", "load", "DEVQ", str(path), "--db", sqlite_url]) == 2
    err = capsys.readouterr().err
    assert "nothing was loaded" in err and "line 2:" in err
    assert question_store.list_questions(engine, storage.find_consultation(engine, "DEVQ").id) == []


def test_the_report_and_the_workbook_carry_the_questions(answered):
    import io

    import openpyxl

    from consult.publishing import report, tables

    engine, consultation, _ = answered
    html = report.build(engine, consultation.id)
    section = html.split("6. Questions")[1].split("7. Methods and caveats")[0]
    assert "Should a regional assembly have tax-raising powers?" in section and "43 answered." in section
    assert "Agreeing, by region" in section and "fewer than 10" in section  # Wales' three answers are not counted out
    assert "Transport wins" in section
    assert "Answers by region (share of those answering; blank: fewer than 10)" in section
    book = openpyxl.load_workbook(io.BytesIO(tables.workbook(engine, consultation.id)), read_only=True)
    assert {"Questions by region", "Answers"} <= set(book.sheetnames)
    assert book["Answers"].max_row == 43 * 4 + 1


def test_opinion_groups_are_named_in_the_cross_tabs_as_on_the_page_and_in_the_report():
    """One naming rule (`consult.opinion.names`): the cross-tabs said 'Group A' where the page, the opinion map
    and the report's own section said 'Group 1'."""
    import numpy as np
    import pandas as pd

    from consult import charts

    labels = pd.Series([0.0, 1.0, np.nan, 1.0], index=[10, 11, 12, 13])
    named = question_results.group_names(labels)
    assert named.to_dict() == {10: "Group 1", 11: "Group 2", 13: "Group 2"}
    projection = pd.DataFrame({"x": [0.0, 1.0, 2.0], "y": [0.0, 1.0, 2.0], "group": [0.0, 1.0, np.nan]})
    legend = {trace.name for trace in charts.opinion_map(projection).data}
    assert {"Group 1", "Group 2"} <= legend
