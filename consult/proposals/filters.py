"""Filtering the officers' proposal table, and turning chart clicks into filters."""

from __future__ import annotations

import pandas as pd


def selected_cell(points: list[dict]) -> tuple[int, str] | None:
    """The (theme, region) a click on the theme-by-region grid chose, from Streamlit's selection points."""
    for point in points or []:
        custom = point.get("customdata")
        if custom and len(custom) >= 2:
            return int(custom[0]), str(custom[1])
    return None


def filter_proposals(table: pd.DataFrame, *, regions: list[str] | None = None, themes: list[int] | None = None,
                     tiers: list[str] | None = None, statuses: list[str] | None = None,
                     min_support: float | None = None, search: str = "") -> pd.DataFrame:
    """Rows of `table` (region, theme_id, tier, status, support, body) matching every filter given."""
    mask = pd.Series(True, index=table.index)
    if regions:
        mask &= table["region"].isin(regions)
    if themes:
        mask &= table["theme_id"].isin(themes)
    if tiers:
        mask &= table["tier"].isin(tiers)
    if statuses:
        mask &= table["status"].isin(statuses)
    if min_support is not None and min_support > 0:
        mask &= table["support"].fillna(0) >= min_support
    terms = [t for t in search.lower().split() if t]
    if terms:
        lowered = table["body"].str.lower()
        for term in terms:
            mask &= lowered.str.contains(term, regex=False)
    return table[mask]
