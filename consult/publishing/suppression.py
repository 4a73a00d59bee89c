"""Small-cell suppression: no figure about fewer than the consultation's minimum of people leaves the system.

Two rules, applied to every regional breakdown that is published (pages, report, spreadsheets, CLI):
- primary: a count of 1 to minimum - 1 people is blanked (zero is shown: it describes nobody);
- secondary: when the total is published and exactly one cell is blanked, it could be worked out by
  subtraction, so the next smallest non-zero cell is blanked too.
Row-level exports replace small regions by one label (`SUPPRESSED_REGION`) instead, and add regions to it
until the label covers at least the minimum of people (`small_regions`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT_MIN_CELL = 10
SUPPRESSED_REGION = "Suppressed (a region with few participants)"


def suppressed_cells(counts: pd.Series, min_cell: int = DEFAULT_MIN_CELL, *, total_published: bool = True) -> pd.Series:
    """True for the cells of `counts` that must be blanked (primary and secondary suppression)."""
    counts = counts.fillna(0)
    hide = (counts > 0) & (counts < min_cell)
    if total_published and int(hide.sum()) == 1:
        candidates = counts[(counts > 0) & ~hide]
        if len(candidates):
            hide[candidates.idxmin()] = True
    return hide


def suppress_breakdown(frame: pd.DataFrame, by: str, count: str, also: tuple[str, ...] = (),
                       min_cell: int = DEFAULT_MIN_CELL) -> pd.DataFrame:
    """A long table of counts of people (e.g. proposal x region: `n` voters, `agree`) with the two rules applied
    within each value of `by` (each proposal's regional cells add up to its published national count). `count` is
    the number of people in the cell; the columns in `also` are counts of the same people and are blanked with it.
    Returns a copy with the blanked cells as <NA> and a boolean `suppressed` column."""
    out = frame.copy()
    hide = pd.Series(False, index=out.index)
    for _, cells in out.groupby(by, sort=False)[count]:
        hide.loc[cells.index] = suppressed_cells(cells.astype(float), min_cell).to_numpy()
    for column in (count, *also):
        out[column] = out[column].astype("Int64").mask(hide)
    out["suppressed"] = hide
    return out


def small_regions(people_by_region: pd.Series, min_cell: int = DEFAULT_MIN_CELL) -> set[str]:
    """Regions whose people must not be singled out in a row-level export.

    Every region with fewer than `min_cell` people, and then the next smallest regions until the people under
    the shared "suppressed" label number at least `min_cell` (else the label itself would name a small group).
    """
    counts = people_by_region[people_by_region > 0].sort_values(kind="stable")
    hidden = set(counts[counts < min_cell].index)
    group = int(counts[list(hidden)].sum())
    for region, n in counts.items():
        if not hidden or group >= min_cell:
            break
        if region not in hidden:
            hidden.add(region)
            group += int(n)
    return hidden


def suppress_region_column(frame: pd.DataFrame, column: str, small: set[str]) -> pd.DataFrame:
    """Replace the values of `column` that name a small region (by code or name) with a neutral label."""
    out = frame.copy()
    out[column] = out[column].where(~out[column].isin(small), SUPPRESSED_REGION)
    return out


def participation_table(table: pd.DataFrame, min_cell: int = DEFAULT_MIN_CELL) -> pd.DataFrame:
    """`support.representativeness` output with small regions blanked (count, share, interval, ratio).

    Adds `suppressed` (bool) so charts can say why a region shows no figure.
    """
    out = table.copy()
    counts = out["participants"].astype(float)
    hide = suppressed_cells(out.set_index("region")["participants"], min_cell).to_numpy()
    # Suppression hides counts, never the answer: a hidden region still gets the most its ratio could be, from
    # what is already public (fewer than `min_cell` for a small cell; for any hidden cell, no more than all the
    # hidden cells together, which is the total less the shown cells), so the most under-represented regions
    # are named even when they are the smallest ("at most 0.4 times its share").
    total = counts.sum()
    hidden_together = counts[hide].sum()
    bound = np.where(counts < min_cell, np.minimum(min_cell - 1, hidden_together), hidden_together)
    with np.errstate(divide="ignore", invalid="ignore"):
        at_most = np.where(hide & (out["baseline_share"] > 0) & (total > 0),
                           bound / max(total, 1) / out["baseline_share"].astype(float), np.nan)
    if "expected" in out:
        at_most = np.where(out["expected"].astype(float) >= _min_expected(), at_most, np.nan)
    for column in ("participants", "sample_share", "share_low", "share_high", "ratio", "expected"):
        if column in out:
            out[column] = out[column].astype(float).where(~hide, np.nan)
    out["suppressed"] = hide
    out["ratio_at_most"] = at_most
    out.attrs["min_cell"] = min_cell
    return out


def _min_expected() -> float:
    from consult.support.direct import MIN_EXPECTED  # the floor below which no ratio is given at all

    return float(MIN_EXPECTED)


def suppress_count(value: int, min_cell: int = DEFAULT_MIN_CELL) -> int | None:
    """A single published count of people: None when it is 1 to minimum - 1."""
    return None if 0 < value < min_cell else value


def support_in_words(agree: int, disagree: int, min_cell: int = DEFAULT_MIN_CELL) -> str:
    """A proposal's support for members ("32 agree · 5 disagree"); a count of 1 to minimum - 1 people is said as
    "fewer than N", never given."""
    def said(count: int, what: str) -> str:
        shown = suppress_count(int(count), min_cell)
        return f"fewer than {min_cell} {what}" if shown is None else f"{shown:,} {what}"

    if agree + disagree == 0:
        return "No votes yet"
    text = f"{said(agree, 'agree')} · {said(disagree, 'disagree')}"
    return text[0].upper() + text[1:]
