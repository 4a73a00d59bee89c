"""Loading questions from a CSV: good files load, bad ones are refused whole with every problem's line."""

from __future__ import annotations

import pytest

from consult.questions.question_file import MAX_FILE_BYTES, QuestionFileError, read_questions

GOOD = """Type,Question,Options,Min,Max
likert,Should a regional assembly have tax-raising powers?,,,
single,Which area do you identify with?,My town|My county|My region|The UK,,
ranking,Rank these powers,Transport|Housing|Skills|Health,,
number,How many members should an assembly have?,,10,200
text,One word for your region,,,
"""


def test_a_good_file_loads_every_kind_in_order():
    specs = read_questions(GOOD.encode("utf-8-sig"))
    assert [spec.kind for spec in specs] == ["agree_scale", "single", "ranking", "number", "free_text"]
    assert specs[1].options == ("My town", "My county", "My region", "The UK")
    assert (specs[3].min_value, specs[3].max_value) == (10, 200)


def test_a_windows_file_with_smart_quotes_loads():
    data = "kind,text,options\nsingle,\u201cWhich\u201d region?,North|South\n".encode("cp1252")
    assert read_questions(data)[0].text == "\u201cWhich\u201d region?"


def test_every_problem_is_listed_with_its_line_and_nothing_loads():
    data = ("kind,text,options,min,max\nsingle,Where?,Only one,,\npoll,What?,,,\nnumber,How many?,,ten,5\n"
            "likert,Tax?,,,\nlikert,tax?,,,\n")
    with pytest.raises(QuestionFileError) as caught:
        read_questions(data)
    problems = caught.value.problems
    assert any(p.startswith("line 2:") and "two options" in p for p in problems)
    assert any(p.startswith("line 3:") and "not a kind" in p for p in problems)
    assert any(p.startswith("line 4:") and "'ten' is not a number" in p for p in problems)
    assert any(p.startswith("line 6:") and "same question as line 5" in p for p in problems)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"kind,text\n", "no questions"),
    (b"name,options\nx,y\n", "needs a kind and a text column"),
    (b"\x00\xff\xfe" * 10, "needs a kind"),
    (b"kind,text\n" + b"likert,q\n" * (MAX_FILE_BYTES // 8), "at most 1,000,000"),
])
def test_empty_headerless_binary_and_huge_files_are_refused(data, message):
    with pytest.raises(QuestionFileError, match=message):
        read_questions(data)
