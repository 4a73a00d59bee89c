"""What a live refresh of the regional estimates costs, against a fit from scratch, on the demo consultation.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench_regional_refresh.py [--new-votes 180]

Members' pages refit the regional model every 30 s (or when votes grow by a twentieth). A refresh starts from the
previous fit (`RegionalSupport.fit(previous=...)`): the spreads and leans are kept while the votes stay within a
quarter of those they were learnt from, and only proposals with new votes are worked out again. Here the previous
fit is on the demo's votes less `--new-votes` of them drawn at random; the refresh and a fit from scratch then run
on all the votes (median of 3 each). Beside the time: how far the refresh's figures are from the fit from scratch
(weighted support, each region's estimate) and how many of the top 20 they share. Run it alone.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.load_protocol import demo_database  # noqa: E402
from consult import storage  # noqa: E402
from consult.storage import reads  # noqa: E402
from consult.support import pooled  # noqa: E402


def median_time(compute, repeats: int = 3):
    seconds, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = compute()
        seconds.append(time.perf_counter() - started)
    return result, float(np.median(seconds))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--new-votes", type=int, default=180, help="votes cast since the previous fit")
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    with demo_database("sqlite") as (_url, engine, consultation_id):
        consultation = storage.get_consultation(engine, consultation_id)
        votes = reads.votes_frame(engine, consultation_id)
        baseline = storage.baseline_for(engine, consultation)
    new = np.random.default_rng(0).choice(len(votes), args.new_votes, replace=False)
    earlier = votes.drop(votes.index[new])

    def fit(frame, previous=None):
        return pooled.proposal_summary(frame, baseline, min_cell=consultation.min_cell, previous=previous)

    _, previous = fit(earlier)
    (scratch, scratch_model), scratch_seconds = median_time(lambda: fit(votes))
    (refreshed, refreshed_model), refresh_seconds = median_time(lambda: fit(votes, previous))
    weighted_gap = (scratch["weighted_support"] - refreshed["weighted_support"].reindex(scratch.index)).abs()
    cells = ["proposal_id", "region"]
    region_gap = (scratch_model.regions_.set_index(cells)["estimate"]
                  - refreshed_model.regions_.set_index(cells)["estimate"]).abs()
    # what relearning the spreads alone moves: scratch fits before and after, on proposals with no new votes
    untouched = list(set(votes["proposal_id"]) - set(votes.iloc[new]["proposal_id"]))
    before = previous.regions_.set_index(cells)["estimate"]
    after = scratch_model.regions_.set_index(cells)["estimate"]
    relearnt = (before.loc[untouched] - after.loc[untouched]).abs()
    top = 20
    shared = len(set(scratch.index[:top]) & set(refreshed.index[:top]))
    print(f"demo: {len(votes):,} votes on {len(scratch):,} proposals; the previous fit lacks {args.new_votes} of them")
    print(f"fit from scratch   {scratch_seconds:6.2f} s")
    print(f"refresh            {refresh_seconds:6.2f} s  ({refreshed_model.changed_} proposals worked out again; "
          f"{scratch_seconds / refresh_seconds:.1f}x faster)")
    print(f"refresh vs scratch: weighted support differs by {weighted_gap.median():.4f} (median), "
          f"{weighted_gap.max():.4f} (largest); a region's estimate by {region_gap.median():.4f} / "
          f"{region_gap.max():.4f}; top {top} shared: {shared}")
    print(f"for scale, two fits from scratch (before and after the new votes) move a region's estimate of a "
          f"proposal with no new votes by {relearnt.median():.4f} (median), {relearnt.max():.4f} (largest)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
