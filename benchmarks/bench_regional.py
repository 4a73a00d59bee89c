"""Regional support at real vote density: calibration, ranking, routing and speed against plain baselines.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench_regional.py [--seeds 2] [--quick]
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench_regional.py --scenarios [--seeds 6]
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench_regional.py --identifiability [--seeds 24]

--scenarios: per-region coverage, calibration of "a majority in every region" and the top 20 on member-level truth
of four shapes (benchmarks/regional_scenarios.py), at median 1, 5 and 20 votes per cell.
--identifiability: whether the votes can tell if the small regions are distinctive, from exact forecasts that differ
only there (benchmarks/regional_identifiability.py), at median 1 and 5; about 40 min a density at 24 seeds here.

Simulated consultations with known per-region truth (voters skewed to London as in the brief; cell effects drawn
from a heavy-tailed t(4), not the model's own normal, so the model is not graded on its own assumptions):
- meeting: 60 proposals x 200 people, 40 votes each; open: 1,500 x 700, 45 each; dense: 300 x 3,000, 60 each.
For each: 95% interval coverage and mean width of the pooled model, of empirical-Bayes beta-binomial shrinkage
and of per-region Wilson intervals; and the true weakest-region support of the top 20 "supported in every
region" as ranked by (a) national share, (b) empirical Bayes, (c) the pooled model. Targets: coverage >= 0.90
everywhere, width <= 0.8x Wilson at the sparse densities, (c) >= (a) and (b).
Routing: the same number of votes sent by Polis's priority alone and with the evidence term; the top 20 after
them compared with the truth. Speed: regional tables for 10,000 participants x 1,000 proposals x 1,000,000 votes,
then the same votes as a CSV: read before/now and `consult support FILE` end to end (`--speed-only` for these).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import special  # noqa: E402

from benchmarks.common import row  # noqa: E402
from consult import regions  # noqa: E402
from consult.proposals import routing
from consult.support import pooled as regional
from consult.support.direct import wilson_interval  # noqa: E402
from consult.support.mixture_model import ScaleMixtureRegionalModel  # noqa: E402
from consult.support.pooling_model import EmpiricalBayesRegional, HierarchicalRegionalModel  # noqa: E402

CODES = regions.region_codes()
SCENARIOS = {"meeting": (60, 200, 40), "open": (1500, 700, 45), "dense": (300, 3000, 60)}


def region_shares() -> np.ndarray:
    population = regions.population_baseline().reindex(CODES).to_numpy(dtype=float)
    shares = population.copy()
    shares[CODES.index("E12000007")] *= 2.4  # London-dominated participation, as in the brief
    shares[CODES.index("N92000002")] *= 0.4
    return shares / shares.sum()


def truth(n_prop: int, rng: np.random.Generator) -> np.ndarray:
    """True agree share per proposal and region."""
    level = rng.normal(0.2, 1.0, n_prop)
    lean = rng.normal(0.0, 0.3, len(CODES))
    cell = 0.45 * rng.standard_t(4, (n_prop, len(CODES)))
    return special.expit(level[:, None] + lean[None, :] + cell)


def simulate(n_prop: int, n_people: int, per_person: int, seed: int):
    rng = np.random.default_rng(seed)
    shares = truth(n_prop, rng)
    region = rng.choice(len(CODES), n_people, p=region_shares())
    agree = np.zeros((n_prop, len(CODES)))
    seen = np.zeros_like(agree)
    for person in range(n_people):
        chosen = rng.choice(n_prop, min(per_person, n_prop), replace=False)
        np.add.at(seen, (chosen, region[person]), 1)
        np.add.at(agree, (chosen, region[person]), rng.random(len(chosen)) < shares[chosen, region[person]])
    return agree, seen, shares


def top20_truth(score: np.ndarray, shares: np.ndarray) -> float:
    """Mean true weakest-region support of the 20 proposals `score` ranks highest."""
    best = np.argsort(-score, kind="stable")[:20]
    return float(shares[best].min(axis=1).mean())


def calibration(seeds: int, quick: bool) -> None:
    print(f"95% intervals over {seeds} simulated consultations per scenario: mean coverage (worst), mean width")
    print(row("scenario", "coverage", "worst", "width", "x Wilson", widths=(40, 10, 8, 10, 10)))
    for name, (n_prop, n_people, per_person) in SCENARIOS.items():
        if quick and name == "dense":
            continue
        found: dict[str, list[float]] = {}
        for seed in range(seeds):
            agree, seen, shares = simulate(n_prop, n_people, per_person, seed)
            previous = HierarchicalRegionalModel(random_state=seed).fit(agree, seen)
            model = ScaleMixtureRegionalModel(random_state=seed).fit(agree, seen)
            eb = EmpiricalBayesRegional().fit(agree, seen)
            wilson = wilson_interval(agree, seen)
            for label, (low, high) in (("scale mixture (now)", model.interval()),
                                       ("one spread (before)", previous.interval()),
                                       ("empirical Bayes", eb.interval()), ("Wilson per region", wilson)):
                found.setdefault(f"{label} coverage", []).append(float(((low <= shares) & (shares <= high)).mean()))
                found.setdefault(f"{label} worst", []).append(found[f"{label} coverage"][-1])
                found.setdefault(f"{label} width", []).append(float((high - low).mean()))
            national = agree.sum(axis=1) / np.maximum(seen.sum(axis=1), 1)
            found.setdefault("top20 national", []).append(top20_truth(national, shares))
            found.setdefault("top20 EB", []).append(top20_truth(eb.prob_above(0.5), shares))
            ranked = regional.RegionalSupport(random_state=seed).fit(_frame(agree, seen)).proposals_
            score = -ranked["consensus_rank"].reindex(range(n_prop)).to_numpy(dtype=float)
            found.setdefault("top20 pooled", []).append(top20_truth(score, shares))
            found.setdefault("top20 ideal", []).append(float(np.sort(shares.min(axis=1))[-20:].mean()))
        mean = {k: float(np.min(v) if k.endswith("worst") else np.mean(v)) for k, v in found.items()}
        wilson_width = mean["Wilson per region width"]
        print(f"{name}: {n_prop} proposals x {n_people} people, {per_person} votes each, "
              f"median {np.median(seen):.0f} votes per cell")
        for label in ("scale mixture (now)", "one spread (before)", "empirical Bayes", "Wilson per region"):
            width = mean[f"{label} width"]
            print(row(f"  {label}", f"{mean[f'{label} coverage']:.3f}", f"{mean[f'{label} worst']:.3f}",
                      f"{width:.3f}", f"{width / wilson_width:.2f}x", widths=(40, 10, 8, 10, 10)))
        print(f"  true weakest-region support of the top 20: ranked by national share "
              f"{mean['top20 national']:.3f}, empirical Bayes {mean['top20 EB']:.3f}, pooled model "
              f"{mean['top20 pooled']:.3f} (best possible {mean['top20 ideal']:.3f})")


def _frame(agree: np.ndarray, seen: np.ndarray) -> pd.DataFrame:
    """Synthetic vote rows reproducing the cell counts (one row per vote)."""
    n, k = seen.astype(int).ravel(), agree.astype(int).ravel()
    cell = np.repeat(np.arange(n.size), n)
    first = np.repeat(np.cumsum(n) - n, n)
    value = np.where(np.arange(cell.size) - first < k[cell], 1, -1).astype("int8")
    proposal, region = np.divmod(cell, seen.shape[1])
    return pd.DataFrame({"participant_id": np.arange(cell.size), "proposal_id": proposal,
                         "region": np.array(CODES)[region], "value": value})


def routing_trial(seed: int, evidence: bool, n_prop: int = 300, n_people: int = 500, per_person: int = 24,
                  refit_every: int = 50) -> tuple[float, float]:
    """Votes sent by Polis's priority, with or without the evidence term; (top-20 true weakest support, overlap
    of the top 20 with the true top 20)."""
    rng = np.random.default_rng(seed)
    shares = truth(n_prop, rng)
    region = rng.choice(len(CODES), n_people, p=region_shares())
    rows: list[tuple[int, int, int, str]] = []
    summary = estimates = None
    ids = list(range(n_prop))
    for person in range(n_people):
        votes = pd.DataFrame(rows, columns=["participant_id", "proposal_id", "value", "region"])
        priority = routing.priorities(ids, votes)
        if evidence and summary is not None:
            priority = routing.with_evidence(priority, routing.evidence_value(summary, estimates, CODES[region[person]]))
        weights = priority.to_numpy() / priority.sum()
        chosen = rng.choice(n_prop, per_person, replace=False, p=weights)
        for p in chosen:
            rows.append((person, int(p), 1 if rng.random() < shares[p, region[person]] else -1, CODES[region[person]]))
        if evidence and (person + 1) % refit_every == 0:
            model = regional.RegionalSupport(random_state=seed, n_draws=200).fit(
                pd.DataFrame(rows, columns=["participant_id", "proposal_id", "value", "region"]))
            summary, estimates = model.proposals_, model.regions_
    final = regional.RegionalSupport(random_state=seed).fit(
        pd.DataFrame(rows, columns=["participant_id", "proposal_id", "value", "region"]))
    top = final.ranked().index[:20].to_numpy()
    true_top = np.argsort(-shares.min(axis=1), kind="stable")[:20]
    return float(shares[top].min(axis=1).mean()), len(set(top) & set(true_top)) / 20


def routing_comparison(seeds: int) -> None:
    results = {False: [], True: []}
    for seed in range(seeds):
        for evidence in (False, True):
            results[evidence].append(routing_trial(seed, evidence))
    print("\nrouting (300 proposals, 500 members x 24 votes, London-heavy; mean over seeds)")
    for evidence, label in ((False, "Polis priority (today, baseline)"), (True, "with the evidence term")):
        weakest = np.mean([r[0] for r in results[evidence]])
        overlap = np.mean([r[1] for r in results[evidence]])
        print(row(f"  {label}", f"weakest {weakest:.3f}", f"overlap {overlap:.2f}", widths=(40, 18, 14)))


def speed() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n, n_prop, n_people = 1_000_000, 1000, 10_000
    people = rng.integers(0, n_people, n)
    home = rng.choice([*CODES, regions.UNDISCLOSED], n_people)
    votes = pd.DataFrame({"participant_id": people, "proposal_id": rng.integers(0, n_prop, n),
                          "value": rng.choice(np.array([-1, 0, 1], dtype="int8"), n), "region": home[people]})
    start = time.perf_counter()
    cells = regional.cell_counts(votes)
    counting = time.perf_counter() - start
    start = time.perf_counter()
    wilson_interval(cells[2], cells[3])
    baseline = counting + time.perf_counter() - start
    start = time.perf_counter()
    regional.RegionalSupport().fit(votes)
    pooled = time.perf_counter() - start
    print(f"\nregional tables for 10,000 participants x 1,000 proposals x 1,000,000 votes: {pooled:.2f} s "
          f"(target <= 2 s); counting cells + per-region Wilson alone {baseline:.2f} s (x{pooled / baseline:.1f}); "
          f"load average {os.getloadavg()[0]:.2f}")
    return votes


def file_speed(votes: pd.DataFrame, repeats: int = 3) -> None:
    """The same votes as a CSV file from another tool: reading it as before (pandas's Python parser sniffing the
    delimiter) against now (the delimiter sniffed from the first line, the C parser), then `consult support FILE`
    end to end under /usr/bin/time; medians of `repeats` runs."""
    import io
    import subprocess
    import tempfile

    from consult.intake import spreadsheets

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "votes.csv"
        votes.rename(columns={"participant_id": "participant", "proposal_id": "proposal", "value": "vote"}).to_csv(
            path, index=False)
        text = path.read_text()

        def before() -> None:
            pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=None, engine="python")

        def now() -> None:
            spreadsheets.read_table(path)

        timings = {}
        for name, step in (("before", before), ("now", now)):
            runs = []
            for _ in range(repeats):
                start = time.perf_counter()
                step()
                runs.append(time.perf_counter() - start)
            timings[name] = float(np.median(runs))
        print(f"\nreading {path.stat().st_size / 1e6:.0f} MB of votes as a table (median of {repeats}): before "
              f"{timings['before']:.2f} s, now {timings['now']:.2f} s (x{timings['now'] / timings['before']:.2f})")
        command = ["/usr/bin/time", "-f", "%e %M", sys.executable, "-m", "consult.cli.main", "support", str(path)]
        ends = []
        for _ in range(repeats):
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            seconds, kilobytes = done.stderr.strip().splitlines()[-1].split()
            ends.append((float(seconds), int(kilobytes)))
        seconds = float(np.median([e[0] for e in ends]))
        print(f"consult support FILE end to end (median of {repeats}): {seconds:.2f} s, peak "
              f"{max(e[1] for e in ends) / 1e6:.2f} GB; load average {os.getloadavg()[0]:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="skip the dense scenario and use one routing seed")
    parser.add_argument("--speed-only", action="store_true", help="only the timings (tables, then the file)")
    parser.add_argument("--scenarios", action="store_true", help="only the per-region scenarios")
    parser.add_argument("--identifiability", action="store_true",
                        help="only the check of what the votes can tell about the small regions")
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    if args.identifiability:
        from benchmarks import regional_identifiability

        regional_identifiability.report(args.seeds)
        return 0
    if args.scenarios:
        from benchmarks import regional_scenarios

        regional_scenarios.report(args.seeds)
        regional_scenarios.selection_report(args.seeds)
        return 0
    if not args.speed_only:
        calibration(args.seeds, args.quick)
        routing_comparison(1 if args.quick else args.seeds)
    file_speed(speed())
    return 0


if __name__ == "__main__":
    sys.exit(main())
