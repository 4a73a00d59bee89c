"""A human theme planted twice as often in one region: is it that region's most distinctive theme, end to end?

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench_theme_planted.py [--seeds 5] [--ratio 2]

For each shared set (eval_sentiments, both gambling questions, the demo's texts) the theme model is fitted once per
seed (regions play no part in finding themes). Texts get regions drawn with the demo's regional mix; then, for each
human theme holding 5%+ of the texts and each region expected to hold 60+ texts, the theme's texts are drawn into
that region `ratio` times as often (the plant) and `distinctive_themes` runs on the model's themes. A plant is
found when the region's most distinctive theme (the surest lean: highest corrected lower bound) is one whose texts
are mostly the planted human theme; "clear" and "possible" are the statistic's own verdicts on it. Beside it, the same question asked of
the human themes themselves (a perfect clustering): what the regional statistic alone can find at this size.
Coverage: the share of plants whose 95% interval, on the human theme, holds the ratio the plant implies.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.bench_distinctive import DEMO_PROPOSALS  # noqa: E402
from benchmarks.bench_themes import EVALS, demo_set, eval_sentiments, gambling  # noqa: E402
from consult.themes import distinctive  # noqa: E402
from consult.themes.model import ThemeModel  # noqa: E402

CODES = np.array(list(DEMO_PROPOSALS))
MIX = np.array(list(DEMO_PROPOSALS.values()), dtype=float) / sum(DEMO_PROPOSALS.values())


def plant_regions(gold: np.ndarray, theme: str, region: int, ratio: float, rng: np.random.Generator) -> np.ndarray:
    """Each text's region: the demo's mix, and for the planted theme's texts the region `ratio` times as likely."""
    boosted = MIX.copy()
    boosted[region] *= ratio
    boosted /= boosted.sum()
    planted = gold == theme
    out = np.empty(len(gold), dtype=object)
    out[~planted] = CODES[rng.choice(len(CODES), int((~planted).sum()), p=MIX)]
    out[planted] = CODES[rng.choice(len(CODES), int(planted.sum()), p=boosted)]
    return out


def expected_ratio(share: float, region_share: float, ratio: float) -> float:
    """The ratio the statistic estimates under the plant: the theme's expected share of the region's texts over
    its expected share of the rest (a theme's texts go to the region with probability q, other texts with p)."""
    p = region_share
    q = ratio * p / (1 + (ratio - 1) * p)
    inside = share * q / (share * q + (1 - share) * p)
    outside = share * (1 - q) / (share * (1 - q) + (1 - share) * (1 - p))
    return inside / outside


def top_theme(table, region_code: str):
    """The region's most distinctive theme in a `distinctive_themes` table (None where it has no row)."""
    top = distinctive.most_distinctive(table)
    row = top[top["region"] == region_code]
    return None if row.empty else row.iloc[0]


def run(name: str, texts: list[str], gold: list[str], seeds: int, ratio: float) -> None:
    gold = np.asarray(gold, dtype=object)
    keys, counts = np.unique(gold[gold != "none"], return_counts=True)
    themes_to_plant = keys[counts >= 0.05 * len(gold)]
    regions_to_plant = np.flatnonzero(MIX * len(gold) >= 60)
    if not len(regions_to_plant):
        print(f"{name}: {len(gold)} texts, no region expected to hold 60+ texts: nothing to plant")
        return
    gold_ids = np.array([list(keys).index(g) if g in keys else -1 for g in gold])
    found = found_human = clear = possible = covered = trials = 0
    for seed in range(seeds):
        model = ThemeModel(random_state=seed).fit(texts)
        labels = model.labels_
        for theme in themes_to_plant:
            # the model's themes whose texts are mostly this human theme
            owners = {t for t in np.unique(labels[labels >= 0])
                      if np.mean(gold[labels == t] == theme) >= 0.5}
            for region in regions_to_plant:
                rng = np.random.default_rng([seed, int(region), int(np.flatnonzero(keys == theme)[0])])
                regions = plant_regions(gold, theme, int(region), ratio, rng)
                trials += 1
                row = top_theme(distinctive.distinctive_themes(labels, regions, min_cell=1), CODES[region])
                if row is not None and row["theme_id"] in owners:
                    found += 1
                    clear += bool(row["clear"])
                    possible += bool(row["possible"])
                table = distinctive.distinctive_themes(gold_ids, regions, min_cell=1)
                human = top_theme(table, CODES[region])
                planted_id = int(np.flatnonzero(keys == theme)[0])
                found_human += human is not None and human["theme_id"] == planted_id
                cell = table[(table["region"] == CODES[region]) & (table["theme_id"] == planted_id)]
                expected = expected_ratio(float(np.mean(gold == theme)), float(MIX[region]), ratio)
                covered += bool(not cell.empty and cell.iloc[0]["lower"] <= expected <= cell.iloc[0]["upper"])
    print(f"{name}: {len(gold)} texts, {len(themes_to_plant)} human themes x {len(regions_to_plant)} regions x "
          f"{seeds} seeds = {trials} plants of {ratio:g}x")
    print(f"  found by consult's themes: {found / trials:.0%} (clear {clear / trials:.0%}, possible "
          f"{possible / trials:.0%}); on the human themes themselves: {found_human / trials:.0%}; "
          f"coverage of the planted ratio: {covered / trials:.0%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--ratio", type=float, default=2.0)
    args = parser.parse_args(argv)
    sets = {"demo": demo_set}
    if EVALS.exists():
        sets = {"eval_sentiments": eval_sentiments, "gambling q1": lambda: gambling(1),
                "gambling q2": lambda: gambling(2), **sets}
    else:
        print(f"({EVALS} is absent: the demo only)")
    for name, load in sets.items():
        texts, gold = load()
        run(name, texts, gold, args.seeds, args.ratio)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
