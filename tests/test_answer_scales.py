"""Agree / disagree answers of any common shape."""

import pandas as pd
import pytest

from consult.intake.stance_scales import Scale, answer_mapping, infer_scale, mapping_from_table, read_answer


@pytest.mark.parametrize(("answer", "stance"), [
    ("Strongly agree", 1), ("agree", 1), ("Tend to agree", 1), ("Yes", 1), ("Support", 1),
    ("Strongly disagree", -1), ("Disagree", -1), ("no", -1), ("Oppose", -1),
    ("Neither agree nor disagree", 0), ("Don’t know", 0), ("not sure", 0), ("Neutral", 0),
])
def test_words(answer, stance):
    assert read_answer(answer, None) == stance


def test_numbers_on_a_five_point_scale():
    scale = infer_scale(["1", "2", "3", "4", "5 - strongly"])
    assert scale == Scale(1, 5)
    assert [read_answer(a, scale) for a in ["1", "2", "3", "4", "5 - strongly", "5 (strongly agree)"]] == \
        [-1, -1, 0, 1, 1, 1]


def test_seven_and_ten_point_scales_and_votes():
    assert infer_scale(["1", "6", "7"]) == Scale(1, 7) and read_answer("4", Scale(1, 7)) == 0
    assert read_answer("5", Scale(1, 7)) == 1
    assert infer_scale(["0", "8", "10"]) == Scale(0, 10) and read_answer("5", Scale(0, 10)) == 0
    assert infer_scale(["-1", "0", "1"]) == Scale(-1, 1) and read_answer("-1", Scale(-1, 1)) == -1
    assert infer_scale(["0", "1"]) == Scale(-1, 1)
    assert infer_scale(["12", "40"]) is None and infer_scale(["yes", "no"]) is None


@pytest.mark.parametrize("answer", ["", None, float("nan"), "five!!", "=HYPERLINK(\"x\",\"5\")", "12/03/2024", "9"])
def test_what_cannot_be_read(answer):
    assert read_answer(answer, Scale(1, 5)) is None


def test_the_mapping_table_is_shown_and_edited():
    table, scale = answer_mapping(pd.Series(["4", "4", "2", "Strongly agree", "??", "", None]))
    assert scale == Scale(1, 5)
    assert table["answer"].tolist()[0] == "4" and table["count"].tolist()[0] == 2
    readings = dict(zip(table["answer"], table["reading"], strict=True))
    assert readings == {"4": "agree", "2": "disagree", "Strongly agree": "agree", "??": "cannot be read"}
    table.loc[table["answer"] == "??", "reading"] = "Neutral"
    assert mapping_from_table(table)["??"] == 0 and mapping_from_table(table)["2"] == -1
