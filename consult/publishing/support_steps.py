"""A proposal's support as named steps, each with its interval and a sentence on what moved it.

Raw share (voters who agree) -> pooled estimate (the regional model at the voters' own regional mix: regions with
few votes drawn toward the national figure) -> weighted estimate (the same model, each region counted at its share
of the baseline: the headline figure). Beside them, the plain post-stratified share (each region's raw share
weighted to the baseline, no model), so an officer can see whether a change comes from weighting or from the model.
The old single "weighting: -18 points" mixed the two.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Step:
    name: str
    value: float | None
    low: float | None
    high: float | None
    sentence: str

    @property
    def interval(self) -> str:
        return "" if self.low is None or self.high is None else f"95% interval {self.low:.0%}–{self.high:.0%}"


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _points(change: float) -> str:
    points = round(change * 100)
    if points == 0:
        return "barely moves it (under half a point)"
    return f"moves it {'up' if points > 0 else 'down'} {abs(points)} point{'s' if abs(points) != 1 else ''}"


def support_steps(row: pd.Series, baseline_label: str) -> list[Step]:
    """The steps for one proposal's row of the officer table (support, pooled_support, weighted_support,
    poststratified_support, each with _low/_high; agree, votes). `baseline_label`: what weighting counts each
    region at the share of ("population", "membership")."""
    raw = _number(row["support"])
    pooled, weighted = _number(row["pooled_support"]), _number(row["weighted_support"])
    plain = _number(row["poststratified_support"])
    votes, agree = int(row["votes"]), int(row["agree"])
    steps = [Step("1. Raw share", raw, _number(row["support_low"]), _number(row["support_high"]),
                  f"Voters who agree: {agree:,} of {votes:,}." if votes else "No votes yet.")]
    if raw is None or pooled is None or weighted is None:
        return steps
    steps.append(Step(
        "2. Pooled estimate", pooled, _number(row["pooled_low"]), _number(row["pooled_high"]),
        f"The regional model, at the voters' own mix of regions, {_points(pooled - raw)} from the raw share: each "
        "region's share is drawn toward the "
        "proposal's national figure and the region's general lean, most where a region has few votes on it "
        "(and votes from members outside the 12 regions inform only the national figure)."))
    steps.append(Step(
        "3. Weighted estimate (headline)", weighted, _number(row["weighted_low"]), _number(row["weighted_high"]),
        f"Each region counted at its share of the {baseline_label}: weighting the pooled estimate "
        f"{_points(weighted - pooled)}. Regions with more voters than their share count for less, the others for "
        "more."))
    if plain is not None:
        steps.append(Step(
            "Plain weighted share (no model)", plain, _number(row["poststratified_low"]),
            _number(row["poststratified_high"]),
            f"Each region's raw share weighted to the {baseline_label}: weighting alone {_points(plain - raw)} "
            "from the raw share. Where this and the weighted estimate differ, the model did it, not the weighting."))
    return steps
