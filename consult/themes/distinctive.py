"""What is distinctive where: each region's themes over- and under-represented against the rest of the UK.

For region r and theme t, the ratio compares the theme's share of the region's texts with its share of every
other region's texts: ratio = (n_rt / n_r) / ((N_t - n_rt) / (N - n_r)). Its interval is exact: given the theme's
texts in the region and in the rest (n_rt + m_t), the region's count is binomial with a probability that is a
function of the ratio alone, so a Clopper-Pearson interval on that probability is an interval on the ratio (the
conditional test for two Poisson rates). Nothing is pooled. The empirical-Bayes gamma pooling used before
(Clayton and Kaldor) pulled a planted 2x lean to 1.07x at demo density: its interval held the true ratio in 4% of
simulations (`benchmarks/bench_distinctive.py`); the exact interval holds it in 97-100%.

A region's most distinctive theme is the one whose lean is surest: the highest lower bound of its interval at
1 - 0.05 / (number of themes), so a small cell's wide interval does not win on a lucky count. It is called clear
only when that bound lies above 1: the claim is about the top of a region's themes, picked from all of them, so
without that correction a region where nothing differs would get a "clear" theme about 7% of the time (0.5% with
it). Ranking by the same corrected bound the verdict reads means the theme named is never a "possible" one while
another theme of the region is clear; it also finds a planted lean more often than the 95% bound did (a stricter
bound favours the larger cells a real lean builds, `benchmarks/bench_theme_planted.py`). A lean clear at 95% but not
after the correction is reported as possible, in those words. Where nothing stands out, the sentence says how
large a difference the region's number of texts could show, never that the regions agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from consult import regions as uk

COLUMNS = ["region", "region_name", "theme_id", "theme_label", "n", "share", "rest_share", "ratio", "lower",
           "upper", "clear_lower", "few_texts", "region_texts", "detectable"]
# a region's themes, most distinctive first: the surest lean after the correction for picking the top one
RANKING = ("clear_lower", "lower", "ratio")


def _ratio_bounds(counts: np.ndarray, rest_counts: np.ndarray, odds: np.ndarray, level: float
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Clopper-Pearson, conditional binomial) bounds on the ratio at `level`; odds = rest texts / region
    texts, which turns the binomial probability into the ratio."""
    tail = (1 - level) / 2
    low = np.where(counts > 0, stats.beta.ppf(tail, np.maximum(counts, 1e-9), rest_counts + 1), 0.0)
    high = np.where(rest_counts > 0, stats.beta.ppf(1 - tail, counts + 1, np.maximum(rest_counts, 1e-9)), 1.0)
    with np.errstate(divide="ignore"):
        return low / (1 - low) * odds, np.where(high >= 1, np.inf, high / np.maximum(1 - high, 1e-300) * odds)


def detectable_ratio(region_texts: float, rest_texts: float, share: float, themes: int) -> float:
    """The smallest ratio a theme with this share of the rest of the UK's texts would need in a region with
    `region_texts` texts for its (corrected) interval to clear 1, if its count came out as expected; inf when no
    ratio up to 20 would."""
    if region_texts <= 0 or share <= 0:
        return float("inf")
    candidates = np.round(np.arange(1.05, 20.0, 0.05), 2)
    expected = region_texts * share * candidates
    rest = np.full_like(candidates, rest_texts * share)
    odds = np.full_like(candidates, rest_texts / region_texts)
    lower, _ = _ratio_bounds(expected, rest, odds, 1 - 0.05 / max(themes, 1))
    found = candidates[np.round(lower, 1) > 1]
    return float(found[0]) if len(found) else float("inf")


