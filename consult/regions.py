"""The UK's 12 ITL1 regions and nations, their population baseline, and officer-supplied baselines."""

from __future__ import annotations

import io
import re
import unicodedata
from functools import cache
from pathlib import Path

import pandas as pd

from consult.text.encoding import decode

REGIONS_CSV = Path(__file__).resolve().parents[1] / "data" / "regions.csv"

OUTSIDE_UK = "OUTSIDE"
UNDISCLOSED = "UNDISCLOSED"
#: Answers a member may give that are not one of the 12 regions; they have no baseline.
OTHER_ANSWERS = {OUTSIDE_UK: "Outside the UK", UNDISCLOSED: "Prefer not to say"}


@cache
def _regions() -> pd.DataFrame:
    frame = pd.read_csv(REGIONS_CSV, dtype={"code": str})
    frame["population"] = frame["population"].astype("int64")
    return frame


def regions() -> pd.DataFrame:
    """The 12 regions: code, name, short, nation, population, grid_x, grid_y (a copy, safe to change)."""
    return _regions().copy()


@cache
def _codes() -> tuple[str, ...]:
    return tuple(_regions()["code"])


def region_codes() -> list[str]:
    """The 12 codes in the file's order (a new list each call, safe to change; read on every page run)."""
    return list(_codes())


def answer_codes() -> list[str]:
    """Every region answer a member can give: the 12 regions, then outside the UK and prefer not to say."""
    return region_codes() + list(OTHER_ANSWERS)


@cache
def _names() -> dict[str, str]:
    return dict(zip(_regions()["code"], _regions()["name"], strict=True)) | OTHER_ANSWERS


def region_name(code: str) -> str:
    return _names().get(code, code)


def region_in_sentence(code: str, *, starts: bool = False) -> str:
    """The region as a sentence names it: "the North East", "the East of England", but "London", "Wales",
    "Yorkshire and The Humber" (names that open on a compass point take "the"); `starts`: capitalised."""
    name = region_name(code)
    phrase = f"the {name}" if name.split(" ", 1)[0] in {"North", "South", "East", "West"} else name
    return phrase[:1].upper() + phrase[1:] if starts else phrase


def region_names() -> dict[str, str]:
    """code -> display name for every answer a member can give (a copy; map a Series with it)."""
    return dict(_names())


def _spelling_key(text: str) -> str:
    """Lower case, '&' as 'and', accents and punctuation dropped, spaces tidied, a leading 'the' dropped."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()
    folded = re.sub(r"[^a-z0-9]+", " ", folded.replace("&", " and ")).strip()
    folded = re.sub(r"^the ", "", folded)
    return re.sub(r" (region|of england)$", "", folded)


# spellings other tools and members use, beyond the codes, names and short labels in data/regions.csv
_ALIASES = {
    "E12000001": ["north east england", "n east", "ne england", "n e"],
    "E12000002": ["north west england", "n west", "nw england", "n w"],
    "E12000003": ["yorkshire", "yorkshire and humber", "yorkshire humber", "yorks", "yorks and humber",
                  "yorkshire and humberside", "humberside"],
    "E12000004": ["east mids", "e midlands", "e mids"],
    "E12000005": ["west mids", "w midlands", "w mids"],
    "E12000006": ["east", "east anglia", "eastern", "east of england region"],
    "E12000007": ["greater london", "london region", "ldn"],
    "E12000008": ["south east england", "s east", "se england", "s e"],
    "E12000009": ["south west england", "s west", "sw england", "s w"],
    "W92000004": ["cymru", "wales cymru", "cymru wales", "wal"],
    "S92000003": ["alba", "scot", "scotland alba", "alba scotland"],
    "N92000002": ["ni", "n ireland", "n i", "norn iron", "tuaisceart eireann", "northern ireland ni", "ulster"],
    OUTSIDE_UK: ["outside the uk", "outside uk", "abroad", "overseas", "non uk"],
    UNDISCLOSED: ["prefer not to say", "not given", "unknown", "none", "n a", "na", "england", "uk"],
}


@cache
def _spellings() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for row in _regions().itertuples():
        for spelling in (row.code, row.name, row.short):
            lookup[_spelling_key(spelling)] = row.code
    for code, name in OTHER_ANSWERS.items():
        lookup[_spelling_key(code)] = lookup[_spelling_key(name)] = code
    for code, spellings in _ALIASES.items():
        for spelling in spellings:
            lookup.setdefault(_spelling_key(spelling), code)
    return lookup


def match_region(text: object) -> str | None:
    """The region code for a spelling as people write it ("Yorkshire & Humber", "N. Ireland", "Cymru", "ldn",
    "e12000007"), or None when it cannot be told (a blank is None too)."""
    if text is None or (isinstance(text, float) and text != text):
        return None
    key = _spelling_key(text)
    return _spellings().get(key) if key else None


def population_baseline() -> pd.Series:
    """Population by region code (the default baseline)."""
    frame = _regions()
    return pd.Series(frame["population"].to_numpy(), index=frame["code"], name="population")


class BaselineError(ValueError):
    """A baseline file that cannot be used, with a message fit to show the officer."""


def parse_baseline_csv(data: bytes | str) -> pd.Series:
    """Read an officer's baseline (for example membership per region) from CSV.

    The file needs a region column (ONS code, name or short label) and a count column. Every one of the
    12 regions must appear once with a non-negative count, and at least one count must be positive.
    """
    text = decode(data)[0] if isinstance(data, bytes) else data
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise BaselineError(f"The baseline file is not a readable CSV: {exc}") from exc
    if frame.shape[1] < 2:
        raise BaselineError("The baseline file needs two columns: region and count.")
    region_col, count_col = frame.columns[0], frame.columns[1]
    lookup = {}
    for row in _regions().itertuples():
        for key in (row.code, row.name, row.short):
            lookup[str(key).strip().lower()] = row.code
    codes, counts, problems = [], [], []
    for line_no, (region, count) in enumerate(zip(frame[region_col], frame[count_col], strict=True), start=2):
        code = lookup.get(str(region).strip().lower())
        if code is None:
            problems.append(f"line {line_no}: unknown region {str(region)[:40]!r}")
            continue
        try:
            value = float(str(count).replace(",", ""))
        except ValueError:
            problems.append(f"line {line_no}: count {str(count)[:20]!r} is not a number")
            continue
        if value < 0 or value != value:
            problems.append(f"line {line_no}: count must be zero or more")
            continue
        codes.append(code)
        counts.append(value)
    if problems:
        raise BaselineError("The baseline file has problems: " + "; ".join(problems[:10]))
    series = pd.Series(counts, index=codes, dtype="float64")
    if series.index.duplicated().any():
        dupes = sorted(set(series.index[series.index.duplicated()]))
        raise BaselineError("Regions listed more than once: " + ", ".join(region_name(c) for c in dupes))
    missing = [c for c in region_codes() if c not in series.index]
    if missing:
        raise BaselineError("Regions missing from the baseline: " + ", ".join(region_name(c) for c in missing))
    if series.sum() <= 0:
        raise BaselineError("The baseline counts add up to zero.")
    return series.reindex(region_codes())
