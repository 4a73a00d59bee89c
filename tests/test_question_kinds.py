"""The six kinds of question: what a valid question and a valid answer are, and how answers are stored."""

from __future__ import annotations

import math

import pytest

from consult.questions.kinds import (
    AGREE_SCALE,
    AnswerError,
    answer_text,
    decode_answer,
    encode_answer,
    make_spec,
)


def test_kinds_are_known_by_their_form_tool_names_too():
    assert make_spec("Likert", "Tax powers?").kind == "agree_scale"
    assert make_spec("checkbox", "Which?", "A|B").kind == "multiple"
    assert make_spec("radio", "Which?", ["A", "B"]).kind == "single"
    assert make_spec("rank", "Order these", "A;B;C").options == ("A", "B", "C")
    with pytest.raises(AnswerError, match="not a kind of question"):
        make_spec("slider", "How much?")


@pytest.mark.parametrize(("kind", "text", "options", "message"), [
    ("single", "", "A|B", "needs its text"),
    ("single", "Which?", "A", "at least two options"),
    ("single", "Which?", "A|a", "same text"),
    ("multiple", "Which?", "|".join(f"o{i}" for i in range(21)), "at most 20 options"),
    ("agree_scale", "x" * 1001, "", "at most 1,000 characters"),
])
def test_bad_questions_are_refused_with_the_reason(kind, text, options, message):
    with pytest.raises(AnswerError, match=message):
        make_spec(kind, text, options)


def test_a_number_range_must_be_ordered_and_finite():
    with pytest.raises(AnswerError, match="above the smallest"):
        make_spec("number", "How many?", min_value=5, max_value=5)
    with pytest.raises(AnswerError, match="ordinary numbers"):
        make_spec("number", "How many?", min_value=-math.inf)
    assert make_spec("number", "How many?", "ignored|options", 0, 100).options == ()


def test_each_kind_encodes_decodes_and_reads_back_in_words():
    scale = make_spec("agree_scale", "Should assemblies raise taxes?")
    assert encode_answer(scale, 5) == "5" and answer_text(scale, "5") == AGREE_SCALE[4]
    single = make_spec("single", "Where?", "North|South|Wales")
    assert encode_answer(single, "2") == "2" and answer_text(single, "2") == "Wales"
    multiple = make_spec("multiple", "Which powers?", "Tax|Transport|Housing")
    assert encode_answer(multiple, [2, 0]) == "0,2" and decode_answer(multiple, "0,2") == [0, 2]
    assert answer_text(multiple, "0,2") == "Tax; Housing"
    ranking = make_spec("ranking", "Rank", "Tax|Transport|Housing")
    assert encode_answer(ranking, [2, 0]) == "2,0"  # order kept; a partial ranking is allowed
    assert answer_text(ranking, "2,0") == "Housing > Tax"
    number = make_spec("number", "Budget (£m)?", min_value=0, max_value=1000)
    assert encode_answer(number, "1,000") == "1000" and encode_answer(number, 2.5) == "2.5"
    text = make_spec("free_text", "One word for your region")
    assert encode_answer(text, "  Proud\u200b  ") == "Proud"


@pytest.mark.parametrize(("kind", "options", "answer", "message"), [
    ("agree_scale", "", 0, "one point on the scale"),
    ("agree_scale", "", 6, "options shown"),
    ("agree_scale", "", [4, 5], "one point on the scale"),
    ("single", "A|B", 2, "options shown"),
    ("single", "A|B", "x", "options shown"),
    ("single", "A|B", [0, 1], "Choose one option"),
    ("multiple", "A|B", [], "Give an answer"),
    ("ranking", "A|B|C", [0, 0], "only once"),
    ("number", "", "twelve", "in figures"),
    ("number", "", "nan", "ordinary number"),
    ("number", "", -1, "smallest answer allowed is 0"),
    ("free_text", "", "   ", "Write an answer"),
    ("free_text", "", "x" * 501, "at most 500"),
    ("single", "A|B", None, "Give an answer"),
])
def test_bad_answers_are_refused_with_a_reason_a_member_understands(kind, options, answer, message):
    spec = make_spec(kind, "Q?", options, 0 if kind == "number" else None, 10 if kind == "number" else None)
    with pytest.raises(AnswerError, match=message):
        encode_answer(spec, answer)