def distinctive_themes(themes: pd.Series | np.ndarray, regions: pd.Series | np.ndarray, *,
                       labels: dict[int, str] | None = None, min_cell: int = 10, level: float = 0.95,
                       exclude_themes: tuple = (-1,)) -> pd.DataFrame:
    """One row per UK region and theme, with the ratio against the rest of the UK and its exact interval.

    `themes` and `regions` give each text's primary theme and its author's region code. Texts with no UK
    region (outside the UK, not given) count in no region but stay out of the rest of the UK too. Regions with
    fewer than `min_cell` texts get no rows; a cell under `min_cell` texts keeps its ratio and interval (the
    interval is wide: it says how little the cell shows) but its count and share are blank (`few_texts`).
    `clear_lower`: the lower bound at 1 - (1 - level) / themes; `detectable`: the ratio a typical theme would need
    in the region to stand out (the same for every row of a region); `region_texts`: the region's texts.
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
    rest_totals = total - region_totals
    rest_counts = theme_totals - counts
    rest_share = rest_counts / np.maximum(rest_totals, 1.0)
    odds = np.broadcast_to(rest_totals / region_totals, counts.shape)
    lower, upper = _ratio_bounds(counts, rest_counts, odds, level)
    clear_lower, _ = _ratio_bounds(counts, rest_counts, odds, 1 - (1 - level) / table.shape[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(rest_share > 0, (counts / region_totals) / rest_share, np.inf)
    typical_share = float(np.median(theme_totals / total))
    detectable = [detectable_ratio(float(n), float(rest), typical_share, table.shape[1])
                  for n, rest in zip(region_totals.ravel(), rest_totals.ravel(), strict=True)]
    out = pd.DataFrame({
        "region": np.repeat(table.index.to_numpy(), table.shape[1]),
        "theme_id": np.tile(table.columns.to_numpy(), table.shape[0]),
        "n": counts.ravel(),
        "share": (counts / region_totals).ravel(),
        "rest_share": rest_share.ravel(),
        "ratio": ratio.ravel(), "lower": lower.ravel(), "upper": upper.ravel(), "clear_lower": clear_lower.ravel(),
        "region_texts": np.repeat(region_totals.ravel(), table.shape[1]).astype(int),
        "detectable": np.repeat(detectable, table.shape[1]),
    })
    out["few_texts"] = out["n"] < min_cell
    out.loc[out["few_texts"], ["n", "share"]] = np.nan
    out["region_name"] = out["region"].map(lambda code: uk.region_name(str(code)))
    labels = labels or {}
    out["theme_label"] = out["theme_id"].map(lambda t: labels.get(t, "A theme without a name"))
    return out[COLUMNS].sort_values(["region", *RANKING], ascending=[True, False, False, False]) \
        .reset_index(drop=True)


def most_distinctive(table: pd.DataFrame) -> pd.DataFrame:
    """Each region's most over-represented theme (highest corrected lower bound, then 95% lower bound, then ratio),
    with `clear` (its corrected interval lies above 1), `possible` (its 95% interval does, the corrected one not)
    and a `sentence`."""
    if table.empty:
        return pd.DataFrame(columns=[*COLUMNS, "clear", "possible", "sentence"])
    top = table.sort_values(list(RANKING), ascending=False, kind="stable").groupby("region", sort=False) \
        .head(1).copy()
    # judged on the bounds as printed (one decimal), so "95% 1.0–1.9" is never called clear
    top["clear"] = top["clear_lower"].round(1) > 1
    top["possible"] = ~top["clear"] & (top["lower"].round(1) > 1)
    themes = int(table["theme_id"].nunique())
    top["sentence"] = [describe(row, themes) for row in top.itertuples()]
    return top.sort_values(["clear", "lower"], ascending=False).reset_index(drop=True)


def _times(ratio: float) -> str:
    return "∞" if not np.isfinite(ratio) else f"{ratio:.1f}"


def describe(row, themes: int = 0) -> str:
    """'Most distinctive of the North East: Bus services (2.3x the rest of the UK, 95% 1.4–3.6)'; a possible lean
    or nothing clear said as such, with the difference the region's texts could have shown."""
    figures = f"{_times(row.ratio)}x the rest of the UK, 95% {row.lower:.1f}–{_times(row.upper)}"
    if round(row.clear_lower, 1) > 1:
        return f"Most distinctive of {row.region_name}: {row.theme_label} ({figures})"
    if round(row.lower, 1) > 1:
        return (f"Possibly distinctive of {row.region_name}: {row.theme_label} ({figures}), but not clear once all "
                f"{themes} themes are considered")
    reach = (f"about {row.detectable:.1f} times as often as elsewhere" if np.isfinite(row.detectable)
             else "far more often than elsewhere")
    return (f"Nothing stands out clearly in {row.region_name}: the highest is {row.theme_label} ({figures}), within "
            f"what chance would give. With {int(row.region_texts):,} texts from {row.region_name}, a typical theme "
            f"would need to be raised {reach} to stand out, so smaller differences cannot be detected yet")
