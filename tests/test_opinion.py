"""Polis-compatible opinion groups and group statistics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import shared_data
from helpers import demo_votes, votes
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from consult.demo import consultation as demo
from consult.intake import polis
from consult.opinion import groups as opinion


def test_group_informed_consensus_matches_polis_exactly():
    export = polis.read_export(shared_data("polis", "bg2050-volunteers"))
    matrix = opinion.VoteMatrix.from_votes(polis.matrix_votes_frame(export))
    ours = opinion.group_informed_consensus(matrix, export.groups)
    theirs = pd.to_numeric(export.comments.set_index("comment-id")["group-informed-consensus"])
    common = theirs.index.intersection(ours.index)
    assert len(common) == len(theirs) > 300
    assert np.abs(ours[common] - theirs[common]).max() < 1e-9


def test_opinion_groups_agree_with_polis_on_brexit_consensus():
    export = polis.read_export(shared_data("polis", "brexit-consensus"))
    model = opinion.OpinionGroups().fit(polis.participants_votes_frame(export),
                                        zeroed_proposals=polis.zeroed_comments(export))
    reference = export.groups
    both = model.labels_.dropna().index.intersection(reference.dropna().index)
    assert len(both) > 180
    assert adjusted_rand_score(reference[both], model.labels_[both]) >= 0.85


def test_demo_latent_groups_are_recovered():
    data = demo.generate()
    model = opinion.OpinionGroups().fit(demo_votes(data))
    assert model.k_ == 3
    labels = model.labels_.dropna()
    truth = data.participants["true_group"].to_numpy()[labels.index]
    assert adjusted_rand_score(truth, labels) >= 0.8


def test_one_outlier_is_never_a_group():
    # two camps and one participant far from both: splitting the outlier off has the lowest k-means objective, but
    # a "group" of one says nothing about opinion, so the camps are the groups and the outlier joins one of them
    rng = np.random.default_rng(0)
    camps = np.vstack([rng.normal((-1, 0), 0.3, size=(50, 2)), rng.normal((1, 0), 0.3, size=(50, 2))])
    points = np.vstack([camps, [[30.0, 30.0]]])
    by_k, _ = opinion.OpinionGroups()._clusterings(points)
    labels = by_k[2]
    assert adjusted_rand_score([0] * 50 + [1] * 50, labels[:100]) == 1.0
    assert np.bincount(labels).min() >= 50


def test_groups_hold_when_a_tenth_of_people_and_proposals_are_dropped():
    # where the data hold clear groups (the demo's three camps, voting densely), dropping a tenth of the people and
    # of the proposals leaves the same groups; benchmarks/bench_polis_robustness.py measures real conversations
    data = demo.generate(n_participants=400, n_proposals=300, mean_votes_per_participant=120)
    frame = demo_votes(data)
    full = opinion.OpinionGroups().fit(frame).labels_.dropna()
    people, proposals = frame["participant_id"].unique(), frame["proposal_id"].unique()
    for seed in range(4):
        rng = np.random.default_rng(seed)
        kept = frame[frame["participant_id"].isin(rng.choice(people, int(0.9 * len(people)), replace=False))
                     & frame["proposal_id"].isin(rng.choice(proposals, int(0.9 * len(proposals)), replace=False))]
        part = opinion.OpinionGroups().fit(kept).labels_.dropna()
        common = full.index.intersection(part.index)
        assert adjusted_rand_score(full[common], part[common]) >= 0.9, seed


def test_fit_is_deterministic_and_projects_everyone():
    data = demo.generate(seed=5, n_participants=200, n_proposals=300)
    frame = demo_votes(data)
    first, second = opinion.OpinionGroups().fit(frame), opinion.OpinionGroups().fit(frame.sample(frac=1, random_state=1))
    pd.testing.assert_series_equal(first.labels_, second.labels_)
    assert len(first.projection_) == frame["participant_id"].nunique()
    assert first.projection_[["x", "y"]].notna().all().all()


def test_light_voters_are_projected_but_not_clustered():
    rows = [(p, c, 1 if (p < 20) == (c % 2 == 0) else -1, "E12000001") for p in range(40) for c in range(10)]
    rows += [(100, 0, 1, "E12000001"), (100, 1, -1, "E12000001")]
    model = opinion.OpinionGroups().fit(votes(rows))
    assert model.k_ == 2
    assert np.isnan(model.labels_[100]) and not model.projection_.loc[100, "in_conv"]
    assert model.labels_.drop(100).notna().all()
    assert adjusted_rand_score([p < 20 for p in range(40)], model.labels_.drop(100)) == 1.0


def test_repness_finds_what_each_group_stands_for():
    rows = [(p, c, 1 if (p < 20) == (c % 2 == 0) else -1, "E12000001") for p in range(40) for c in range(10)]
    frame = votes(rows)
    matrix = opinion.VoteMatrix.from_votes(frame)
    labels = pd.Series([0] * 20 + [1] * 20, index=range(40))
    rep = opinion.repness(matrix, labels)
    assert set(rep["group"]) == {0, 1}
    assert (rep.groupby("group").size() <= 5).all()
    group0 = rep[rep["group"] == 0]
    assert group0["qualifies"].all()
    assert set(group0.loc[group0["direction"] == "agree", "proposal_id"]) <= {0, 2, 4, 6, 8}
    assert group0["direction"].iloc[0] == "agree"  # agrees first


def test_consensus_and_uncertainty_lists():
    rows = [(p, 0, 1, "E12000001") for p in range(30)]  # everyone agrees
    rows += [(p, 1, 0 if p < 15 else 1, "E12000001") for p in range(30)]  # half pass
    rows += [(p, 2, -1, "E12000001") for p in range(30)]  # everyone disagrees
    matrix = opinion.VoteMatrix.from_votes(votes(rows))
    table = opinion.consensus(matrix)
    assert table.loc[table["direction"] == "agree", "proposal_id"].iloc[0] == 0
    assert table.loc[table["direction"] == "disagree", "proposal_id"].tolist() == [2]
    assert opinion.uncertainty(matrix)["proposal_id"].tolist() == [1]


def test_regions_as_groups():
    rows = [(p, 0, 1 if p < 20 else -1, "E12000001" if p < 20 else "W92000004") for p in range(40)]
    frame = votes(rows)
    matrix = opinion.VoteMatrix.from_votes(frame)
    by_region = frame.drop_duplicates("participant_id").set_index("participant_id")["region"]
    rep = opinion.repness(matrix, by_region)
    assert rep.set_index("group").loc["W92000004", "direction"] == "disagree"
    assert opinion.group_informed_consensus(matrix, by_region)[0] == pytest.approx((21 / 22) * (1 / 22))


def test_k_smoother_needs_four_wins_in_a_row():
    smoother = opinion.KSmoother(patience=4)
    assert [smoother.update(k) for k in [2, 3, 3, 3, 2, 3, 3, 3, 3, 3]] == [2, 2, 2, 2, 2, 2, 2, 2, 3, 3]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 25), st.integers(0, 8), st.sampled_from([-1, 0, 1])), max_size=150))
def test_fit_never_crashes_and_labels_are_sane(rows):
    frame = votes([(p, c, v, "E12000001") for (p, c), v in {(p, c): v for p, c, v in rows}.items()])
    if frame.empty:
        return
    model = opinion.OpinionGroups().fit(frame)
    labels = model.labels_.dropna()
    assert model.k_ in (0, 2, 3, 4, 5)
    assert labels.isin(range(max(model.k_, 1))).all()
    rep = opinion.repness(model.matrix_, model.labels_)
    assert rep["p"].between(0, 1).all() if len(rep) else True
    gic = opinion.group_informed_consensus(model.matrix_, model.labels_)
    assert gic.between(0, 1).all()


def test_sparse_projection_equals_the_dense_mean_imputed_one():
    """The map is computed from the cast votes only; it must equal PCA on the dense mean-imputed matrix."""
    data = demo.generate(seed=3, n_participants=120, n_proposals=60)
    frame = demo_votes(data)
    zeroed = {int(frame["proposal_id"].iloc[0])}
    model = opinion.OpinionGroups().fit(frame, zeroed_proposals=zeroed)
    dense = model.matrix_.values
    zeroed_columns = model.matrix_.proposals.isin(list(zeroed))
    dense[:, zeroed_columns] = 0.0  # moderated out: 0 for everyone, and counted as a vote when scaling
    means = np.nanmean(dense, axis=0)
    centred = np.where(np.isnan(dense), 0.0, dense - means)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    scale = np.sqrt(dense.shape[1] / (~np.isnan(dense)).sum(axis=1))
    expected = (centred @ axes[:2].T) * scale[:, None]
    ours = model.projection_[["x", "y"]].to_numpy()
    for axis in range(2):  # each axis is defined up to its sign
        same = np.allclose(ours[:, axis], expected[:, axis], atol=1e-9)
        assert same or np.allclose(ours[:, axis], -expected[:, axis], atol=1e-9)


def test_vote_matrix_keeps_the_last_vote_per_cell_and_counts_by_group():
    frame = votes([(1, 10, 1, "E12000001"), (1, 10, -1, "E12000001"), (2, 10, 0, "E12000001"),
                   (2, 11, 1, "E12000001")])
    matrix = opinion.VoteMatrix.from_votes(frame)
    assert np.array_equal(matrix.values, np.array([[-1.0, np.nan], [0.0, 1.0]]), equal_nan=True)
    groups, agree, disagree, seen = opinion.group_counts(matrix, pd.Series({1: "a", 2: "b"}))
    assert list(groups) == ["a", "b"]
    assert agree.tolist() == [[0, 0], [0, 1]] and disagree.tolist() == [[1, 0], [0, 0]]
    assert seen.tolist() == [[1, 0], [1, 1]]
