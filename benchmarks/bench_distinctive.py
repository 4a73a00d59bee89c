"""Is "what is distinctive where" calibrated, and does it find a planted regional lean at demo density?

    python benchmarks/bench_distinctive.py [--runs 200] [--seed 0]

Simulated consultations shaped like the demo: its proposals per region (London 513 ... Northern Ireland 17, 1,600
in all), ten themes with shares from 20% down to 5%. In each run one theme's share is multiplied by a planted
ratio (1.3x, 1.5x, 2x, 3x) in one region with 60+ proposals (the region and theme drawn at random), every other
cell keeps the UK pattern. For each method:
- found: the planted theme is the region's most distinctive and called clear (its interval above 1);
  found_or_possible: the same, or reported as a possible lean (clear at 95% before the correction for choosing
  the top of a region's themes);
- coverage: the planted cell's 95% interval holds the true ratio (target >= 0.90);
- false clear: the share of the other regions (nothing planted) whose top theme is called clear anyway.
Methods: `consult` (the library's distinctive_themes, whatever it does now); "pooled (Clayton-Kaldor)": the
empirical-Bayes gamma pooling used before this benchmark; "exact, unpooled": each cell's conditional binomial
(Clopper-Pearson) interval, no pooling. The target from the issue: a planted 2x in a region with 60+ proposals is
found.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402

from consult.themes import distinctive  # noqa: E402

DEMO_PROPOSALS = {"E12000007": 513, "E12000008": 209, "E12000006": 148, "E12000009": 143, "E12000002": 115,
                  "S92000003": 95, "E12000003": 87, "E12000005": 82, "E12000004": 59, "W92000004": 48,
                  "E12000001": 25, "N92000002": 17}
THEME_SHARES = np.array([0.20, 0.15, 0.12, 0.10, 0.10, 0.08, 0.08, 0.07, 0.05, 0.05])
PLANTED = (1.3, 1.5, 2.0, 3.0)


def pooled_clayton_kaldor(theme: np.ndarray, region: np.ndarray) -> pd.DataFrame:
    """The method used before: empirical-Bayes gamma pooling with a method-of-moments prior (variance floor)."""
    table = pd.crosstab(pd.Series(region, name="region"), pd.Series(theme, name="theme"))
    counts = table.to_numpy(dtype=float)
    region_totals = counts.sum(axis=1, keepdims=True)
    rest_share = (counts.sum(axis=0, keepdims=True) - counts) / (counts.sum() - region_totals)
    expected = region_totals * rest_share
    mean = counts.sum() / expected.sum()
    raw = counts / expected
    spread = float(np.sum(expected * (raw - mean) ** 2) / expected.sum()) - mean / float(expected.mean())
    variance = max(spread, 1e-3)
    shape, rate = mean ** 2 / variance + counts, mean / variance + expected
    return pd.DataFrame({"region": np.repeat(table.index, table.shape[1]),
                         "theme_id": np.tile(table.columns, table.shape[0]),
                         "ratio": (shape / rate).ravel(),
                         "lower": stats.gamma.ppf(0.025, shape, scale=1 / rate).ravel(),
                         "upper": stats.gamma.ppf(0.975, shape, scale=1 / rate).ravel()})


def exact_unpooled(theme: np.ndarray, region: np.ndarray, level: float = 0.95) -> pd.DataFrame:
    """Each cell on its own: the region's count given the theme's total is binomial; Clopper-Pearson on it."""
    table = pd.crosstab(pd.Series(region, name="region"), pd.Series(theme, name="theme"))
    counts = table.to_numpy(dtype=float)
    region_totals = counts.sum(axis=1, keepdims=True)
    rest_totals = counts.sum() - region_totals
    rest_counts = counts.sum(axis=0, keepdims=True) - counts
    trials = counts + rest_counts
    tail = (1 - level) / 2
    low_p = np.where(counts > 0, stats.beta.ppf(tail, counts, rest_counts + 1), 0.0)
    high_p = np.where(rest_counts > 0, stats.beta.ppf(1 - tail, counts + 1, rest_counts), 1.0)
    odds = rest_totals / region_totals

    def ratio(p):
        return np.where(p >= 1, np.inf, p / np.maximum(1 - p, 1e-12) * odds)

    return pd.DataFrame({"region": np.repeat(table.index, table.shape[1]),
                         "theme_id": np.tile(table.columns, table.shape[0]),
                         "ratio": ratio(np.where(trials > 0, counts / np.maximum(trials, 1), 0)).ravel(),
                         "lower": ratio(low_p).ravel(), "upper": ratio(high_p).ravel()})


def exact_adjusted(theme: np.ndarray, region: np.ndarray) -> pd.DataFrame:
    """The exact intervals, but "clear" only when the interval at 1 - 0.05 / (themes) is above 1 (Bonferroni over
    a region's themes: the claim is about the region's top theme, picked from all of them)."""
    table = exact_unpooled(theme, region)
    themes = table["theme_id"].nunique()
    table["clear_lower"] = exact_unpooled(theme, region, level=1 - 0.05 / themes)["lower"].to_numpy()
    return table


def library(theme: np.ndarray, region: np.ndarray) -> pd.DataFrame:
    return distinctive.distinctive_themes(theme, region, min_cell=10)


METHODS = {"consult (now)": library, "pooled (Clayton-Kaldor, before)": pooled_clayton_kaldor,
           "exact, unpooled": exact_unpooled, "exact, clear after Bonferroni": exact_adjusted}


def simulate(rng: np.random.Generator, planted: float) -> tuple[np.ndarray, np.ndarray, str, int, float]:
    codes = list(DEMO_PROPOSALS)
    big = [code for code in codes if DEMO_PROPOSALS[code] >= 60]
    target_region = str(rng.choice(big))
    target_theme = int(rng.integers(len(THEME_SHARES)))
    themes, where = [], []
    for code, n in DEMO_PROPOSALS.items():
        shares = THEME_SHARES.copy()
        if code == target_region:
            shares[target_theme] *= planted
            shares /= shares.sum()
        themes.append(rng.choice(len(shares), size=n, p=shares))
        where += [code] * n
    region_shares = THEME_SHARES.copy()
    region_shares[target_theme] *= planted
    true_ratio = float(region_shares[target_theme] / region_shares.sum() / THEME_SHARES[target_theme])
    return np.concatenate(themes), np.array(where, dtype=object), target_region, target_theme, true_ratio


def evaluate(runs: int, seed: int) -> pd.DataFrame:
    rows = []
    for planted in PLANTED:
        rng = np.random.default_rng(seed)
        for _ in range(runs):
            theme, where, target_region, target_theme, truth = simulate(rng, planted)
            for name, method in METHODS.items():
                table = method(theme, where)
                top = table.sort_values(["lower", "ratio"], ascending=False, kind="stable") \
                    .groupby("region", sort=False).head(1).set_index("region") if name != "consult (now)" else \
                    distinctive.most_distinctive(table).set_index("region")
                clear = (top["clear_lower"] if "clear_lower" in top else top["lower"]).round(1) > 1
                leaning = top["lower"].round(1) > 1  # clear at 95% before any correction
                cell = table[(table["region"] == target_region) & (table["theme_id"] == target_theme)].iloc[0]
                others = clear.drop(index=target_region)
                rows.append({"planted": planted, "method": name,
                             "found": bool(top.loc[target_region, "theme_id"] == target_theme
                                           and clear[target_region]),
                             "found_or_possible": bool(top.loc[target_region, "theme_id"] == target_theme
                                                       and leaning[target_region]),
                             "expected_texts": DEMO_PROPOSALS[target_region] * THEME_SHARES[target_theme],
                             "covered": bool(cell["lower"] <= truth <= cell["upper"]),
                             "false_clear": float(others.mean()),
                             "estimate": float(cell["ratio"]), "truth": truth})
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = evaluate(args.runs, args.seed)
    table = results.groupby(["planted", "method"], sort=False).agg(
        found=("found", "mean"), coverage=("covered", "mean"), false_clear=("false_clear", "mean"),
        estimate=("estimate", "median"), truth=("truth", "median")).round(3)
    print(f"{args.runs} runs per planted ratio, demo density (1,600 proposals, ten themes), planted region with 60+ "
          f"proposals; {time.perf_counter() - started:.1f} s")
    print(table.to_string())
    planted_2x = results[(results["planted"] == 2.0) & (results["method"] == "consult (now)")].copy()
    planted_2x["texts of the theme expected in the region"] = pd.cut(
        planted_2x["expected_texts"], [0, 10, 20, 40, 1_000], labels=["under 10", "10-20", "20-40", "40+"])
    print("\nconsult (now), planted 2x, by how many of the region's texts the theme would have without the lean:")
    print(planted_2x.groupby("texts of the theme expected in the region", observed=True).agg(
        runs=("found", "size"), found=("found", "mean"), found_or_possible=("found_or_possible", "mean"),
        coverage=("covered", "mean")).round(2).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
