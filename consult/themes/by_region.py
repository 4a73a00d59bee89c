"""Themes by region: counts and shares, over- and under-representation with a test (the words a region uses more
than the rest: `region_words`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from consult import regions as uk


def theme_by_region(themes: pd.Series | np.ndarray, regions: pd.Series | np.ndarray, *, min_cell: int = 10,
                    alpha: float = 0.05) -> pd.DataFrame:
    """One row per theme and region: count, share of the region, expected count, adjusted residual z, p, and
    `representation` ('over', 'under' or ''), with Bonferroni-corrected significance over all cells.

    Cells with fewer than `min_cell` texts are `suppressed`: their count, shares and test are blanked so a
    small group of people cannot be identified (the totals still include them).
    """
    frame = pd.DataFrame({"theme": np.asarray(themes), "region": np.asarray(regions, dtype=object)})
    table = pd.crosstab(frame["theme"], frame["region"])
    columns = ["theme", "region", "count", "share_of_region", "share_of_theme", "expected", "z", "p",
               "representation", "suppressed"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    total = table.to_numpy().sum()
    row_share = table.sum(axis=1).to_numpy()[:, None] / total
    col_share = table.sum(axis=0).to_numpy()[None, :] / total
    expected = row_share * col_share * total
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (table.to_numpy() - expected) / np.sqrt(expected * (1 - row_share) * (1 - col_share))
    z = np.nan_to_num(z)
    p = 2 * stats.norm.sf(np.abs(z))
    cells = table.size
    long = pd.DataFrame({
        "theme": np.repeat(table.index.to_numpy(), table.shape[1]),
        "region": np.tile(table.columns.to_numpy(), table.shape[0]),
        "count": table.to_numpy().ravel(),
        "share_of_region": (table / table.sum(axis=0)).to_numpy().ravel(),
        "share_of_theme": (table.div(table.sum(axis=1), axis=0)).to_numpy().ravel(),
        "expected": expected.ravel(), "z": z.ravel(), "p": p.ravel(),
    })
    significant = long["p"] < alpha / cells
    long["representation"] = np.where(significant & (long["z"] > 0), "over",
                                      np.where(significant & (long["z"] < 0), "under", ""))
    long["suppressed"] = long["count"] < min_cell
    long.loc[long["suppressed"], ["count", "share_of_region", "share_of_theme", "z", "p"]] = np.nan
    long.loc[long["suppressed"], "representation"] = ""
    long["region_name"] = long["region"].map(lambda c: uk.region_name(str(c)))
    return long[columns + ["region_name"]]
