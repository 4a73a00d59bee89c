"""Support for proposals overall and by region: Wilson intervals, post-stratified support, cross-region consensus.

Input everywhere is the current-votes frame from `storage.votes_frame`: participant_id, proposal_id, value
(+1 agree, -1 disagree, 0 pass) and region (the voter's). "Support" is the share of voters who agree,
agree / (agree + disagree + pass); "net support" is (agree - disagree) / votes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from consult import regions

Z95 = 1.959963984540054


def wilson_interval(successes: np.ndarray | float, n: np.ndarray | float, z: float = Z95) -> tuple:
    """Wilson score interval for a proportion; (0, 1) where n is 0."""
    successes = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    safe_n = np.where(n > 0, n, 1.0)
    p = np.clip(successes / safe_n, 0.0, 1.0)
    denom = 1.0 + z**2 / safe_n
    centre = (p + z**2 / (2 * safe_n)) / denom
    half = z * np.sqrt(p * (1 - p) / safe_n + z**2 / (4 * safe_n**2)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), 0.0)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), 1.0)
    return low, high


def _tally(votes: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    value = votes["value"].to_numpy()
    frame = votes[by].assign(agree=(value == 1).astype("int64"), disagree=(value == -1).astype("int64"),
                             passes=(value == 0).astype("int64"))
    out = frame.groupby(by, sort=True)[["agree", "disagree", "passes"]].sum()
    out["votes"] = out["agree"] + out["disagree"] + out["passes"]
    return out


def _with_shares(table: pd.DataFrame) -> pd.DataFrame:
    n = table["votes"].to_numpy()
    safe = np.where(n > 0, n, 1)
    table["support"] = np.where(n > 0, table["agree"] / safe, np.nan)
    table["support_low"], table["support_high"] = wilson_interval(table["agree"].to_numpy(), n)
    table["net_support"] = np.where(n > 0, (table["agree"] - table["disagree"]) / safe, np.nan)
    table["pass_rate"] = np.where(n > 0, table["passes"] / safe, np.nan)
    return table


def support_table(votes: pd.DataFrame) -> pd.DataFrame:
    """Per proposal: agree, disagree, passes, votes, support with its Wilson 95% interval, net support, pass rate."""
    if votes.empty:
        columns = ["agree", "disagree", "passes", "votes", "support", "support_low", "support_high",
                   "net_support", "pass_rate"]
        return pd.DataFrame(columns=columns, index=pd.Index([], name="proposal_id"))
    return _with_shares(_tally(votes, ["proposal_id"]))


def regional_support(votes: pd.DataFrame, *, min_votes: int = 10) -> pd.DataFrame:
    """Per proposal and voter region: the support columns plus `too_few` where fewer than `min_votes` voted.

    Cells with too few votes keep their counts (for the analyst) but their shares are blanked, so a chart or
    report built from this table cannot show a figure about a handful of identifiable people.
    """
    if votes.empty:
        return support_table(votes).assign(region=pd.Series(dtype=str), too_few=pd.Series(dtype=bool))
    table = _with_shares(_tally(votes, ["proposal_id", "region"])).reset_index()
    table["too_few"] = table["votes"] < min_votes
    for column in ("support", "support_low", "support_high", "net_support", "pass_rate"):
        table.loc[table["too_few"], column] = np.nan
    return table


#: a region's participation ratio is an estimate worth showing once this many participants are expected there
#: (the usual floor for a chi-square cell): at the start of a session "0 of an expected 0.3" says nothing
MIN_EXPECTED = 5.0


def representativeness(participants: pd.DataFrame, baseline: pd.Series) -> tuple[pd.DataFrame, dict]:
    """Each region's share of participants against its baseline share, and a chi-square test of fit.

    `participants` needs a `region` column; `baseline` maps the 12 region codes to counts. Participants outside
    the UK or who did not say are reported but left out of the shares and the test. `ratio` is missing where the
    baseline share is 0 or fewer than `MIN_EXPECTED` participants are expected.
    """
    baseline = baseline.reindex(regions.region_codes()).fillna(0.0).astype(float)
    counts = participants["region"].value_counts().reindex(regions.region_codes(), fill_value=0)
    total = int(counts.sum())
    baseline_share = baseline / baseline.sum() if baseline.sum() > 0 else baseline
    sample_share = counts / total if total else counts.astype(float)
    frame = pd.DataFrame({
        "region": regions.region_codes(),
        "name": [regions.region_name(c) for c in regions.region_codes()],
        "participants": counts.to_numpy(),
        "sample_share": sample_share.to_numpy(),
        "baseline_share": baseline_share.to_numpy(),
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["ratio"] = np.where(frame["baseline_share"] > 0, frame["sample_share"] / frame["baseline_share"], np.nan)
    frame["expected"] = baseline_share.to_numpy() * total
    frame.loc[frame["expected"] < MIN_EXPECTED, "ratio"] = np.nan
    frame["share_low"], frame["share_high"] = wilson_interval(frame["participants"].to_numpy(), total)
    test = {"participants_in_uk_regions": total,
            "not_in_a_region": int((~participants["region"].isin(regions.region_codes())).sum()),
            "chi2": float("nan"), "dof": 0, "p_value": float("nan")}
    usable = frame["baseline_share"] > 0
    if total > 0 and usable.sum() >= 2:
        result = stats.chisquare(frame.loc[usable, "participants"], frame.loc[usable, "expected"])
        test.update(chi2=float(result.statistic), dof=int(usable.sum() - 1), p_value=float(result.pvalue))
    return frame, test


def most_and_least_represented(table: pd.DataFrame) -> tuple[pd.Series, pd.Series] | None:
    """The regions furthest above and below their baseline share (`representativeness` rows, after any
    suppression: a `suppressed` column, when present, leaves those regions out); None when none can be shown."""
    shown = table[table["ratio"].notna()]
    if "suppressed" in shown:
        shown = shown[~shown["suppressed"].astype(bool)]
    if shown.empty:
        return None
    return shown.loc[shown["ratio"].idxmax()], shown.loc[shown["ratio"].idxmin()]


def hidden_under_represented(table: pd.DataFrame) -> pd.DataFrame:
    """Regions whose counts are suppressed but whose largest possible ratio (`ratio_at_most`, from
    `suppression.participation_table`) is below the lowest ratio shown: they are more under-represented than any
    region that can be shown, and a headline must name them. Most under-represented first."""
    if "ratio_at_most" not in table:
        return table.iloc[0:0]
    shown = table.loc[table["ratio"].notna() & ~table["suppressed"].astype(bool), "ratio"]
    lowest = shown.min() if len(shown) else np.inf
    hidden = table[table["suppressed"].astype(bool) & table["ratio_at_most"].notna()
                   & (table["ratio_at_most"] < lowest)]
    return hidden.sort_values("ratio_at_most", kind="stable")


def hidden_under_represented_words(hidden: pd.DataFrame) -> str:
    """'North East (at most 0.5 times its share) and Northern Ireland (at most 0.3 times its share)'."""
    parts = [f"{row.name} (too few taking part to show: at most {row.ratio_at_most:.1f} times its share)"
             for row in hidden.itertuples()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def participant_weights(participants: pd.DataFrame, baseline: pd.Series) -> pd.Series:
    """Post-stratification weight per participant: (baseline share of their region) / (sample share of it).

    `participants` needs `participant_id` (or the index) and `region`. People outside the 12 regions, or in a
    region with no baseline, get weight 0: they cannot be weighted to the population.
    """
    frame = participants.set_index("participant_id") if "participant_id" in participants else participants
    shares = baseline.reindex(regions.region_codes()).fillna(0.0)
    shares = shares / shares.sum() if shares.sum() > 0 else shares
    weighted_regions = frame["region"].where(frame["region"].isin(shares.index[shares > 0]))
    sample = weighted_regions.value_counts(normalize=True)
    weight = (weighted_regions.map(shares) / weighted_regions.map(sample)).fillna(0.0)
    return weight.rename("weight")


def weighted_support(votes: pd.DataFrame, baseline: pd.Series,
                     participants: pd.DataFrame | None = None) -> pd.DataFrame:
    """Support post-stratified by region to the baseline, beside the raw figure, with the effective sample size.

    Each participant carries the weight from `participant_weights`, computed over `participants` (default: the
    voters in `votes`); weighted support is the weighted share of a proposal's voters who agree, and
    n_eff = (sum w)^2 / sum w^2 over those voters. Voters outside the 12 regions count in the raw figure only.
    """
    raw = support_table(votes)
    out = pd.DataFrame(index=raw.index)
    out["raw_support"] = raw["support"]
    out["raw_low"], out["raw_high"] = raw["support_low"], raw["support_high"]
    out["votes"] = raw["votes"]
    if votes.empty:
        for column in ("weighted_support", "weighted_low", "weighted_high", "n_eff", "weighted_voters",
                       "difference"):
            out[column] = pd.Series(dtype=float)
        return out
    people = participants if participants is not None else (
        votes.drop_duplicates("participant_id")[["participant_id", "region"]]
    )
    weights = participant_weights(people, baseline)
    w = votes["participant_id"].map(weights).fillna(0.0).to_numpy()
    frame = pd.DataFrame({"proposal_id": votes["proposal_id"].to_numpy(), "w": w, "w2": w**2,
                          "w_agree": w * (votes["value"].to_numpy() == 1), "counted": w > 0})
    agg = frame.groupby("proposal_id").agg(w=("w", "sum"), w2=("w2", "sum"), w_agree=("w_agree", "sum"),
                                           weighted_voters=("counted", "sum"))
    positive = agg["w"] > 0
    agg["weighted_support"] = np.where(positive, agg["w_agree"] / agg["w"].where(positive, 1), np.nan)
    agg["n_eff"] = np.where(positive, agg["w"] ** 2 / agg["w2"].where(positive, 1), 0.0)
    low, high = wilson_interval(np.nan_to_num(agg["weighted_support"].to_numpy()) * agg["n_eff"].to_numpy(),
                                agg["n_eff"].to_numpy())
    agg["weighted_low"], agg["weighted_high"] = np.where(positive, low, np.nan), np.where(positive, high, np.nan)
    out = out.join(agg[["weighted_support", "weighted_low", "weighted_high", "n_eff", "weighted_voters"]])
    out["weighted_voters"] = out["weighted_voters"].astype("int64")
    out["difference"] = out["weighted_support"] - out["raw_support"]
    return out


def cross_region_consensus(votes: pd.DataFrame, *, min_votes: int = 10) -> pd.DataFrame:
    """How far each proposal is supported in every region, not just in total.

    Columns: `gic`, the product over regions of (agree + 1) / (votes + 2) (Polis's group-informed consensus with
    regions as the groups, over the 12 regions, so a region with no votes contributes 1/2); `consensus`, its
    geometric mean (0–1, comparable between proposals); `weakest_region` and `weakest_support` among regions
    with at least `min_votes` votes; `divisiveness`, the standard deviation of support across those regions;
    `regions_counted` and `regions_too_few`, how many regions had enough votes and how many did not.
    """
    codes = regions.region_codes()
    in_region = votes[votes["region"].isin(codes)]
    proposals = pd.Index(sorted(votes["proposal_id"].unique()), name="proposal_id")
    if in_region.empty:
        return pd.DataFrame({"gic": 0.5 ** len(codes), "consensus": 0.5, "weakest_region": None,
                             "weakest_support": np.nan, "divisiveness": np.nan, "regions_counted": 0,
                             "regions_too_few": len(codes)}, index=proposals)
    cells = _tally(in_region, ["proposal_id", "region"])
    agree = cells["agree"].unstack(fill_value=0).reindex(index=proposals, columns=codes, fill_value=0)
    seen = cells["votes"].unstack(fill_value=0).reindex(index=proposals, columns=codes, fill_value=0)
    smoothed = (agree + 1) / (seen + 2)
    log_gic = np.log(smoothed.to_numpy()).sum(axis=1)
    enough = seen >= min_votes
    support = (agree / seen.where(seen > 0)).where(enough)
    out = pd.DataFrame(index=proposals)
    out["gic"] = np.exp(log_gic)
    out["consensus"] = np.exp(log_gic / len(codes))
    counted = enough.sum(axis=1)
    out["weakest_support"] = support.min(axis=1)
    weakest = support.fillna(np.inf).to_numpy().argmin(axis=1)
    out["weakest_region"] = np.where(counted > 0, np.array(codes, dtype=object)[weakest], None)
    out["divisiveness"] = support.std(axis=1, ddof=0).where(counted >= 2)
    out["regions_counted"] = counted.astype("int64")
    out["regions_too_few"] = (len(codes) - counted).astype("int64")
    return out


def votes_to_detect(difference: float = 0.10, *, share: float = 0.5, power: float = 0.8, alpha: float = 0.05) -> int:
    """Votes a region needs on a proposal for a `difference` between its share and the (much larger) rest of the
    UK's to be told from chance with this power at this two-sided level: n = (z_{1-a/2} + z_power)^2 p(1-p) / d^2
    (about 200 for 10 points near an even split)."""
    from scipy.stats import norm

    z = norm.ppf(1 - alpha / 2) + norm.ppf(power)
    return int(np.ceil(z ** 2 * share * (1 - share) / difference ** 2))


def votes_per_region_cell(votes: pd.DataFrame) -> float:
    """The median number of votes a proposal has from one UK region (over every proposal and region with votes
    on that proposal at all, regions without any counting as 0): how densely regions have voted."""
    if votes.empty:
        return 0.0
    uk = votes[votes["region"].isin(regions.region_codes())]
    cells = uk.groupby(["proposal_id", "region"]).size().unstack(fill_value=0)
    cells = cells.reindex(columns=regions.region_codes(), fill_value=0)
    return float(np.median(cells.to_numpy())) if cells.size else 0.0
