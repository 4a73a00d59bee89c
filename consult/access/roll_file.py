"""Reading a membership roll (CSV/XLSX) into what verification needs, and normalising what a member types.

Only keyed hashes of the membership number and the verifier leave this module (`keys.keyed_hash` with the
server secret): the raw postcode or date of birth is never stored. A number and a verifier are normalised the
same way on load and at join, so "ne1 4st" matches "NE1 4ST" and "01/02/1980" matches "1980-02-01".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from consult import keys, regions
from consult.text.cleaning import clean_text

VERIFIER_KINDS = {"postcode": "Postcode", "date_of_birth": "Date of birth", "other": "Verifier"}
NUMBER_PURPOSE, VERIFIER_PURPOSE = "member-number", "member-verifier"


_NOT_NUMBER = r"[^0-9A-Z]"


def normalise_number(raw: object) -> str:
    """A membership number as typed: spaces, dashes and dots dropped, letters upper case."""
    return _numbers(pd.Series([str(raw or "")])).iloc[0]


def _numbers(raw: pd.Series) -> pd.Series:
    return raw.astype(str).str.upper().str.replace(_NOT_NUMBER, "", regex=True)


def normalise_verifier(raw: object, kind: str) -> str:
    """A postcode without spaces in upper case; a date as YYYY-MM-DD (day first, as written in the UK); any
    other verifier in lower case with single spaces. Empty when it cannot be read."""
    return _verifiers(pd.Series([str(raw or "")]), kind).iloc[0]


def _verifiers(raw: pd.Series, kind: str) -> pd.Series:
    """Vectorised: postcodes keep letters and digits in upper case, dates become YYYY-MM-DD, anything else is
    folded to lower case with single spaces."""
    text = raw.astype(str)
    if kind == "postcode":
        return text.str.upper().str.replace(_NOT_NUMBER, "", regex=True)
    if kind == "date_of_birth":
        return _dates(text)
    return text.map(lambda value: " ".join(clean_text(value).casefold().split()))


def number_hash(raw: object) -> str:
    return keys.keyed_hash(NUMBER_PURPOSE, normalise_number(raw))



def verifier_hash(number_digest: str, raw: object, kind: str) -> str:
    """Bound to the member's number hash, so two members with the same postcode have different hashes."""
    return keys.keyed_hash(VERIFIER_PURPOSE, number_digest, normalise_verifier(raw, kind))


@dataclass
class RollFile:
    """The roll's rows ready to store (number_hash, verifier_hash, region, local_party, branch) and a report."""

    rows: pd.DataFrame
    lines: int
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, reason); the header is line 1

    def by_region(self) -> pd.Series:
        return self.rows["region"].value_counts().reindex(regions.answer_codes(), fill_value=0)


def read_roll(frame: pd.DataFrame, *, number_col: str, verifier_col: str, region_col: str,
              verifier_kind: str = "postcode", local_party_col: str | None = None,
              branch_col: str | None = None) -> RollFile:
    """Validate a roll: every row needs a number, a readable verifier and a region; a repeated membership number
    keeps its first row. Vectorised, as a roll has hundreds of thousands of rows."""
    if verifier_kind not in VERIFIER_KINDS:
        raise ValueError(f"The verifier is one of {', '.join(VERIFIER_KINDS)}.")
    for role, column in (("membership number", number_col), ("verifier", verifier_col), ("region", region_col),
                         ("local party", local_party_col), ("branch", branch_col)):
        if column is not None and column not in frame.columns:
            raise ValueError(f"There is no {role} column {column!r}; the columns are: "
                             f"{', '.join(map(repr, map(str, frame.columns)))}.")
    lines = pd.Series(range(2, len(frame) + 2), index=frame.index)
    numbers = _numbers(frame[number_col].fillna(""))
    verifiers = _verifiers(frame[verifier_col].fillna(""), verifier_kind)
    raw_regions = frame[region_col].fillna("").astype(str).str.strip()
    spellings = {raw: regions.match_region(raw) for raw in raw_regions.unique()}
    region = raw_regions.map(spellings)
    problems = pd.Series("", index=frame.index)
    problems = problems.mask(region.isna(), "region " + raw_regions.str.slice(0, 40).map(repr) + " not recognised")
    problems = problems.mask(verifiers == "", f"no readable {VERIFIER_KINDS[verifier_kind].lower()}")
    problems = problems.mask(numbers == "", "no membership number")
    repeated = numbers.duplicated() & (numbers != "")
    first_line = lines.groupby(numbers).transform("min")
    problems = problems.mask(repeated & (problems == ""), "membership number repeated (first on line "
                             + first_line.astype(str) + ")")
    good = problems == ""
    hash_number, hash_verifier = keys.keyed_hasher(NUMBER_PURPOSE), keys.keyed_hasher(VERIFIER_PURPOSE)
    digests = [hash_number(n) for n in numbers[good]]
    rows = pd.DataFrame({
        "number_hash": digests,
        "verifier_hash": [hash_verifier(d, v) for d, v in zip(digests, verifiers[good], strict=True)],
        "region": region[good],
        "local_party": _optional(frame, local_party_col, good),
        "branch": _optional(frame, branch_col, good),
    })
    rejected = list(zip(lines[~good].tolist(), problems[~good].tolist(), strict=True))
    return RollFile(rows.reset_index(drop=True), len(frame), rejected)


def _dates(raw: pd.Series) -> pd.Series:
    """Dates as YYYY-MM-DD: ISO dates as written, anything else day first (01/02/1980 is 1 February)."""
    text = raw.astype(str).str.strip()
    iso = text.str.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}")
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if iso.any():
        parsed[iso] = pd.to_datetime(text[iso], format="%Y-%m-%d", errors="coerce")
    if (~iso).any():
        parsed[~iso] = pd.to_datetime(text[~iso], dayfirst=True, errors="coerce", format="mixed")
    return parsed.dt.strftime("%Y-%m-%d").fillna("")


def _optional(frame: pd.DataFrame, column: str | None, keep: pd.Series) -> pd.Series | None:
    if column is None:
        return None
    raw = frame.loc[keep, column].fillna("").astype(str)
    tidy = {value: clean_text(value)[:120] or None for value in raw.unique()}  # local parties repeat a lot
    return raw.map(tidy).astype(object)


def guess_columns(columns: list[str]) -> dict[str, str | None]:
    """Which column is probably which, from the headers (the officer confirms): number, verifier, region,
    local_party."""
    def first(*words: str) -> str | None:
        for column in columns:
            folded = str(column).casefold()
            if any(word in folded for word in words):
                return column
        return None

    return {"number": first("member", "number", "id"), "verifier": first("postcode", "post code", "birth", "dob"),
            "region": first("region", "nation"), "local_party": first("local party", "constituency", "clp")}
