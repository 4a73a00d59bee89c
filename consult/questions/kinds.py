"""The six kinds of question and the one rule for what a valid answer to each is, and how it is stored.

An answer is stored as short text: agree scale "1".."5" (strongly disagree .. strongly agree); single choice the
option's position ("2"); multiple choice the chosen positions in order ("0,3"); ranking the positions from first
preference down ("2,0,1", a partial ranking allowed); a number in decimal; free text as written (cleaned).
Options are 0-based positions into the question's option list, so relabelling an option keeps its answers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from consult.text.cleaning import clean_text

KINDS = ("agree_scale", "single", "multiple", "ranking", "number", "free_text")
KIND_LABELS = {
    "agree_scale": "Agree scale (strongly disagree to strongly agree)",
    "single": "Single choice",
    "multiple": "Multiple choice",
    "ranking": "Ranking",
    "number": "A number",
    "free_text": "Free text",
}
# what a question file may call each kind (Citizen Space and form tools' words as well as ours)
KIND_NAMES = {
    "agree_scale": "agree_scale", "agree": "agree_scale", "likert": "agree_scale", "scale": "agree_scale",
    "single": "single", "single_choice": "single", "radio": "single", "choice": "single",
    "multiple": "multiple", "multiple_choice": "multiple", "checkbox": "multiple", "checkboxes": "multiple",
    "ranking": "ranking", "rank": "ranking",
    "number": "number", "numeric": "number",
    "free_text": "free_text", "text": "free_text", "open": "free_text", "free": "free_text",
}
AGREE_SCALE = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
AGREEING = (4, 5)  # the scale points counted as "agreeing"
CHOICE_KINDS = ("single", "multiple", "ranking")
MAX_OPTIONS = 20
MAX_OPTION_CHARS = 200
MAX_QUESTION_CHARS = 1000
MAX_FREE_TEXT_CHARS = 500


class AnswerError(ValueError):
    """An answer (or a question) that cannot be accepted, with the reason in words a member understands."""


@dataclass(frozen=True)
class QuestionSpec:
    """What defines a question, before it is stored: kind, text, options (choice kinds), range (numbers)."""

    kind: str
    text: str
    options: tuple[str, ...] = ()
    min_value: float | None = None
    max_value: float | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """The answer labels shown and counted: the scale's points, or the options."""
        return AGREE_SCALE if self.kind == "agree_scale" else self.options


def make_spec(kind: str, text: str, options: Sequence[str] | str = (), min_value: float | None = None,
              max_value: float | None = None) -> QuestionSpec:
    """A checked question: the kind by any of its names, text 1-1,000 characters, 2-20 distinct options for the
    choice kinds (none for the others), a range with max above min for numbers."""
    name = KIND_NAMES.get(str(kind).strip().lower().replace(" ", "_").replace("-", "_"))
    if name is None:
        raise AnswerError(f"{kind!r} is not a kind of question; use one of: {', '.join(KINDS)}.")
    text = clean_text(str(text or ""))
    if not text:
        raise AnswerError("A question needs its text.")
    if len(text) > MAX_QUESTION_CHARS:
        raise AnswerError(f"A question is at most {MAX_QUESTION_CHARS:,} characters; this one is {len(text):,}.")
    if isinstance(options, str):
        options = options.replace("|", "\n").replace(";", "\n").splitlines()
    cleaned = tuple(clean_text(str(option)) for option in options if clean_text(str(option)))
    if name in CHOICE_KINDS:
        if len(cleaned) < 2:
            raise AnswerError(f"A {KIND_LABELS[name].lower()} question needs at least two options.")
        if len(cleaned) > MAX_OPTIONS:
            raise AnswerError(f"A question has at most {MAX_OPTIONS} options; this one has {len(cleaned)}.")
        if len({option.casefold() for option in cleaned}) != len(cleaned):
            raise AnswerError("Two options have the same text; members could not tell them apart.")
        if any(len(option) > MAX_OPTION_CHARS for option in cleaned):
            raise AnswerError(f"An option is at most {MAX_OPTION_CHARS} characters.")
    else:
        cleaned = ()
    if name == "number":
        for value in (min_value, max_value):
            if value is not None and not math.isfinite(value):
                raise AnswerError("The smallest and largest numbers must be ordinary numbers.")
        if min_value is not None and max_value is not None and max_value <= min_value:
            raise AnswerError("The largest number allowed must be above the smallest.")
    else:
        min_value = max_value = None
    return QuestionSpec(name, text, cleaned, min_value, max_value)


