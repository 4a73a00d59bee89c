"""BLT ballot files: read and write.

The layout (as the Scottish councils, OpenSTV and eSTV use it): a first line `candidates seats`; optionally a line of
negative numbers naming withdrawn candidates; one line per ballot group `weight c1 c2 ... 0` (candidates numbered
from 1, most preferred first); a line `0`; one line per candidate name (quoted or not, `""` for a quote inside);
last, the election's title. Every problem is reported with its line number, so a file can be fixed by hand.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from consult.ballots.preferences import BallotFileError, PreferenceProfile, check


def _unquote(line: str) -> str:
    line = line.strip()
    if line.startswith('"'):
        # some files quote the name and the party separately: "Jo BLOGGS" "Independent"
        fields = next(csv.reader([line], delimiter=" ", quotechar='"', skipinitialspace=True))
        return " ".join(field for field in fields if field)
    return line


def _header(numbered: list[tuple[int, str]]) -> tuple[int, int, set[int], int]:
    """(candidates, seats, withdrawn candidates, the index of the first ballot line)."""
    number, header = numbered[0]
    try:
        candidate_count, seats = (int(part) for part in header.split())
    except ValueError:
        raise BallotFileError(f"line {number}: the first line must be two numbers, candidates and seats; "
                              f"found {header[:60]!r}") from None
    if candidate_count < 1:
        raise BallotFileError(f"line {number}: there must be at least one candidate")
    withdrawn: set[int] = set()
    if len(numbered) > 1 and numbered[1][1].startswith("-"):
        number, line = numbered[1]
        try:
            withdrawn = {-int(part) - 1 for part in line.split()}
        except ValueError:
            raise BallotFileError(f"line {number}: a withdrawn-candidates line holds negative numbers only") from None
        if any(not 0 <= c < candidate_count for c in withdrawn):
            raise BallotFileError(f"line {number}: a withdrawn candidate is not on the list of {candidate_count}")
        return candidate_count, seats, withdrawn, 2
    return candidate_count, seats, withdrawn, 1


def _ballot(number: int, line: str, candidate_count: int) -> tuple[int, list[int]]:
    """One ballot line as (weight, 0-based preferences)."""
    parts = line.split()
    if parts[0].startswith("("):  # an optional ballot id, e.g. "(a17) 1 3 2 0"
        parts = parts[1:]
    if "=" in line:
        raise BallotFileError(f"line {number}: equal rankings ('=') are not allowed in an STV ballot")
    try:
        values = [int(part) for part in parts]
    except ValueError:
        raise BallotFileError(f"line {number}: a ballot line holds whole numbers only; found {line[:60]!r}") from None
    if len(values) < 2 or values[-1] != 0:
        raise BallotFileError(f"line {number}: a ballot line is a weight, the preferences and a closing 0")
    weight, preferences = values[0], values[1:-1]
    if weight < 0:
        raise BallotFileError(f"line {number}: the weight {weight} is negative")
    for candidate in preferences:
        if not 1 <= candidate <= candidate_count:
            raise BallotFileError(f"line {number}: candidate {candidate} is not one of the {candidate_count}")
    if len(set(preferences)) != len(preferences):
        raise BallotFileError(f"line {number}: the same candidate is ranked twice")
    return weight, [c - 1 for c in preferences]


def parse(text: str) -> PreferenceProfile:
    """A profile from BLT text; raise BallotFileError with the line number on anything malformed."""
    numbered = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1)]
    numbered = [(n, line) for n, line in numbered if line and not line.startswith("#")]
    if not numbered:
        raise BallotFileError("the file is empty")
    candidate_count, seats, withdrawn, position = _header(numbered)
    rankings: list[list[int]] = []
    weights: list[int] = []
    while True:
        if position >= len(numbered):
            raise BallotFileError("the ballots never end: a line holding only 0 must follow the last ballot")
        number, line = numbered[position]
        position += 1
        if line == "0":
            break
        weight, preferences = _ballot(number, line, candidate_count)
        rankings.append(preferences)
        weights.append(weight)
    names = [_unquote(line) for _, line in numbered[position:position + candidate_count]]
    if len(names) < candidate_count:
        raise BallotFileError(f"the file names {len(names)} candidates but its first line says {candidate_count}")
    rest = numbered[position + candidate_count:]
    if len(rest) > 1:
        raise BallotFileError(f"line {rest[1][0]}: unexpected text after the title; the file names more "
                              f"candidates than its first line says ({candidate_count})?")
    width = max((len(r) for r in rankings), default=1) or 1
    matrix = np.full((len(rankings), width), -1, dtype=np.int16)
    for row, ranking in enumerate(rankings):
        matrix[row, : len(ranking)] = ranking
    profile = PreferenceProfile(tuple(names), seats, matrix, np.asarray(weights, dtype=np.int64),
                                frozenset(withdrawn), _unquote(rest[0][1]) if rest else "")
    check(profile)
    return profile


def read(path: str | Path) -> PreferenceProfile:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = Path(path).read_text(encoding="latin-1")
    return parse(text)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def dumps(profile: PreferenceProfile) -> str:
    """BLT text for a profile (names quoted, one line per ballot row)."""
    out = io.StringIO()
    out.write(f"{len(profile.candidates)} {profile.seats}\n")
    if profile.withdrawn:
        out.write(" ".join(str(-(c + 1)) for c in sorted(profile.withdrawn)) + "\n")
    for ranking, weight in zip(profile.rankings, profile.weights, strict=True):
        marks = " ".join(str(int(c) + 1) for c in ranking if c >= 0)
        out.write(f"{int(weight)} {marks} 0\n" if marks else f"{int(weight)} 0\n")
    out.write("0\n")
    for name in profile.candidates:
        out.write(_quote(name) + "\n")
    out.write(_quote(profile.title) + "\n")
    return out.getvalue()
