"""What is distinctive where: each region's themes over- and under-represented against the rest of the UK.

For region r and theme t, the ratio compares the theme's share of the region's texts with its share of every
other region's texts: ratio = (n_rt / n_r) / ((N_t - n_rt) / (N - n_r)). Small regions have few texts per
theme, so the raw ratio swings wildly (3 texts instead of 1.5 is "2x"). The ratios are therefore pooled the way
disease maps pool small-area rates (Clayton and Kaldor 1987, empirical Bayes Poisson-gamma smoothing):
n_rt ~ Poisson(E_rt * theta_rt) with E_rt the count expected from the rest of the UK, theta_rt ~ Gamma(a, b)
with a and b estimated from all cells by the method of moments; the estimate is the posterior mean
(a + n_rt) / (b + E_rt) with a 95% interval from the posterior gamma. A cell with 200 texts keeps its own ratio;
one with 3 leans towards 1 (the UK pattern) and says so through a wide interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from consult import regions as uk

COLUMNS = ["region", "region_name", "theme_id", "theme_label", "n", "share", "rest_share", "ratio", "lower",
           "upper", "leans_on_pooling"]


def _prior(observed: np.ndarray, expected: np.ndarray) -> tuple[float, float]:
    """Gamma(shape, rate) for the true ratios, by the method of moments (Clayton and Kaldor's estimator)."""
    usable = expected > 0
    observed, expected = observed[usable], expected[usable]
    mean = observed.sum() / expected.sum() if expected.sum() > 0 else 1.0
    raw = observed / expected
    spread = float(np.sum(expected * (raw - mean) ** 2) / expected.sum()) - mean / float(expected.mean())
    # a floor keeps the prior proper when the regions do not differ beyond chance (then all ratios pool to ~1)
    variance = max(spread, 1e-3)
    return mean ** 2 / variance, mean / variance


def distinctive_themes(themes: pd.Series | np.ndarray, regions: pd.Series | np.ndarray, *,
                       labels: dict[int, str] | None = None, min_cell: int = 10, level: float = 0.95,
                       exclude_themes: tuple = (-1,)) -> pd.DataFrame:
    """One row per UK region and theme, with the pooled ratio against the rest of the UK and its interval.

    `themes` and `regions` give each text's primary theme and its author's region code. Texts with no UK
    region (outside the UK, not given) count in no region but stay out of the rest of the UK too. Regions with
    fewer than `min_cell` texts get no rows; a cell under `min_cell` texts keeps its pooled ratio and
    interval but its count and share are blank (`leans_on_pooling` says the figure leans on the UK pattern).
    """
    frame = pd.DataFrame({"theme": np.asarray(themes), "region": np.asarray(regions, dtype=object)})
    # texts without a theme (-1, missing) are never a theme of their own, whatever else is excluded: an internal
    # id must not reach a page ("Theme -1" did)
    unthemed = pd.to_numeric(frame["theme"], errors="coerce").fillna(-1) < 0
    frame = frame[frame["region"].isin(uk.region_codes()) & ~frame["theme"].isin(exclude_themes) & ~unthemed]
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    table = pd.crosstab(frame["region"], frame["theme"])
    table = table[table.sum(axis=1) >= min_cell]
    if table.empty or table.shape[0] < 2:
        return pd.DataFrame(columns=COLUMNS)
    counts = table.to_numpy(dtype=float)
    region_totals = counts.sum(axis=1, keepdims=True)
    theme_totals = counts.sum(axis=0, keepdims=True)
    total = counts.sum()
    rest_share = (theme_totals - counts) / np.maximum(total - region_totals, 1.0)
    expected = region_totals * rest_share
    shape, rate = _prior(counts.ravel(), expected.ravel())
    posterior_shape, posterior_rate = shape + counts, rate + expected
    tail = (1 - level) / 2
    out = pd.DataFrame({
        "region": np.repeat(table.index.to_numpy(), table.shape[1]),
        "theme_id": np.tile(table.columns.to_numpy(), table.shape[0]),
        "n": counts.ravel(),
        "share": (counts / region_totals).ravel(),
        "rest_share": rest_share.ravel(),
        "ratio": (posterior_shape / posterior_rate).ravel(),
        "lower": stats.gamma.ppf(tail, posterior_shape, scale=1 / posterior_rate).ravel(),
        "upper": stats.gamma.ppf(1 - tail, posterior_shape, scale=1 / posterior_rate).ravel(),
    })
    out["leans_on_pooling"] = out["n"] < min_cell
    out.loc[out["leans_on_pooling"], ["n", "share"]] = np.nan
    out["region_name"] = out["region"].map(lambda code: uk.region_name(str(code)))
    labels = labels or {}
    out["theme_label"] = out["theme_id"].map(lambda t: labels.get(t, "A theme without a name"))
    return out[COLUMNS].sort_values(["region", "ratio"], ascending=[True, False]).reset_index(drop=True)


def most_distinctive(table: pd.DataFrame) -> pd.DataFrame:
    """Each region's most over-represented theme (highest pooled ratio), with `clear` when its whole interval
    lies above 1 and a `sentence` to show as it is."""
    if table.empty:
        return pd.DataFrame(columns=[*COLUMNS, "clear", "sentence"])
    top = table.sort_values("ratio", ascending=False, kind="stable").groupby("region", sort=False).head(1).copy()
    # judged on the interval as printed (one decimal), so "95% 1.0–1.9" is never called clear
    top["clear"] = top["lower"].round(1) > 1
    top["sentence"] = [describe(row) for row in top.itertuples()]
    return top.sort_values("ratio", ascending=False).reset_index(drop=True)


def describe(row) -> str:
    """'Most distinctive of the North East: Bus services (2.3x the rest of the UK, 95% 1.4–3.6)'."""
    figures = f"{row.ratio:.1f}x the rest of the UK, 95% {row.lower:.1f}–{row.upper:.1f}"
    if round(row.lower, 1) > 1:
        return f"Most distinctive of {row.region_name}: {row.theme_label} ({figures})"
    return (f"Nothing stands out clearly in {row.region_name}; the highest is {row.theme_label} ({figures}), "
            "within what chance would give")
