"""Support levels, representativeness, weighting and cross-region consensus."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import demo_votes, votes
from hypothesis import given, settings
from hypothesis import strategies as st

from consult import regions
from consult.demo import consultation as demo
from consult.support import direct as support

LONDON, NORTH_EAST, WALES = "E12000007", "E12000001", "W92000004"
CODES = regions.region_codes()


@pytest.fixture(scope="module")
def data():
    return demo.generate()


def test_wilson_interval_matches_the_textbook_value():
    low, high = support.wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4) and high == pytest.approx(0.9433, abs=1e-4)
    low, high = support.wilson_interval(0, 0)
    assert (low, high) == (0.0, 1.0)


def test_support_table_counts_and_shares():
    table = support.support_table(votes([(1, 10, 1, LONDON), (2, 10, -1, LONDON), (3, 10, 0, WALES),
                                         (1, 11, 1, LONDON)]))
    row = table.loc[10]
    assert (row.agree, row.disagree, row.passes, row.votes) == (1, 1, 1, 3)
    assert row.support == pytest.approx(1 / 3) and row.net_support == 0 and row.pass_rate == pytest.approx(1 / 3)
    assert row.support_low < row.support < row.support_high


def test_regional_cells_below_the_minimum_are_suppressed():
    rows = [(i, 1, 1, LONDON) for i in range(12)] + [(100 + i, 1, -1, WALES) for i in range(3)]
    table = support.regional_support(votes(rows), min_votes=10).set_index("region")
    assert table.loc[LONDON, "support"] == 1.0 and not table.loc[LONDON, "too_few"]
    assert table.loc[WALES, "too_few"] and np.isnan(table.loc[WALES, "support"])
    assert table.loc[WALES, "votes"] == 3  # the count stays for the analyst


def test_demo_london_over_representation_is_detected(data):
    frame, test = support.representativeness(data.participants, regions.population_baseline())
    frame = frame.set_index("region")
    assert frame.loc[LONDON, "ratio"] > 1.8
    assert frame.loc[NORTH_EAST, "ratio"] < 0.7
    assert test["p_value"] < 1e-6
    assert test["not_in_a_region"] > 0
    assert frame["sample_share"].sum() == pytest.approx(1.0)


def test_no_ratio_where_too_few_are_expected():
    """Two people at the start of a session: no region can be called under-represented yet."""
    import pandas as pd

    early = pd.DataFrame({"region": ["S92000003", "E12000001"]})
    frame, _ = support.representativeness(early, regions.population_baseline())
    assert frame["ratio"].isna().all() and (frame["expected"] < support.MIN_EXPECTED).all()
    assert support.most_and_least_represented(frame) is None
    assert frame.set_index("region").loc["S92000003", "participants"] == 1


def test_weighted_support_moves_against_the_london_skew(data):
    """Group 0 is London-heavy, so its favourite proposals lose support when London is weighted down."""
    votes_frame = demo_votes(data)
    weighted = support.weighted_support(votes_frame, regions.population_baseline())
    group0 = data.participants["true_group"].to_numpy()[votes_frame["participant_id"]] == 0
    lean = votes_frame.assign(g0=group0).groupby("proposal_id").apply(
        lambda v: v.loc[v.g0, "value"].eq(1).mean() - v.loc[~v.g0, "value"].eq(1).mean(), include_groups=False)
    favoured_by_g0 = lean[lean > 0.5].index
    disliked_by_g0 = lean[lean < -0.5].index
    assert len(favoured_by_g0) > 50 and len(disliked_by_g0) > 50
    assert weighted.loc[favoured_by_g0, "difference"].mean() < -0.015
    assert weighted.loc[disliked_by_g0, "difference"].mean() > 0.015
    assert (weighted["n_eff"] <= weighted["weighted_voters"] + 1e-9).all()


def test_weighting_is_neutral_when_the_sample_matches_the_baseline():
    base = regions.population_baseline()
    rows, pid = [], 0
    for code in CODES:
        for _ in range(int(base[code] / 100_000)):
            rows.append((pid, 1, 1 if pid % 3 else -1, code))
            pid += 1
    weighted = support.weighted_support(votes(rows), base)
    assert weighted.loc[1, "weighted_support"] == pytest.approx(weighted.loc[1, "raw_support"], abs=0.01)
    assert weighted.loc[1, "n_eff"] == pytest.approx(len(rows), rel=0.02)


def test_cross_region_consensus_rewards_support_everywhere():
    everywhere = [(i * 100 + r, 1, 1, code) for r, code in enumerate(CODES) for i in range(12)]
    one_region = [(5000 + i, 2, 1, LONDON) for i in range(144)]
    mixed = [(9000 + i * 100 + r, 3, 1 if r % 2 else -1, code) for r, code in enumerate(CODES) for i in range(12)]
    table = support.cross_region_consensus(votes(everywhere + one_region + mixed), min_votes=10)
    assert table.loc[1, "consensus"] > table.loc[2, "consensus"]
    assert table.loc[1, "consensus"] > table.loc[3, "consensus"]
    assert table.loc[2, "regions_counted"] == 1 and table.loc[2, "regions_too_few"] == 11
    assert table.loc[3, "divisiveness"] == pytest.approx(0.5)
    assert table.loc[1, "divisiveness"] == 0
    assert table.loc[3, "weakest_support"] == 0


def test_empty_votes_give_empty_tables():
    empty = votes([])
    assert support.support_table(empty).empty
    assert support.regional_support(empty).empty
    assert support.weighted_support(empty, regions.population_baseline()).empty
    assert support.cross_region_consensus(empty).empty


vote_rows = st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 6), st.sampled_from([-1, 0, 1]),
              st.sampled_from(CODES[:4] + [regions.UNDISCLOSED])),
    max_size=120,
).map(lambda rows: votes(list({(p, c): (p, c, v, r) for p, c, v, r in rows}.values())))


@settings(max_examples=60, deadline=None)
@given(vote_rows)
def test_statistics_stay_in_bounds(frame):
    table = support.support_table(frame)
    assert ((table["support_low"] <= table["support"] + 1e-12) & (table["support"] <= table["support_high"] + 1e-12)).all()
    assert table["net_support"].between(-1, 1).all()
    weighted = support.weighted_support(frame, regions.population_baseline())
    assert weighted["weighted_support"].dropna().between(0, 1).all()
    consensus = support.cross_region_consensus(frame, min_votes=2)
    assert consensus["gic"].between(0, 1).all() and consensus["consensus"].between(0, 1).all()
    assert (consensus["regions_counted"] + consensus["regions_too_few"] == 12).all()


@settings(max_examples=40, deadline=None)
@given(vote_rows)
def test_one_more_agree_never_lowers_consensus_or_support(frame):
    if frame.empty:
        return
    extra = votes([(999, int(frame["proposal_id"].iloc[0]), 1, CODES[0])])
    before = support.cross_region_consensus(frame)
    after = support.cross_region_consensus(pd.concat([frame, extra]))
    proposal = int(frame["proposal_id"].iloc[0])
    assert after.loc[proposal, "gic"] >= before.loc[proposal, "gic"] - 1e-12
    assert (support.support_table(pd.concat([frame, extra])).loc[proposal, "support"]
            >= support.support_table(frame).loc[proposal, "support"] - 1e-12)


def test_flipping_every_vote_mirrors_net_support():
    frame = votes([(1, 1, 1, LONDON), (2, 1, 1, WALES), (3, 1, -1, WALES), (4, 1, 0, LONDON)])
    flipped = frame.assign(value=-frame["value"])
    assert support.support_table(flipped).loc[1, "net_support"] == -support.support_table(frame).loc[1, "net_support"]


def test_single_voter_single_region_and_all_pass():
    single = votes([(1, 1, 1, LONDON)])
    assert support.support_table(single).loc[1, "support"] == 1.0
    assert support.cross_region_consensus(single).loc[1, "regions_counted"] == 0
    all_pass = votes([(i, 1, 0, WALES) for i in range(15)])
    table = support.support_table(all_pass)
    assert table.loc[1, "support"] == 0 and table.loc[1, "pass_rate"] == 1
    assert support.weighted_support(all_pass, regions.population_baseline()).loc[1, "weighted_support"] == 0
