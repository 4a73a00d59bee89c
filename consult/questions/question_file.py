"""The officers' question file: a CSV with a row per question (`consult questions load`, the Questions page).

Columns (header names in any case; `kind` may also be headed `type`, `text` may be `question`):
- `kind`: agree_scale, single, multiple, ranking, number or free_text (also: likert, radio, checkbox, rank, text);
- `text`: the question as members read it;
- `options`: for the choice kinds, the options separated by `|` (or `;`);
- `min`, `max` (optional): the range of a number question.
Every problem is reported with its line number, and nothing is loaded from a file that has one.
"""

from __future__ import annotations

import csv
import io

from consult.questions.kinds import AnswerError, QuestionSpec, make_spec

MAX_FILE_BYTES = 1_000_000
MAX_QUESTIONS = 200
_HEADERS = {"kind": "kind", "type": "kind", "text": "text", "question": "text", "options": "options",
            "choices": "options", "min": "min", "max": "max"}


class QuestionFileError(ValueError):
    """A question file that cannot be loaded; `problems` lists each with its line number."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise QuestionFileError(["the file is not text (save it as CSV, UTF-8)"])


def _number(value: str, line: int, what: str, problems: list[str]) -> float | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        problems.append(f"line {line}: the {what} {value!r} is not a number")
        return None


def read_questions(data: bytes | str) -> list[QuestionSpec]:
    """The questions in a CSV file, checked; QuestionFileError (every problem, with line numbers) otherwise."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise QuestionFileError([f"the file is {len(data):,} bytes; a question file is at most "
                                     f"{MAX_FILE_BYTES:,}"])
        data = _decode(data)
    if not data.strip():
        raise QuestionFileError(["the file is empty"])
    reader = csv.reader(io.StringIO(data))
    header = [_HEADERS.get(name.strip().lower()) for name in next(reader)]
    missing = [name for name in ("kind", "text") if name not in header]
    if missing:
        raise QuestionFileError([f"line 1: the header needs a {' and a '.join(missing)} column "
                                 "(kind, text, options, min, max)"])
    specs: list[QuestionSpec] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: value for name, value in zip(header, row, strict=False) if name}
        low = _number(cells.get("min", ""), line, "smallest number", problems)
        high = _number(cells.get("max", ""), line, "largest number", problems)
        try:
            spec = make_spec(cells.get("kind", ""), cells.get("text", ""), cells.get("options", ""), low, high)
        except AnswerError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        key = spec.text.casefold()
        if key in seen:
            problems.append(f"line {line}: the same question as line {seen[key]}")
            continue
        seen[key] = line
        specs.append(spec)
    if not specs and not problems:
        problems.append("the file has a header but no questions")
    if len(specs) > MAX_QUESTIONS:
        problems.append(f"the file has {len(specs)} questions; at most {MAX_QUESTIONS} can be loaded at once")
    if problems:
        raise QuestionFileError(problems)
    return specs
