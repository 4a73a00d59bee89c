"""Named steps from votes to the headline: on a London-heavy sample where London disagrees, weighting (plain and
the model's) moves the figure toward the population truth, each step says what moved it, and the pooled step
isolates the model's shrinkage from the weighting."""

from __future__ import annotations

import numpy as np
import pandas as pd

from consult import regions
from consult.publishing.support_steps import support_steps
from consult.support import pooled

LONDON = "E12000007"


def _votes(seed: int = 3) -> tuple[pd.DataFrame, float]:
    rng = np.random.default_rng(seed)
    population = regions.population_baseline()
    truth = pd.Series(0.8, index=population.index)
    truth[LONDON] = 0.3
    rows, participant = [], 0
    for region in population.index:
        voters = 600 if region == LONDON else 60  # London is 10x over-represented against its population share
        for _ in range(voters):
            rows.append((participant, 1, 1 if rng.random() < truth[region] else -1, region))
            participant += 1
    population_truth = float((truth * population).sum() / population.sum())
    return pd.DataFrame(rows, columns=["participant_id", "proposal_id", "value", "region"]), population_truth


def test_steps_move_toward_the_truth_and_say_why():
    votes, truth = _votes()
    summary, _ = pooled.proposal_summary(votes, regions.population_baseline())
    row = summary.loc[1].copy()
    steps = support_steps(row, "population")
    names = [step.name for step in steps]
    assert names == ["1. Raw share", "2. Pooled estimate", "3. Weighted estimate (headline)",
                     "Plain weighted share (no model)"]
    raw, pooled_estimate, weighted, plain = (step.value for step in steps)
    # the raw share is pulled down by London's disagreement; both weighted figures are near the truth
    assert truth - raw > 0.15
    assert abs(weighted - truth) < 0.05 and abs(plain - truth) < 0.05
    assert steps[2].low <= truth <= steps[2].high and steps[3].low <= truth <= steps[3].high
    # the pooled step keeps the voters' own mix: it stays near the raw share (the jump is weighting, not the model)
    assert abs(pooled_estimate - raw) < 0.05
    assert "weighting the pooled estimate moves it up" in steps[2].sentence
    assert "weighting alone moves it up" in steps[3].sentence
    assert steps[0].sentence == f"Voters who agree: {int(row['agree']):,} of {int(row['votes']):,}."
    assert all(step.interval.startswith("95% interval") for step in steps)


def test_no_votes_is_one_step_that_says_so():
    row = pd.Series({"support": np.nan, "support_low": np.nan, "support_high": np.nan, "pooled_support": np.nan,
                     "pooled_low": np.nan, "pooled_high": np.nan, "weighted_support": np.nan, "weighted_low": np.nan,
                     "weighted_high": np.nan, "poststratified_support": np.nan, "poststratified_low": np.nan,
                     "poststratified_high": np.nan, "votes": 0, "agree": 0})
    steps = support_steps(row, "membership")
    assert [step.sentence for step in steps] == ["No votes yet."] and steps[0].interval == ""
