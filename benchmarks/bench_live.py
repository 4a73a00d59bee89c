"""Presenter refresh cost with 100,000 proposals and 1,000,000 votes (SQLite, the embedded default); and, with
`--poll`, a live poll answered by 200 members on one app process (see `live_poll.py`).

    python -m benchmarks.bench_live [--proposals 100000] [--votes 1000000] [--participants 20000]
    python -m benchmarks.bench_live --poll [--members 200] [--seconds 30]

A presenter tick (every 2 s) reads: the consultation, the headline counts, participation by region (and builds
the tile map figure), the newest proposals, the saved themes, and the top proposals by cross-region consensus
(off the running tallies that every vote updates in its own transaction: an index read). Target: <= 300 ms
of server time per refresh. Baseline, measured in the same run: the naive tick that loads every vote and
recomputes consensus in pandas each time. The app also caches these reads for 2 s, so several presenters
share one tick's cost; this measures the uncached tick.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.common import load_synthetic, row, scratch_engine  # noqa: E402
from consult import charts, storage  # noqa: E402
from consult.live import presenter_data as live
from consult.storage import themes as theme_store  # noqa: E402
from consult.support import direct as support


def populate(engine, n_people: int, n_props: int, n_votes: int) -> int:
    rng = np.random.default_rng(0)
    consultation = storage.create_consultation(engine, title="Bench live", question="Bench?", min_chars=5)
    load_synthetic(engine, consultation.id, [f"Proposal number {i} about regional powers" for i in range(n_props)],
                   n_people=n_people, n_votes=n_votes, rng=rng)
    return consultation.id


def timed_runs(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="presenter refresh benchmark")
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--poll", action="store_true", help="the live poll: members answer while the presenter "
                                                              "refreshes, against a real server")
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args(argv)
    if args.poll:
        from benchmarks.live_poll import poll_report

        summary = poll_report(args.members, args.seconds)
        return 0 if " lost=0 " in summary and "answered=0 " not in summary else 1
    with scratch_engine("sqlite") as engine:
        start = time.perf_counter()
        cid = populate(engine, args.participants, args.proposals, args.votes)
        counts = storage.counts(engine, cid)
        print(f"{counts.proposals:,} proposals, {counts.votes:,} votes, {counts.participants:,} participants "
              f"(loaded in {time.perf_counter() - start:.0f} s)")
        def common() -> None:
            consultation = storage.get_consultation(engine, cid)
            storage.counts(engine, cid)
            charts.region_tile_map(live.representation(engine, cid, consultation.baseline))
            live.newest_proposals(engine, cid, 4)
            theme_store.themes_frame(engine, cid)

        def tick() -> None:
            common()
            live.top_consensus(engine, cid)

        def naive_tick() -> None:
            common()
            support.cross_region_consensus(storage.votes_frame(engine, cid, published_only=True))

        ticks = timed_runs(tick, args.repeats)
        naive = timed_runs(naive_tick, 3)
        tick_ms, naive_ms = (statistics.median(x) * 1000 for x in (ticks, naive))
        print(row("per presenter refresh", "ms", "vs baseline", "target"))
        print(row("baseline: load votes + pandas", f"{naive_ms:.0f}", "1.00", ""))
        print(row("consult presenter tick", f"{tick_ms:.0f}", f"{tick_ms / naive_ms:.3f}", "<= 300 ms"))
        print(f"(tick: min {min(ticks) * 1000:.0f} ms, max {max(ticks) * 1000:.0f} ms over {len(ticks)} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
