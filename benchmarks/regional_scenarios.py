"""Regional truth that the model was not built on: members voting as individuals, four shapes of difference.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench_regional.py --scenarios [--seeds 6]

500 proposals; members drawn from the 12 regions with London over-represented 2.4x (as in the brief); each member
votes on 20 proposals chosen at random, as themselves (an agree with their own probability), until the median
proposal-region cell holds 1, 5 or 20 votes. Truth on the log-odds scale, the proposal's level N(0.2, 1), then:
- model form: region leans N(0, 0.3^2) and cell effects N(0, 0.5^2), the model's own assumptions;
- sparse large: as above, and 10% of proposals have one region 30 points off (up or down, on the share scale);
- groups by region: three opinion groups with their own view of each proposal (N(0, 1.2^2) apart); each region
  holds its own mix of them (Dirichlet(1, 1, 1)), so a region's truth is its mix of the groups' shares and members
  vote as their group;
- tiny regions: Northern Ireland holds 1% of members and the North East 2%, and both are distinctive (leans
  N(0, 0.6^2), cell effects N(0, 1.0^2) where the rest have 0.5).
The scale mixture is run with its shared factors (the default) and without them ("mixture, no factors").
Reported per region: 95% interval coverage (mean over seeds and worst seed) and width beside per-region Wilson and
empirical Bayes; and a reliability table for "probability of a majority in all 12 regions".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from consult import regions
from consult.support.direct import wilson_interval
from consult.support.mixture_model import ScaleMixtureRegionalModel
from consult.support.pooling_model import EmpiricalBayesRegional, HierarchicalRegionalModel
from consult.text import figures

CODES = regions.region_codes()
LONDON, NORTH_EAST, NORTHERN_IRELAND = (CODES.index(code) for code in ("E12000007", "E12000001", "N92000002"))
N_PROPOSALS, VOTES_EACH = 500, 20
DENSITIES = (1, 5, 20)
SHAPES = ("model form", "sparse large", "groups by region", "tiny regions")
FORECAST_BINS = np.array([0.0, 0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 1.0 + 1e-9])


@dataclass
class Consultation:
    agree: np.ndarray  # (proposals, regions) agree counts
    seen: np.ndarray  # (proposals, regions) votes
    truth: np.ndarray  # (proposals, regions) the region's true agree share
    planted: np.ndarray  # (proposals, regions) True where one region was moved 30 points off the rest
    shift: np.ndarray  # (proposals, regions) how far the planted cells were moved (0 elsewhere)
    # where the truth is the normal hierarchical model itself (model form, tiny regions): the realised region
    # leans and each region's cell spread, for the true model's own forecast (None for the other shapes)
    lean: np.ndarray | None = None
    cell_sd: np.ndarray | None = None


def member_shares(shape: str) -> np.ndarray:
    population = regions.population_baseline().reindex(CODES).to_numpy(dtype=float)
    shares = population / population.sum()
    shares[LONDON] *= 2.4
    shares /= shares.sum()
    if shape == "tiny regions":
        rest = [r for r in range(len(CODES)) if r not in (NORTHERN_IRELAND, NORTH_EAST)]
        shares[rest] *= 0.97 / shares[rest].sum()
        shares[NORTHERN_IRELAND], shares[NORTH_EAST] = 0.01, 0.02
    return shares


def _agree_probability(shape: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple]:
    """(P, R, G) agree probability of a member of group g in region r, the (R, G) group mix of each region, how
    far each (P, R) cell was planted off the rest (0 where it was not) and, where the truth is the normal model,
    (leans, cell spreads) ((None, None) elsewhere)."""
    n_reg = len(CODES)
    shift = np.zeros((N_PROPOSALS, n_reg))
    level = rng.normal(0.2, 1.0, N_PROPOSALS)[:, None]
    if shape == "groups by region":
        view = rng.normal(0.0, 1.2, (N_PROPOSALS, 3))
        mix = rng.dirichlet(np.ones(3), n_reg)
        return (np.broadcast_to(special.expit(level + view)[:, None, :], (N_PROPOSALS, n_reg, 3)), mix, shift,
                (None, None))
    lean_sd, cell_sd = np.full(n_reg, 0.3), np.full(n_reg, 0.5)
    if shape == "tiny regions":
        lean_sd[[NORTHERN_IRELAND, NORTH_EAST]], cell_sd[[NORTHERN_IRELAND, NORTH_EAST]] = 0.6, 1.0
    lean = rng.normal(0.0, lean_sd)
    share = special.expit(level + lean + rng.normal(0.0, 1.0, (N_PROPOSALS, n_reg)) * cell_sd)
    if shape == "sparse large":
        hit = rng.choice(N_PROPOSALS, N_PROPOSALS // 10, replace=False)
        region = rng.integers(0, n_reg, hit.size)
        shifted = share[hit, region] + rng.choice([-0.3, 0.3], hit.size)
        # a shift that would leave [0.02, 0.98] goes the other way, so every planted difference is 30 points
        shifted = np.where((shifted < 0.02) | (shifted > 0.98), share[hit, region] * 2 - shifted, shifted)
        shift[hit, region] = np.clip(shifted, 0.02, 0.98) - share[hit, region]
        share[hit, region] += shift[hit, region]
    normal_form = (None, None) if shape == "sparse large" else (lean, cell_sd)
    return share[:, :, None], np.ones((n_reg, 1)), shift, normal_form


def true_model_forecast(data: Consultation, grid: int = 161) -> np.ndarray | None:
    """The probability of a majority in all 12 regions under the model that generated the data, with its true
    settings (level N(0.2, 1), the realised leans, each region's cell spread): the best calibrated forecast there
    is. None where the truth is not of that form. Its reliability gap is what sampling noise alone gives."""
    if data.lean is None:
        return None
    return exact_forecast(data, data.cell_sd, grid)[0]


def exact_forecast(data: Consultation, cell_sd: np.ndarray, grid: int = 161,
                   check_regions: tuple[int, ...] = ()) -> tuple[np.ndarray, float, np.ndarray]:
    """Under the normal model with level N(0.2, 1), the data's own leans and the given cell spreads, worked out
    exactly on grids (the regions are independent given the level): (probability of a majority in all regions per
    proposal, the log marginal likelihood of the votes, whether each of `check_regions`' 95% posterior intervals
    holds the truth, shape (proposals, len(check_regions)))."""
    levels = np.linspace(0.2 - 6.0, 0.2 + 6.0, 241)
    log_prior = stats.norm.logpdf(levels, 0.2, 1.0)
    z = np.linspace(-6.0, 6.0, grid)
    z_weight = stats.norm.pdf(z) / stats.norm.pdf(z).sum()
    n_prop = data.seen.shape[0]
    forecast, covered, total = np.empty(n_prop), np.zeros((n_prop, len(check_regions)), dtype=bool), 0.0
    truth_logit = special.logit(data.truth)
    for p in range(n_prop):
        eta = levels[:, None, None] + data.lean[None, :, None] + cell_sd[None, :, None] * z[None, None, :]
        log_lik = -(data.agree[p][None, :, None] * np.logaddexp(0, -eta)
                    + (data.seen[p] - data.agree[p])[None, :, None] * np.logaddexp(0, eta))
        top = log_lik.max(axis=2, keepdims=True)
        lik = np.exp(log_lik - top) * z_weight  # (levels, regions, z)
        marginal = lik.sum(axis=2)
        above = (lik * (eta > 0)).sum(axis=2) / marginal
        log_weight = log_prior + (np.log(marginal) + top[..., 0]).sum(axis=1)
        peak = log_weight.max()
        weight = np.exp(log_weight - peak)
        # the level's prior is a density on an even grid: its step turns the sum into the integral
        total += float(peak + np.log(weight.sum() * (levels[1] - levels[0])))
        weight /= weight.sum()
        forecast[p] = (weight * np.prod(above, axis=1)).sum()
        for j, region in enumerate(check_regions):
            # the cell's posterior over (level, z): its log-odds values and their weights, then the 95% interval
            mass = (weight[:, None] * lik[:, region, :] / marginal[:, region][:, None]).ravel()
            values = eta[:, region, :].ravel()
            order = np.argsort(values)
            cumulative = np.cumsum(mass[order])
            low = values[order][np.searchsorted(cumulative, 0.025)]
            high = values[order][min(np.searchsorted(cumulative, 0.975), values.size - 1)]
            covered[p, j] = low <= truth_logit[p, region] <= high
    return forecast, total, covered


def simulate(shape: str, median_votes: int, seed: int) -> Consultation:
    rng = np.random.default_rng(seed)
    probability, mix, shift, (lean, cell_sd) = _agree_probability(shape, rng)
    shares = member_shares(shape)
    n_reg = len(CODES)
    # members needed for the median cell to hold `median_votes`: a cell of region r expects
    # members * VOTES_EACH * shares[r] / N_PROPOSALS votes
    n_members = int(np.ceil(median_votes * N_PROPOSALS / (VOTES_EACH * np.median(shares))))
    region = rng.choice(n_reg, n_members, p=shares)
    group = np.array([rng.choice(mix.shape[1], p=mix[r]) for r in region])
    chosen = np.argsort(rng.random((n_members, N_PROPOSALS)), axis=1)[:, :VOTES_EACH]
    member_region = np.repeat(region, VOTES_EACH)
    proposal = chosen.ravel()
    agrees = rng.random(proposal.size) < probability[proposal, member_region, np.repeat(group, VOTES_EACH)]
    seen = np.zeros((N_PROPOSALS, n_reg))
    agree = np.zeros_like(seen)
    np.add.at(seen, (proposal, member_region), 1.0)
    np.add.at(agree, (proposal, member_region), agrees.astype(float))
    truth = (probability * mix[None, :, :]).sum(axis=2)
    return Consultation(agree, seen, truth, shift != 0, shift, lean, cell_sd)


def methods() -> dict[str, Callable[[np.ndarray, np.ndarray, int], tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """name -> fit(agree, seen, seed) -> (lower, upper, probability of a majority in all regions, ranking score,
    estimate, probability of a majority in each region)."""

    def pooled(agree, seen, seed):
        model = HierarchicalRegionalModel(random_state=seed).fit(agree, seen)
        low, high = model.interval()
        draws = model.draw(400)
        return (low, high, (draws > 0.5).all(axis=2).mean(axis=0), draws.min(axis=2).mean(axis=0), model.estimate(),
                (draws > 0.5).mean(axis=0))

    def mixture(agree, seen, seed, n_factors=2):
        model = ScaleMixtureRegionalModel(n_factors=n_factors, random_state=seed).fit(agree, seen)
        low, high = model.interval()
        each = np.column_stack([model.prob_above(0.5, np.array([r])) for r in range(agree.shape[1])])
        return low, high, model.prob_above(0.5), model.draw(400).min(axis=2).mean(axis=0), model.estimate(), each

    def mixture_without_factors(agree, seen, seed):
        return mixture(agree, seen, seed, n_factors=0)

    def empirical_bayes(agree, seen, seed):
        model = EmpiricalBayesRegional().fit(agree, seen)
        low, high = model.interval()
        each = stats.beta.sf(0.5, model.alpha_, model.beta_)
        return low, high, model.prob_above(0.5), model.prob_above(0.5), model.estimate(), each

    def wilson(agree, seen, seed):
        low, high = wilson_interval(agree, seen)
        return (low, high, np.full(agree.shape[0], np.nan), low.min(axis=1), agree / np.maximum(seen, 1),
                np.full(agree.shape, np.nan))

    return {"pooled model": pooled, "scale mixture": mixture, "mixture, no factors": mixture_without_factors,
            "empirical Bayes": empirical_bayes, "Wilson per region": wilson}


def evaluate(seeds: int, shapes: tuple[str, ...] = SHAPES, densities: tuple[int, ...] = DENSITIES) -> dict:
    """{(shape, density, method): {"coverage": (seeds, R), "width": (seeds, R), "forecast": [...], "came_true": [...]}}"""
    results: dict = {}
    for shape in shapes:
        for density in densities:
            for seed in range(seeds):
                data = simulate(shape, density, seed)
                truly_all = (data.truth > 0.5).all(axis=1)
                best = true_model_forecast(data)
                if best is not None:
                    ceiling = results.setdefault((shape, density, "true model"), {"forecast": [], "came_true": []})
                    ceiling["forecast"].append(best)
                    ceiling["came_true"].append(truly_all)
                for name, fit in methods().items():
                    low, high, prob_all, ranking, estimate, prob_each = fit(data.agree, data.seen, seed)
                    found = results.setdefault((shape, density, name), {"coverage": [], "width": [], "forecast": [],
                                                                         "came_true": [], "median": [],
                                                                         "planted": [], "top20": [], "ideal": [],
                                                                         "shown": [], "each_forecast": [],
                                                                         "each_true": [], "firm": []})
                    found["coverage"].append(((low <= data.truth) & (data.truth <= high)).mean(axis=0))
                    found["width"].append((high - low).mean(axis=0))
                    found["forecast"].append(prob_all)
                    found["came_true"].append(truly_all)
                    found["firm"].append(figures.all_regions_firm((data.seen >= figures.OWN_VOTES).sum(axis=1), len(CODES)))
                    found["each_forecast"].append(prob_each.ravel())
                    found["each_true"].append((data.truth > 0.5).ravel())
                    found["median"].append(float(np.median(data.seen)))
                    weakest = data.truth.min(axis=1)
                    found["top20"].append(float(weakest[np.argsort(-ranking, kind="stable")[:20]].mean()))
                    found["ideal"].append(float(np.sort(weakest)[-20:].mean()))
                    if data.planted.any():
                        covered = (low <= data.truth) & (data.truth <= high)
                        found["planted"].append(float(covered[data.planted].mean()))
                        before = data.truth - data.shift
                        shown = (estimate - before)[data.planted] / data.shift[data.planted]
                        found["shown"].append(float(shown.mean()))
    return results


def reliability(forecast: np.ndarray, came_true: np.ndarray,
                min_count: int = 30) -> tuple[list[tuple], float, float]:
    """Rows (bin, count, mean forecast, share that came true); the largest gap over bins with min_count+ and twice
    the binomial standard error of the share in that bin."""
    rows, worst, noise = [], 0.0, 0.0
    which = np.digitize(forecast, FORECAST_BINS) - 1
    for b in range(len(FORECAST_BINS) - 1):
        inside = which == b
        if not inside.any():
            continue
        mean_forecast, observed = float(forecast[inside].mean()), float(came_true[inside].mean())
        rows.append((f"{FORECAST_BINS[b]:.2f}-{min(FORECAST_BINS[b + 1], 1.0):.2f}", int(inside.sum()),
                     mean_forecast, observed))
        if inside.sum() >= min_count and abs(mean_forecast - observed) > worst:
            worst = abs(mean_forecast - observed)
            noise = 2 * np.sqrt(max(mean_forecast * (1 - mean_forecast), 1e-4) / inside.sum())
    return rows, worst, noise


def _print_gaps(results: dict, shapes: tuple[str, ...], densities: tuple[int, ...], names: list[str],
                forecast: str, outcome: str) -> None:
    for shape in shapes:
        for density in densities:
            cells = []
            for name in [*names, "true model"]:
                found = results.get((shape, density, name))
                if found is None or forecast not in found:
                    continue
                predicted, happened = np.concatenate(found[forecast]), np.concatenate(found[outcome])
                _, gap, noise = reliability(predicted, happened)
                brier = float(np.mean((predicted - happened) ** 2))
                cells.append(f"{name} {gap:.3f} ({noise:.3f}; Brier {brier:.4f})")
            print(f"  {shape}, median {density}: " + ", ".join(cells))


def report(seeds: int, shapes: tuple[str, ...] = SHAPES, densities: tuple[int, ...] = DENSITIES) -> dict:
    from benchmarks.common import row

    results = evaluate(seeds, shapes, densities)
    names = [name for name in methods()]
    short = regions.region_names()
    print(f"\nper-region 95% coverage over {seeds} seeds: mean (worst seed); member-level simulation, "
          f"{N_PROPOSALS} proposals, {VOTES_EACH} votes a member")
    for shape in shapes:
        for density in densities:
            median = np.mean(results[(shape, density, names[0])]["median"])
            print(f"\n{shape}, median {median:.0f} votes per cell")
            print(row("  method", "all", "worst region", "worst seed", "width", "x Wilson", widths=(22, 7, 34, 11, 7, 9)))
            wilson_width = np.mean(results[(shape, density, "Wilson per region")]["width"])
            for name in names:
                found = results[(shape, density, name)]
                coverage = np.array(found["coverage"])  # (seeds, R)
                by_region = coverage.mean(axis=0)
                worst = int(by_region.argmin())
                width = float(np.mean(found["width"]))
                print(row(f"  {name}", f"{coverage.mean():.3f}", f"{short[CODES[worst]]} {by_region[worst]:.3f}",
                          f"{coverage.min():.3f}", f"{width:.3f}", f"{width / wilson_width:.2f}x",
                          widths=(22, 7, 34, 11, 7, 9)))
            if shape == "sparse large":
                print("  the planted cells' own coverage (mean, worst seed): " + ", ".join(
                    f"{name} {np.mean(results[(shape, density, name)]['planted']):.3f} "
                    f"({np.min(results[(shape, density, name)]['planted']):.3f})" for name in names))
                print("  share of the planted 30 points the estimate shows: " + ", ".join(
                    f"{name} {np.mean(results[(shape, density, name)]['shown']):.2f}" for name in names))
    print("\nprobability of a majority in all 12 regions: the largest gap between forecast and outcome over bins "
          "of 30+ proposals (beside it, twice that bin's binomial standard error: a gap inside it may be noise, and "
          "the Brier score); 'true model' is the exact forecast of the model that made the data, with its true "
          "settings (where the truth has that form): the gap sampling noise alone leaves")
    forecasters = [name for name in names if name != "Wilson per region"]
    _print_gaps(results, shapes, densities, forecasters, "forecast", "came_true")
    print("\nthe same for the probability of a majority in each region on its own (every proposal-region cell): "
          "where these are small and the all-12 gaps large, each region's chance is right and what is missing is "
          "how regions move together")
    _print_gaps(results, shapes, densities, forecasters, "each_forecast", "each_true")
    print("\nreliability of the scale mixture's forecast, all scenarios and densities together: bin, proposals, "
          "mean forecast, share that came true")
    forecast = np.concatenate([np.concatenate(results[(s, d, "scale mixture")]["forecast"])
                               for s in shapes for d in densities])
    came_true = np.concatenate([np.concatenate(results[(s, d, "scale mixture")]["came_true"])
                                for s in shapes for d in densities])
    for bin_name, count, mean_forecast, observed in reliability(forecast, came_true)[0]:
        print(f"  {bin_name}: {count:6d} {mean_forecast:.3f} {observed:.3f}")
    firm = np.concatenate([np.concatenate(results[(s, d, "scale mixture")]["firm"]) for s in shapes for d in densities])
    print(f"\nthe same split where the product calls the figure firm (at least half the regions with {figures.OWN_VOTES}+ votes "
          "on the proposal, `consult.text.figures.all_regions_firm`) and where it says the figure is rough: "
          "largest gap (2 s.e.) and the bins")
    for name, chosen in (("firm", firm), ("rough", ~firm)):
        if not chosen.any():
            continue
        rows, gap, noise = reliability(forecast[chosen], came_true[chosen])
        print(f"  {name}: {chosen.sum()} proposals, largest gap {gap:.3f} ({noise:.3f}); " + "; ".join(
            f"{bin_name} {mean_forecast:.2f} -> {observed:.2f} ({count})" for bin_name, count, mean_forecast, observed
            in rows))
    print("\ntrue weakest-region support of the top 20 (ranked by expected weakest-region support; empirical Bayes "
          "by its probability of a majority everywhere; Wilson by the lowest lower bound), mean over seeds")
    for shape in shapes:
        for density in densities:
            ideal = np.mean(results[(shape, density, names[0])]["ideal"])
            print(f"  {shape}, median {density}: " + ", ".join(
                f"{name} {np.mean(results[(shape, density, name)]['top20']):.3f}" for name in names)
                + f" (best possible {ideal:.3f})")
    return results


def simulate_selective(median_votes: int, seed: int, london_answers: tuple[float, float] = (0.9, 0.45),
                       others_answer: float = 0.8):
    """Member-level truth in the model's form, where London's members (over-represented 2.4x) answer a card they
    would agree with with probability 0.9 and any other with 0.45; everyone else answers 80% of cards whatever
    they think. Returns the cell counts of the answers, the truth, and the shown and votes frames."""
    import pandas as pd

    rng = np.random.default_rng([seed, 11])
    probability, _, _, _ = _agree_probability("model form", rng)
    shares = member_shares("model form")
    n_members = int(np.ceil(median_votes * N_PROPOSALS / (VOTES_EACH * others_answer * np.median(shares))))
    region = rng.choice(len(CODES), n_members, p=shares)
    chosen = np.argsort(rng.random((n_members, N_PROPOSALS)), axis=1)[:, :VOTES_EACH]
    member = np.repeat(np.arange(n_members), VOTES_EACH)
    member_region, proposal = region[member], chosen.ravel()
    would_agree = rng.random(proposal.size) < probability[proposal, member_region, 0]
    answer_rate = np.where(member_region == LONDON, np.where(would_agree, *london_answers), others_answer)
    answered = rng.random(proposal.size) < answer_rate
    value = np.where(would_agree, 1, rng.choice([-1, 0], proposal.size, p=[0.85, 0.15]))
    codes = np.array(CODES)
    shown = pd.DataFrame({"participant_id": member, "proposal_id": proposal, "region": codes[member_region]})
    votes = shown[answered].assign(value=value[answered])
    seen = np.zeros((N_PROPOSALS, len(CODES)))
    agree = np.zeros_like(seen)
    np.add.at(seen, (proposal[answered], member_region[answered]), 1.0)
    np.add.at(agree, (proposal[answered], member_region[answered]), (value[answered] == 1).astype(float))
    return Consultation(agree, seen, probability[:, :, 0], np.zeros(seen.shape, dtype=bool), np.zeros(seen.shape)), \
        shown, votes


def selection_report(seeds: int, densities: tuple[int, ...] = DENSITIES) -> None:
    """Selective answering in London: the selection check's estimate beside the truth, how often it flags London
    and (falsely) any other region, and London's coverage under the regional model, which the check warns about."""
    from consult.support.selection import SelectionCheck

    print("\nselective answering (London over-represented 2.4x; its members answer 90% of cards they would agree "
          "with, 45% of the others; elsewhere 80% of every card)")
    for density in densities:
        found: dict[str, list] = {}
        for seed in range(seeds):
            data, shown, votes = simulate_selective(density, seed)
            check = SelectionCheck(random_state=seed).fit(shown, votes).regions_.set_index("region")
            london = check.loc[CODES[LONDON]]
            # the truth: London's share among every card shown to its members, against among those answered
            cards = shown["region"] == CODES[LONDON]
            truth_shown = float(data.truth[shown.loc[cards, "proposal_id"], LONDON].mean())
            found.setdefault("true inflation", []).append(float(london["answered_share"]) - truth_shown)
            found.setdefault("estimated", []).append(float(london["inflation"]))
            found.setdefault("ratio", []).append(float(london["answer_ratio"]))
            found.setdefault("london flagged", []).append(bool(london["may_be_inflated"]))
            others = check.drop(index=CODES[LONDON])
            found.setdefault("other flagged", []).append(int(others["may_be_inflated"].sum()))
            model = ScaleMixtureRegionalModel(random_state=seed).fit(data.agree, data.seen)
            low, high = model.interval()
            covered = (low <= data.truth) & (data.truth <= high)
            found.setdefault("london coverage", []).append(float(covered[:, LONDON].mean()))
            found.setdefault("others coverage", []).append(float(np.delete(covered, LONDON, axis=1).mean()))
        print(f"  median {density} answers per cell: London's agree share raised {np.mean(found['true inflation']):.3f}"
              f" (estimated {np.mean(found['estimated']):.3f}; answer ratio 2.00, estimated "
              f"{np.mean(found['ratio']):.2f}); London flagged in {np.mean(found['london flagged']):.0%} of runs, "
              f"another region in {np.mean(np.array(found['other flagged']) > 0):.0%}; the model's 95% coverage "
              f"London {np.mean(found['london coverage']):.3f} (worst {np.min(found['london coverage']):.3f}), "
              f"elsewhere {np.mean(found['others coverage']):.3f}")
    false_flags = []
    for density in densities:
        for seed in range(seeds):
            _, shown, votes = simulate_selective(density, seed, london_answers=(0.8, 0.8))
            false_flags.append(bool(SelectionCheck(random_state=seed).fit(shown, votes).regions_["may_be_inflated"]
                                    .any()))
    print(f"  with no selective answering anywhere: any region flagged in {np.mean(false_flags):.0%} of "
          f"{len(false_flags)} runs")
