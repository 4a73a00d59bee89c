"""The shared store that refreshes stale results in the background: readers never wait for a refresh."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from consult.live.refreshing import Refreshing, growth_bucket


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def store(clock: Clock, **kwargs) -> tuple[Refreshing, ThreadPoolExecutor]:
    executor = ThreadPoolExecutor(max_workers=1)
    return Refreshing(max_age=30, clock=clock, executor=executor, **kwargs), executor


def test_first_read_computes_then_later_reads_share_the_value():
    clock = Clock()
    refreshing, _ = store(clock)
    calls = []
    value = refreshing.get("k", lambda: calls.append(1) or {"fit": 1})
    assert value == {"fit": 1}
    assert refreshing.get("k", lambda: calls.append(1) or {"fit": 2}) is value
    assert len(calls) == 1


def test_a_stale_value_is_served_at_once_and_refreshed_behind_the_reader():
    clock = Clock()
    refreshing, executor = store(clock)
    refreshing.get("k", lambda: "old")
    clock.now = 31
    release = threading.Event()

    def slow_fit():
        release.wait(5)
        return "new"

    assert refreshing.get("k", slow_fit) == "old"  # the refit is running, the reader is not waiting for it
    assert refreshing.get("k", slow_fit) == "old"  # and a second reader does not start another one
    release.set()
    executor.submit(lambda: None).result(5)  # the single worker has finished the refresh
    assert refreshing.get("k", lambda: "unused") == "new"


def test_a_new_generation_refreshes_before_max_age():
    clock = Clock()
    refreshing, executor = store(clock)
    refreshing.get("k", lambda: "few votes", generation=100)
    assert refreshing.get("k", lambda: "more votes", generation=105) == "few votes"
    executor.submit(lambda: None).result(5)
    assert refreshing.get("k", lambda: "unused", generation=105) == "more votes"


def test_a_failed_refresh_keeps_the_old_value_and_tries_again_later():
    clock = Clock()
    refreshing, executor = store(clock)
    refreshing.get("k", lambda: "good")
    clock.now = 31

    def broken():
        raise RuntimeError("database went away")

    assert refreshing.get("k", broken) == "good"
    executor.submit(lambda: None).result(5)
    assert refreshing.get("k", lambda: "recovered") == "good"  # this read starts the retry
    executor.submit(lambda: None).result(5)
    assert refreshing.get("k", lambda: "unused") == "recovered"


def test_a_failed_first_computation_raises_to_the_reader_and_is_not_remembered():
    refreshing, _ = store(Clock())
    with pytest.raises(ZeroDivisionError):
        refreshing.get("k", lambda: 1 / 0)
    assert refreshing.get("k", lambda: "second try") == "second try"


def test_sessions_asking_at_once_for_a_new_key_wait_for_one_computation():
    refreshing, _ = store(Clock())
    calls, started = [], threading.Event()

    def fit():
        calls.append(1)
        started.wait(0.2)
        return len(calls)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: refreshing.get("k", fit), range(8)))
    assert results == [1] * 8
    assert len(calls) == 1


def test_warm_computes_in_the_background_once_and_clear_forgets():
    refreshing, executor = store(Clock())
    refreshing.warm("k", lambda: "warmed")
    executor.submit(lambda: None).result(5)
    refreshing.warm("k", lambda: "again")  # already held: nothing to do
    executor.submit(lambda: None).result(5)
    assert refreshing.get("k", lambda: "unused") == "warmed"
    refreshing.clear()
    assert refreshing.get("k", lambda: "after clear") == "after clear"


def test_the_least_recently_used_key_goes_first():
    refreshing, _ = store(Clock(), max_entries=2)
    refreshing.get("a", lambda: 1)
    refreshing.get("b", lambda: 2)
    refreshing.get("a", lambda: "unused")
    refreshing.get("c", lambda: 3)
    assert refreshing.get("a", lambda: "unused") == 1
    assert refreshing.get("b", lambda: "recomputed") == "recomputed"


def test_growth_bucket_moves_with_every_change_while_small_then_every_five_percent():
    assert [growth_bucket(n) for n in (0, 1, 199)] == [0, 1, 199]
    buckets = [growth_bucket(n) for n in range(200, 60_000)]
    assert all(later >= earlier for earlier, later in zip(buckets, buckets[1:], strict=False))
    # about one step per 5% growth: 28,488 votes stay in one bucket for ~1,400 more, not ~20
    changes = [n for n in range(28_488, 32_000) if growth_bucket(n) != growth_bucket(n - 1)]
    assert 1 <= len(changes) <= 3
    assert all(b - a > 1_000 for a, b in zip(changes, changes[1:], strict=False))
