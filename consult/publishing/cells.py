"""Making every text cell that leaves the system inert in a spreadsheet (CSV and formula injection)."""

from __future__ import annotations

import pandas as pd

# OWASP's list (=, +, -, @, tab, carriage return) and a line feed, which some spreadsheet imports also trim
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; other values pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell made inert, and every header (a user's own file brings its column names, which
    `consult themes --out` writes back); numbers stay numbers."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell)
    out.columns = [neutralise_cell(column) for column in out.columns]
    return out