def _positions(value: object, count: int) -> list[int]:
    items = value.split(",") if isinstance(value, str) else list(value) if isinstance(value, (list, tuple)) else [value]
    try:
        positions = [int(str(item).strip()) for item in items if str(item).strip() != ""]
    except ValueError:
        raise AnswerError("Choose from the options shown.") from None
    if any(not 0 <= position < count for position in positions):
        raise AnswerError("Choose from the options shown.")
    if len(set(positions)) != len(positions):
        raise AnswerError("Each option can be chosen (or ranked) only once.")
    return positions


def encode_answer(spec: QuestionSpec, value: object) -> str:
    """The stored text of a valid answer, or AnswerError saying what is wrong with it."""
    if value is None or (isinstance(value, (str, list, tuple)) and len(value) == 0):
        raise AnswerError("Give an answer first.")
    if spec.kind == "agree_scale":
        positions = _positions(value, len(AGREE_SCALE) + 1)
        if len(positions) != 1 or positions[0] == 0:
            raise AnswerError("Choose one point on the scale.")
        return str(positions[0])
    if spec.kind == "single":
        positions = _positions(value, len(spec.options))
        if len(positions) != 1:
            raise AnswerError("Choose one option.")
        return str(positions[0])
    if spec.kind in ("multiple", "ranking"):
        positions = _positions(value, len(spec.options))
        if not positions:
            raise AnswerError("Choose at least one option." if spec.kind == "multiple" else "Rank at least one option.")
        return ",".join(str(p) for p in (sorted(positions) if spec.kind == "multiple" else positions))
    if spec.kind == "number":
        try:
            number = float(str(value).strip().replace(",", ""))
        except ValueError:
            raise AnswerError("Give a number, in figures (for example 12 or 3.5).") from None
        if not math.isfinite(number):
            raise AnswerError("Give an ordinary number.")
        if spec.min_value is not None and number < spec.min_value:
            raise AnswerError(f"The smallest answer allowed is {spec.min_value:g}.")
        if spec.max_value is not None and number > spec.max_value:
            raise AnswerError(f"The largest answer allowed is {spec.max_value:g}.")
        return repr(number) if not number.is_integer() else str(int(number))
    text = clean_text(str(value))
    if not text:
        raise AnswerError("Write an answer first.")
    if len(text) > MAX_FREE_TEXT_CHARS:
        raise AnswerError(f"An answer is at most {MAX_FREE_TEXT_CHARS} characters; yours is {len(text):,}.")
    return text


def decode_answer(spec: QuestionSpec, stored: str) -> object:
    """The Python value of a stored answer: an int (scale point or option), a list of ints, a float or text."""
    if spec.kind in ("agree_scale", "single"):
        return int(stored)
    if spec.kind in ("multiple", "ranking"):
        return [int(part) for part in stored.split(",") if part]
    if spec.kind == "number":
        return float(stored)
    return stored


def answer_text(spec: QuestionSpec, stored: str) -> str:
    """A stored answer in words, for exports and for showing a member their answer."""
    value = decode_answer(spec, stored)
    if spec.kind == "agree_scale":
        return AGREE_SCALE[int(value) - 1]
    if spec.kind == "single":
        return spec.options[int(value)]
    if spec.kind == "multiple":
        return "; ".join(spec.options[p] for p in value)
    if spec.kind == "ranking":
        return " > ".join(spec.options[p] for p in value)
    if spec.kind == "number":
        return f"{value:g}"
    return str(value)
