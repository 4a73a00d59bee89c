"""What a question's answers show: the share choosing each answer overall (Wilson interval, and weighted to the
baseline), by region (the same pooled regional estimates as proposals: `consult.support.pooled`), across any
grouping (local party, opinion group), and for numbers the median and mean.

Every choice-like answer is turned into yes/no per respondent and answer label ("chose Agree", "ranked Tax powers
first"); that is the shape proposals' votes have (+1 / -1), so one regional model serves both. For the agree
scale there is one more label, `AGREEING_LABEL` (agree or strongly agree), the headline "share agreeing".

`answers`: participant_id, answer (stored text, see `kinds`), region, and any grouping columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from consult.questions.kinds import AGREE_SCALE, AGREEING, QuestionSpec, decode_answer
from consult.support.direct import weighted_support, wilson_interval
from consult.support.pooled import RegionalSupport

AGREEING_LABEL = "Agree or strongly agree"


def answer_labels(spec: QuestionSpec) -> list[str]:
    """The labels results are given for, in order (the agree scale's five points, then `AGREEING_LABEL`)."""
    if spec.kind == "agree_scale":
        return [*AGREE_SCALE, AGREEING_LABEL]
    return list(spec.options) if spec.kind in ("single", "multiple", "ranking") else []


def _chosen_positions(spec: QuestionSpec, stored: str) -> set[int]:
    value = decode_answer(spec, stored)
    if spec.kind == "agree_scale":
        return {value - 1} | ({len(AGREE_SCALE)} if value in AGREEING else set())
    if spec.kind == "single":
        return {value}
    if spec.kind == "multiple":
        return set(value)
    return {value[0]} if value else set()  # ranking: the option ranked first


def indicators(spec: QuestionSpec, answers: pd.DataFrame) -> pd.DataFrame:
    """One row per respondent and answer label: participant_id, region, label_position, value (+1 chose, -1 did
    not), the shape of proposals' votes (label_position in the place of proposal_id)."""
    labels = answer_labels(spec)
    if not labels or answers.empty:
        return pd.DataFrame({"participant_id": pd.Series(dtype="int64"), "proposal_id": pd.Series(dtype="int64"),
                             "value": pd.Series(dtype="int64"), "region": pd.Series(dtype=object)})
    chosen = [_chosen_positions(spec, stored) for stored in answers["answer"]]
    count = len(labels)
    matrix = np.full((len(answers), count), -1, dtype="int64")
    for row, positions in enumerate(chosen):
        matrix[row, list(positions)] = 1
    return pd.DataFrame({
        "participant_id": np.repeat(answers["participant_id"].to_numpy(), count),
        "proposal_id": np.tile(np.arange(count), len(answers)),
        "value": matrix.ravel(),
        "region": np.repeat(answers["region"].to_numpy(), count),
    })


def counts(spec: QuestionSpec, answers: pd.DataFrame) -> pd.DataFrame:
    """The room's plain count (the live poll): per answer label, chosen and share of those answering. No weighting
    and no interval: what a room sees of itself."""
    labels = answer_labels(spec)
    chosen = np.zeros(len(labels), dtype=int)
    for stored in answers["answer"]:
        for position in _chosen_positions(spec, stored):
            chosen[position] += 1
    respondents = len(answers)
    return pd.DataFrame({"label": labels, "chosen": chosen,
                         "share": chosen / respondents if respondents else np.zeros(len(labels))})


def overall(spec: QuestionSpec, answers: pd.DataFrame, baseline: pd.Series) -> pd.DataFrame:
    """Per answer label: respondents, chosen, share with its Wilson 95% interval, and the share weighted to the
    baseline by region (post-stratified, with its interval on the effective sample size)."""
    labels = answer_labels(spec)
    votes = indicators(spec, answers)
    table = weighted_support(votes, baseline).reindex(range(len(labels)))
    chosen = votes[votes["value"] == 1].groupby("proposal_id").size().reindex(range(len(labels)), fill_value=0)
    respondents = len(answers)
    low, high = wilson_interval(chosen.to_numpy(), np.full(len(labels), respondents))
    return pd.DataFrame({
        "label": labels, "respondents": respondents, "chosen": chosen.to_numpy(),
        "share": chosen.to_numpy() / respondents if respondents else np.nan,
        "lower": low if respondents else np.nan, "upper": high if respondents else np.nan,
        "weighted": table["weighted_support"].to_numpy(), "weighted_lower": table["weighted_low"].to_numpy(),
        "weighted_upper": table["weighted_high"].to_numpy(),
    })


def by_region(spec: QuestionSpec, answers: pd.DataFrame, baseline: pd.Series | None = None, *, min_cell: int = 10,
              random_state: int = 0) -> pd.DataFrame:
    """Per answer label and region (the 12): n respondents there, chosen, the pooled estimate of the share with
    its 95% interval, and `leans_on_pooling` where fewer than `min_cell` answered (the estimate borrows from the
    other regions; the counts are suppressed when published)."""
    labels = answer_labels(spec)
    votes = indicators(spec, answers)
    model = RegionalSupport(baseline=baseline, min_cell=min_cell, random_state=random_state).fit(votes)
    cells = model.regions_.rename(columns={"proposal_id": "label_position", "agree": "chosen"})
    if cells.empty:
        return pd.DataFrame(columns=["label", "region", "n", "chosen", "estimate", "lower", "upper",
                                     "leans_on_pooling"])
    cells.insert(0, "label", [labels[int(p)] for p in cells["label_position"]])
    return cells.drop(columns=["label_position"]).reset_index(drop=True)


def crosstab(spec: QuestionSpec, answers: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts of each answer label within each value of `by` (region, local_party, group): `by`, label,
    respondents (in that group), chosen, share. Not suppressed: what leaves the system goes through publishing."""
    labels = answer_labels(spec)
    votes = indicators(spec, answers)
    if votes.empty:
        return pd.DataFrame(columns=[by, "label", "respondents", "chosen", "share"])
    group_of = answers.set_index("participant_id")[by]
    votes = votes.assign(group=votes["participant_id"].map(group_of), chose=votes["value"] == 1)
    votes = votes[votes["group"].notna()]
    table = votes.groupby(["group", "proposal_id"]).agg(respondents=("chose", "size"), chosen=("chose", "sum"))
    table = table.reset_index().rename(columns={"group": by})
    table.insert(1, "label", [labels[int(p)] for p in table.pop("proposal_id")])
    table["chosen"] = table["chosen"].astype("int64")
    table["share"] = table["chosen"] / table["respondents"]
    return table


def number_summary(answers: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """For a number question: n, mean with its 95% t interval, median and quartiles; overall, or per `by`."""
    values = pd.to_numeric(answers["answer"], errors="coerce")
    frame = answers.assign(value=values).dropna(subset=["value"])
    groups = [("All", frame)] if by is None else list(frame.groupby(by, sort=True))
    rows = []
    for name, part in groups:
        x = part["value"].to_numpy(dtype=float)
        n = len(x)
        mean = float(x.mean()) if n else np.nan
        half = (float(stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / np.sqrt(n)) if n >= 2 else np.nan)
        rows.append({by or "group": name, "n": n, "mean": mean, "lower": mean - half, "upper": mean + half,
                     "median": float(np.median(x)) if n else np.nan,
                     "q1": float(np.quantile(x, 0.25)) if n else np.nan,
                     "q3": float(np.quantile(x, 0.75)) if n else np.nan})
    return pd.DataFrame(rows)


def rankings(spec: QuestionSpec, answers: pd.DataFrame) -> list[list[int]]:
    """Each respondent's ranking (option positions, first preference first), for the preferential count."""
    return [decode_answer(spec, stored) for stored in answers["answer"]]


def borda_points(spec: QuestionSpec, answers: pd.DataFrame) -> pd.DataFrame:
    """Borda points per option: with m options, a first preference earns m - 1, the next m - 2 and so on;
    unranked options earn nothing (the "modified Borda" reading of partial rankings). Beside the preferential
    count as a second view: Borda rewards broad second-choice support that instant-runoff does not see."""
    count = len(spec.options)
    points = np.zeros(count)
    first = np.zeros(count, dtype=int)
    for ranking in rankings(spec, answers):
        for place, option in enumerate(ranking):
            points[option] += count - 1 - place
        if ranking:
            first[ranking[0]] += 1
    return (pd.DataFrame({"label": list(spec.options), "borda_points": points.astype(int), "first_preferences": first})
            .sort_values(["borda_points", "first_preferences"], ascending=False, kind="stable").reset_index(drop=True))
