"""Opinion groups carried from one update of a live conversation to the next (consult.opinion.carry_over)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import shared_data
from helpers import demo_votes

from benchmarks.bench_polis_live import flicker, replay
from consult.demo import consultation as demo
from consult.intake import polis
from consult.opinion import groups as opinion
from consult.opinion.carry_over import GroupHistory, KSmoother


def labels(values: list[int], first_id: int = 0) -> pd.Series:
    return pd.Series(values, index=pd.Index(range(first_id, first_id + len(values)), name="participant_id"))


def test_before_any_update_groups_are_numbered_by_size():
    assert GroupHistory().named_like_previous(labels([1, 0, 0, 2, 2, 2])).tolist() == [2, 1, 1, 0, 0, 0]


def test_the_same_people_keep_their_group_number_whatever_k_means_called_them():
    history = GroupHistory()
    history.remember(labels([0, 0, 0, 1, 1, 1]))
    assert history.named_like_previous(labels([1, 1, 1, 0, 0, 0])).tolist() == [0, 0, 0, 1, 1, 1]
    # one person moved and one new person: the groups still match by who they hold
    renamed = history.named_like_previous(labels([1, 1, 0, 0, 0, 0, 1]))
    assert renamed.tolist() == [0, 0, 1, 1, 1, 1, 0]


def test_a_new_group_takes_the_number_left_free_and_a_dropped_number_is_not_reused_out_of_range():
    history = GroupHistory()
    history.remember(labels([0, 0, 1, 1]))
    grown = history.named_like_previous(labels([2, 2, 0, 0, 1, 1], first_id=0))
    assert grown.tolist()[:4] == [0, 0, 1, 1] and grown.tolist()[4:] == [2, 2]
    history.remember(labels([0, 0, 1, 1, 2, 2]))
    shrunk = history.named_like_previous(labels([0, 0, 1, 1, 1, 1]))
    assert set(shrunk) == {0, 1}  # Group 3's people joined another group: the names are Group 1 and 2
    assert shrunk.tolist()[:2] == [0, 0]


def test_the_last_groups_start_where_their_members_now_sit():
    history = GroupHistory()
    points = np.array([[0.0, 0.0], [2.0, 0.0], [10.0, 10.0], [12.0, 10.0], [5.0, 5.0]])
    assert history.starting_centres(points, pd.Index([0, 1, 2, 3, 4])) is None
    history.remember(labels([0, 0, 1, 1]))
    centres = history.starting_centres(points, pd.Index([0, 1, 2, 3, 4]))  # participant 4 is new
    assert centres.tolist() == [[1.0, 0.0], [11.0, 10.0]]


@pytest.fixture(scope="module")
def demo_frame() -> pd.DataFrame:
    return demo_votes(demo.generate())


def test_a_first_update_is_a_fresh_fit_and_the_same_votes_again_change_nothing(demo_frame):
    fresh = opinion.OpinionGroups(n_resamples=0).fit(demo_frame)
    history = GroupHistory()
    first = opinion.OpinionGroups(n_resamples=0, history=history).fit(demo_frame)
    pd.testing.assert_series_equal(first.labels_, fresh.labels_)
    assert not first.carried_over_
    again = opinion.OpinionGroups(n_resamples=0, history=history).fit(demo_frame)
    assert again.carried_over_
    pd.testing.assert_series_equal(again.labels_, first.labels_)


def test_the_subsample_runs_do_not_count_as_updates(demo_frame):
    history = GroupHistory(patience=2)
    model = opinion.OpinionGroups(n_resamples=3, history=history).fit(demo_frame)
    assert model.resampled_runs_ == 3
    assert history.smoother.current == model.k_ and history.smoother.streak == 0
    assert history.previous.index.equals(model.labels_.dropna().index)


def test_votes_that_move_on_are_followed_not_held_back():
    # two camps, then a third camp arrives and grows: the carried groups must find it once it has won k
    rng = np.random.default_rng(0)

    def camp(first_id: int, size: int, leaning: np.ndarray) -> pd.DataFrame:
        rows = [(first_id + person, proposal, int(rng.choice([1, -1], p=[p, 1 - p])))
                for person in range(size) for proposal, p in enumerate(leaning)]
        return pd.DataFrame(rows, columns=["participant_id", "proposal_id", "value"])

    a, b, c = np.full(12, 0.9), np.full(12, 0.1), np.tile([0.9, 0.1], 6)
    history = GroupHistory(patience=2)
    early = pd.concat([camp(0, 40, a), camp(100, 40, b)])
    late = pd.concat([early, camp(200, 40, c)])
    ks = [opinion.OpinionGroups(n_resamples=0, history=history).fit(frame).k_ for frame in (early, late, late, late)]
    assert ks[0] == 2 and ks[-1] == 3


def test_a_live_replay_flickers_less_when_carried():
    export = polis.read_export(shared_data("polis", "brexit-consensus"))
    zeroed = polis.zeroed_comments(export)
    events = export.events.sort_values("timestamp", kind="stable")
    fresh = flicker(replay(events, zeroed, 12, None))
    carried = flicker(replay(events, zeroed, 12, GroupHistory()))
    assert carried[0] < fresh[0]  # the number of groups changes less often
    assert carried[1] < fresh[1]  # fewer people find themselves under another group name


def test_a_kept_number_of_groups_the_votes_can_no_longer_make_gives_way(demo_frame):
    history = GroupHistory(smoother=KSmoother(current=9))  # more groups than Polis's rule ever makes (at most 5)
    model = opinion.OpinionGroups(n_resamples=0, history=history).fit(demo_frame)
    assert model.k_ == 3 and history.smoother.current == 3
