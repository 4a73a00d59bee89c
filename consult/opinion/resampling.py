"""Groups that hold when the data moves a little: the pipeline re-run on subsamples of the votes.

One k-means partition of one projection puts each participant near a boundary on whichever side this exact set
of votes happens to put them; drop a few comments or a few other people and they swap. Re-running the same
pipeline, at the number of groups the full data chose, on subsamples of participants and comments, and matching
every run's groups to the full data's (Hungarian matching on the participants both runs grouped), says how settled
each participant's group is: the share of runs that agree (`agreeing_share`).

The runs can also decide the groups (bagged clustering, Dudoit & Fridlyand 2003: each participant in the group
they land in most often, `plurality_groups`). `OpinionGroups` does that only when asked (`combine_resamples`):
on two real Polis conversations the developers had not used (15-per-hour-seattle and scoop-hivemind.ubi from
Polis's open data), combining placed participants further from Polis's own groups (adjusted Rand index 0.81
against 0.88 for the full data's fit, seattle, three seeds) and was no steadier when the data moved (ARI >= 0.8
to the full-data groups in 30% and 85% of resamples, against 45% and 90%); its gain on the shared bg2050
conversation (60% to 95%) did not carry over.

The number of groups is not voted on: a subsample has fewer votes a person, so its points are fuzzier and its
silhouettes favour fewer groups (on the demo's three simulated camps, a mean over subsamples chose two).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score


def subsample_votes(votes: pd.DataFrame, share: float, rng: np.random.Generator) -> pd.DataFrame:
    """The votes of a random `share` of the participants on a random `share` of the proposals (the same ones
    whatever the order of the rows)."""
    people = np.sort(pd.unique(votes["participant_id"]))
    proposals = np.sort(pd.unique(votes["proposal_id"]))
    kept_people = rng.choice(people, size=max(1, int(round(share * len(people)))), replace=False)
    kept_proposals = rng.choice(proposals, size=max(1, int(round(share * len(proposals)))), replace=False)
    keep = votes["participant_id"].isin(kept_people) & votes["proposal_id"].isin(kept_proposals)
    return votes[keep.to_numpy()]


def matched_to(reference: pd.Series, labels: pd.Series, k: int) -> pd.Series:
    """`labels` renamed so that each of its groups takes the reference group it shares most participants with
    (one to one, maximising the participants that agree)."""
    common = reference.index.intersection(labels.index)
    overlap = np.zeros((k, k))
    np.add.at(overlap, (labels[common].to_numpy(dtype=int), reference[common].to_numpy(dtype=int)), 1)
    own, theirs = linear_sum_assignment(-overlap)
    rename = np.arange(k)
    rename[own] = theirs
    return pd.Series(rename[labels.to_numpy(dtype=int)], index=labels.index)


def plurality_groups(reference: pd.Series, runs: list[pd.Series], k: int,
                     rounds: int = 2) -> tuple[pd.Series, pd.Series]:
    """Each participant of `reference` in the group the runs (reference included) put them in most often, and
    the share of the runs that held them which put them there (1.0: every run agrees; near 1/k: a coin toss).

    The runs are matched to the reference, then again to the first round's answer, so that the answer does not
    lean on the one reference run. A participant missing from a run (dropped by its subsample) is not counted
    there; a tie keeps the current answer."""
    answer = reference.astype(int)
    everyone = answer.index
    for _ in range(rounds):
        tally = np.zeros((len(everyone), k))
        for run in [reference, *runs]:
            matched = matched_to(answer, run, k)
            rows = everyone.get_indexer(matched.index)
            present = rows >= 0
            np.add.at(tally, (rows[present], matched.to_numpy()[present]), 1)
        current = answer.to_numpy()
        best = tally.argmax(axis=1)
        keep_current = tally[np.arange(len(everyone)), current] >= tally.max(axis=1)
        answer = pd.Series(np.where(keep_current, current, best), index=everyone)
    held = tally.sum(axis=1)
    return answer, pd.Series(tally[np.arange(len(everyone)), answer.to_numpy()] / held, index=everyone)


def agreeing_share(reference: pd.Series, runs: list[pd.Series], k: int) -> pd.Series:
    """For each participant of `reference`, the share of the runs holding them (`reference` included) that put
    them in their `reference` group once each run's groups are matched to it (1.0: every run agrees)."""
    answer = reference.astype(int)
    everyone = answer.index
    agreeing, held = np.zeros(len(everyone)), np.zeros(len(everyone))
    for run in [reference, *runs]:
        matched = matched_to(answer, run, k)
        rows = everyone.get_indexer(matched.index)
        present = rows >= 0
        held[rows[present]] += 1
        agreeing[rows[present]] += matched.to_numpy()[present] == answer.to_numpy()[rows[present]]
    return pd.Series(agreeing / held, index=everyone)


def mean_agreement(answer: pd.Series, runs: list[pd.Series]) -> float:
    """Mean adjusted Rand index of each run's groups to `answer`, over the participants both hold."""
    scores = []
    for run in runs:
        common = answer.index.intersection(run.index)
        if len(common):
            scores.append(adjusted_rand_score(answer[common], run[common]))
    return float(np.mean(scores)) if scores else float("nan")

