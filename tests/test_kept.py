"""The latest value per key that a refresh starts from: kept, replaced, bounded."""

from __future__ import annotations

from consult.live.kept import Kept


def test_the_latest_value_is_kept_and_the_oldest_goes_past_the_bound():
    kept = Kept(max_entries=2)
    assert kept.get("a") is None
    kept.keep("a", 1)
    kept.keep("b", 2)
    kept.keep("a", 3)  # replaced, and now the newest
    kept.keep("c", 4)  # past the bound: "b", the least recently kept, goes
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (3, None, 4)
    kept.clear()
    assert kept.get("a") is None and kept.get("c") is None
