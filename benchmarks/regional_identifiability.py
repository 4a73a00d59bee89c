"""Can the votes tell whether the small regions are distinctive? Exact forecasts that differ only there.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench_regional.py --identifiability [--seeds 24]

Issue #37 asks one model for two things at median 1 and 5 votes per proposal-region cell: intervals that cover in
tiny distinctive regions (Northern Ireland 1% of members, the North East 2%, their cell effects spread 1.0 where
the rest have 0.5), and a "majority in all 12 regions" forecast calibrated to 0.05 where no region is distinctive
(the model's own form). This asks whether any model could, using the exact model that made the data (level
N(0.2, 1), the realised leans, every other region's spread 0.5) and giving the two small regions' cells each spread
in turn: 0.5 (the truth of "model form") to 1.0 (the truth of "tiny regions").

For each setting, on data of each shape: the reliability gap of "a majority in all 12 regions", the 95% coverage
of the two small regions' cells, and the log likelihood ratio against the truth's own setting (how strongly the
votes rule the setting out). A model sees only votes: where they cannot tell two settings apart, it answers much
as one setting does on both shapes, and has that setting's failures on the other shape.
"""

from __future__ import annotations

import numpy as np

from benchmarks.regional_scenarios import NORTH_EAST, NORTHERN_IRELAND, exact_forecast, reliability, simulate

SMALL = (NORTHERN_IRELAND, NORTH_EAST)


def report(seeds: int, densities: tuple[int, ...] = (1, 5),
           small_spreads: tuple[float, ...] = (0.5, 0.65, 0.8, 1.0)) -> dict:
    """Per density, one row per spread given to the two small regions (the rest 0.5): on "model form" data (truth
    0.5 everywhere) the all-12 gap and the small regions' coverage; on "tiny regions" data (truth 1.0 there) the
    same; and the log likelihood ratio of each setting against the truth's own, on the truth's data."""
    print("\ncan the votes tell whether the small regions are distinctive? exact forecasts that know everything but "
          f"Northern Ireland's and the North East's cell spread, given each spread below; {seeds} seeds. Gap: the "
          "largest reliability gap of 'a majority in all 12 regions' (twice its bin's standard error beside it); "
          "coverage: the two small regions' 95% intervals (mean over seeds and both regions, worst seed); log LR: "
          "this setting's log likelihood minus the truth's own (median over seeds; below -3 the votes rule it out)")
    out: dict = {}
    for density in densities:
        found: dict = {}
        for shape in ("model form", "tiny regions"):
            for seed in range(seeds):
                data = simulate(shape, density, seed)
                came_true = (data.truth > 0.5).all(axis=1)
                results, truth_fit = {}, None
                for spread in small_spreads:
                    cell_sd = np.full(12, 0.5)
                    cell_sd[list(SMALL)] = spread
                    results[spread] = exact_forecast(data, cell_sd, grid=121, check_regions=SMALL)
                    if np.array_equal(cell_sd, data.cell_sd):  # the truth's own setting is one of those given
                        truth_fit = results[spread][1]
                if truth_fit is None:
                    truth_fit = exact_forecast(data, data.cell_sd, grid=121)[1]
                for spread, (forecast, log_lik, covered) in results.items():
                    got = found.setdefault((shape, spread), {"forecast": [], "came_true": [], "covered": [],
                                                             "ratio": []})
                    got["forecast"].append(forecast)
                    got["came_true"].append(came_true)
                    got["covered"].append(covered.mean(axis=0))
                    got["ratio"].append(log_lik - truth_fit)
        print(f"\n  median {density} votes per cell")
        print(f"  {'small regions spread':<22}{'model form: gap':>22}{'coverage':>20}{'log LR':>8}"
              f"{'tiny regions: gap':>24}{'coverage':>20}{'log LR':>8}")
        for spread in small_spreads:
            cells = []
            for shape in ("model form", "tiny regions"):
                got = found[(shape, spread)]
                _, gap, noise = reliability(np.concatenate(got["forecast"]), np.concatenate(got["came_true"]))
                coverage = np.array(got["covered"])
                cells.append(f"{gap:>15.3f} ({noise:.3f}){coverage.mean():>11.3f} ({coverage.min():.3f})"
                             f"{np.median(got['ratio']):>+8.2f}")
            print(f"  {spread:<22.2f}" + "".join(cells))
        out[density] = found
    return out
