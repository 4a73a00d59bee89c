"""When each response was made, from a form's timestamp column (Google Forms, Microsoft Forms, Typeform, a
spreadsheet's date column).

Dates are read day first, as UK forms write them (15/03/2024), year-first dates as year, month, day
(2024/03/15), falling back to month first only where day first is
impossible (3/15/24). A time with a zone (Z, +01:00, GMT, BST, UTC) is taken as given; one without is UK wall time
(Europe/London, so summer times are BST). A time that cannot be read, or lies in the future or before 2000, is
left unread: the row is still imported, at the time of the import, and listed.
"""

from __future__ import annotations

import re

import pandas as pd

from consult.storage.records import now_ms

UK_ZONE = "Europe/London"
EARLIEST = pd.Timestamp("2000-01-01", tz="UTC")
_TIME_HEADER = re.compile(r"time\s*stamp|submitted|submission|completion|completed|created|start time|date",
                          re.IGNORECASE)
_ZONE_WORDS = {"GMT": "+00:00", "UTC": "+00:00", "BST": "+01:00"}
_ZONE_WORD = re.compile(r"\s*\b(GMT|UTC|BST)\b\s*$", re.IGNORECASE)
_HAS_ZONE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def is_time_header(header: object) -> bool:
    return bool(_TIME_HEADER.search(str(header)))


def read_times(values: pd.Series) -> pd.Series:
    """Milliseconds since the epoch (UTC) for each value, or <NA> where it cannot be read (Int64, same index)."""
    text = values.astype("string").fillna("").str.strip()
    text = text.str.replace(_ZONE_WORD, lambda match: _ZONE_WORDS[match.group(1).upper()], regex=True)
    zoned = text.str.contains(_HAS_ZONE, regex=True)
    # dayfirst also swaps year-first dates (2026/11/12 would be 11 December), so those are read year, month, day
    year_first = text.str.match(r"^\d{4}\D")
    filled = text.where(text != "")
    parsed = pd.to_datetime(filled.where(~year_first), format="mixed", dayfirst=True, errors="coerce", utc=True)
    parsed = parsed.where(~year_first, pd.to_datetime(filled.where(year_first), format="mixed", errors="coerce",
                                                      utc=True))
    wall = parsed.dt.tz_localize(None)
    local = wall.dt.tz_localize(UK_ZONE, ambiguous="NaT", nonexistent="shift_forward").dt.tz_convert("UTC")
    moments = parsed.where(zoned, local)
    now = pd.Timestamp(now_ms(), unit="ms", tz="UTC")
    moments = moments.where((moments >= EARLIEST) & (moments <= now))
    utc_wall = moments.dt.tz_convert(None).dt.as_unit("ms").to_numpy().astype("int64")  # NaT: masked below
    return pd.Series(utc_wall, index=values.index, dtype="Int64").where(moments.notna())


def readable_share(values: pd.Series) -> float:
    """The share of the filled cells of `values` that read as a time (0 for an empty column)."""
    filled = values.astype("string").fillna("").str.strip()
    filled = filled[filled != ""]
    return float(read_times(filled).notna().mean()) if len(filled) else 0.0
