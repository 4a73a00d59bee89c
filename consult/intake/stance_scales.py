"""Reading agree / disagree answers of any common shape into a stance: agree (1), disagree (-1) or neutral (0).

Form tools export the same question many ways: words ("Strongly agree", "Tend to disagree"), a number on a
scale ("4", "5 - strongly", 1-7, 0-10), or votes (-1 / 0 / 1). The scale of a numeric column is read from the
column as a whole (a column of 1-5 answers is a five-point scale whose middle is 3), so one answer is never
judged alone. `answer_mapping` gives the reading of every distinct answer as a table the officer can check and
edit before anything is imported; an answer that cannot be read maps to None and is reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

STANCE_NAMES = {1: "agree", -1: "disagree", 0: "neutral"}
UNREADABLE = "cannot be read"

# checked in this order: "neither agree nor disagree" holds "agree", "disagree" does not hold the word "agree"
_NEUTRAL = re.compile(r"\b(neither|neutral|undecided|unsure|not sure|don'?t know|do not know|no opinion|"
                      r"no view|mixed|pass|indifferent)\b")
_DISAGREE = re.compile(r"\b(disagree|disagrees|oppose|opposed|against|no|nope|reject|disapprove)\b")
_AGREE = re.compile(r"\b(agree|agrees|support|supportive|in favour|in favor|for|yes|yeah|approve)\b")
_LEADING_NUMBER = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)(?!\s*[/:]\s*\d)(?:\b|$)")
#: the common numeric scales, smallest first: an answer of 6 means a seven-point scale, not a ten-point one
_SCALE_TOPS = (5, 7, 10)


@dataclass(frozen=True)
class Scale:
    """A numeric answer scale: `low` to `high`, the middle neutral (votes are the scale -1 to 1)."""

    low: int
    high: int

    @property
    def middle(self) -> float:
        return (self.low + self.high) / 2

    def describe(self) -> str:
        if (self.low, self.high) == (-1, 1):
            return "votes: 1 agree, -1 disagree, 0 neutral"
        return f"a {self.low}-{self.high} scale: above {self.middle:g} agree, below disagree, {self.middle:g} neutral" \
            if self.middle == int(self.middle) else \
            f"a {self.low}-{self.high} scale: above {self.middle:g} agree, below disagree (no middle answer)"


def _clean(answer: object) -> str:
    if answer is None or (isinstance(answer, float) and answer != answer):
        return ""
    return re.sub(r"\s+", " ", str(answer)).strip()


def _number(answer: str) -> float | None:
    match = _LEADING_NUMBER.match(answer)
    return float(match.group(1)) if match else None


def _words(answer: str) -> int | None:
    lowered = answer.lower().replace("’", "'")
    for pattern, stance in ((_NEUTRAL, 0), (_DISAGREE, -1), (_AGREE, 1)):
        if pattern.search(lowered):
            return stance
    return None


def infer_scale(answers: Iterable[object]) -> Scale | None:
    """The numeric scale the answers use, or None when none of them is a number."""
    numbers = [n for n in (_number(_clean(a)) for a in answers) if n is not None]
    if not numbers:
        return None
    low, high = min(numbers), max(numbers)
    if low < 0 or set(numbers) <= {0.0, 1.0} and low == 0:
        return Scale(-1, 1)
    top = next((t for t in _SCALE_TOPS if high <= t), None)
    if top is None:
        return None  # numbers beyond 0-10 are not an agreement scale
    return Scale(0 if low == 0 else 1, top)


def read_answer(answer: object, scale: Scale | None) -> int | None:
    """The stance of one answer (words first, then its number on `scale`); None when it cannot be read.

    A blank answer is also None: callers tell the two apart with `_clean(answer) == ""`."""
    text = _clean(answer)
    if not text or text.startswith(("=", "+=", "-=", "@")) and _number(text) is None:
        return None  # empty, or a spreadsheet formula: nothing a member said
    stance = _words(text)
    if stance is not None:
        return stance
    number = _number(text)
    if number is None or scale is None or not scale.low <= number <= scale.high:
        return None
    if number > scale.middle:
        return 1
    return -1 if number < scale.middle else 0


def answer_mapping(answers: pd.Series) -> tuple[pd.DataFrame, Scale | None]:
    """Every distinct non-blank answer with how often it occurs and its reading (`stance`: 1, -1, 0 or None for
    unreadable; `reading`: agree, disagree, neutral or "cannot be read"), most frequent first; and the scale."""
    cleaned = answers.map(_clean)
    cleaned = cleaned[cleaned != ""]
    scale = infer_scale(cleaned.unique())
    counts = cleaned.value_counts(sort=False)
    frame = pd.DataFrame({"answer": counts.index.astype(str), "count": counts.to_numpy()})
    frame["stance"] = pd.array([read_answer(a, scale) for a in frame["answer"]], dtype="Int64")
    frame["reading"] = [UNREADABLE if pd.isna(s) else STANCE_NAMES[int(s)] for s in frame["stance"]]
    frame = frame.sort_values(["count", "answer"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return frame, scale


def mapping_from_table(table: pd.DataFrame) -> dict[str, int | None]:
    """An answer -> stance dictionary from an (edited) mapping table: `reading` wins, as that is the column an
    officer edits."""
    by_name = {name: stance for stance, name in STANCE_NAMES.items()}
    return {str(row.answer): by_name.get(str(row.reading).strip().lower()) for row in table.itertuples()}


def clean_answer(answer: object) -> str:
    """An answer as the mapping table keys it (spaces collapsed, trimmed)."""
    return _clean(answer)
