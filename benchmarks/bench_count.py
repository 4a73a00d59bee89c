"""Counting ballots at scale: the Scottish STV count and a participatory budget.

    python benchmarks/bench_count.py            # 1,000,000 preferential ballots x 12 candidates x 4 seats;
                                                # a 100-project budget with 100,000 approval ballots
    python benchmarks/bench_count.py --small    # a tenth of each, for a quick look

Each count runs end to end as `consult count` does: the file is written, read back and counted, and the peak
resident memory of a fresh process doing it is reported. Baselines in the same run: for STV, a first-past-the-post
count of the same file's first preferences (read plus a bincount: the least any count can cost); for the budget,
the greedy rule on the same file (equal shares must do more, and the ratio says how much more).
Targets: each count in seconds, not minutes (issue #35).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from consult.ballots import blt, count_file, equal_shares, pabulib, scottish_stv  # noqa: E402
from consult.ballots.pabulib import BudgetInstance  # noqa: E402
from consult.ballots.preferences import PreferenceProfile  # noqa: E402


def preferential_file(path: Path, ballots: int, candidates: int, seats: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    popularity = rng.gamma(2.0, 1.0, candidates)
    noise = rng.gumbel(size=(ballots, candidates)) + np.log(popularity)
    order = np.argsort(-noise, axis=1).astype(np.int16)
    lengths = rng.integers(1, candidates + 1, ballots)
    order[np.arange(candidates)[None, :] >= lengths[:, None]] = -1
    profile = PreferenceProfile([f"Candidate {i + 1}" for i in range(candidates)], seats, order,
                                np.ones(ballots, dtype=np.int64), title="benchmark")
    path.write_text(blt.dumps(profile), encoding="utf-8")


def budget_file(path: Path, ballots: int, projects: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    ids = [str(i + 1) for i in range(projects)]
    costs = {p: int(c) for p, c in zip(ids, rng.integers(10, 300, projects) * 1000, strict=True)}
    appeal = rng.beta(1.2, 6.0, projects)
    chosen = rng.random((ballots, projects)) < appeal[None, :]
    approvals = [frozenset(ids[j] for j in np.flatnonzero(row)) for row in chosen]
    instance = BudgetInstance(budget=int(sum(costs.values()) * 0.3), project_ids=ids, costs=costs,
                              names={p: f"Project {p}" for p in ids}, approvals=approvals)
    path.write_text(pabulib.dumps(instance), encoding="utf-8")


def measure(kind: str, path: Path, method: str) -> None:
    """Run in a child: print seconds for read and count, then the child's peak memory."""
    import resource

    start = time.perf_counter()
    if kind == "first-past-the-post":
        profile = blt.read(path)
        first = profile.rankings[:, 0]
        np.bincount(first[first >= 0], weights=profile.weights[first >= 0], minlength=len(profile.candidates))
        read_s, count_s = time.perf_counter() - start, 0.0
    elif method in ("scottish-stv",):
        profile = blt.read(path)
        read_s = time.perf_counter() - start
        scottish_stv.count(profile)
        count_s = time.perf_counter() - start - read_s
    else:
        instance = pabulib.read(path)
        read_s = time.perf_counter() - start
        (equal_shares.greedy if method == "greedy" else equal_shares.equal_shares)(instance)
        count_s = time.perf_counter() - start - read_s
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{read_s:.3f} {count_s:.3f} {peak_mb:.0f}")


def child(kind: str, path: Path, method: str) -> tuple[float, float, float]:
    output = subprocess.run([sys.executable, __file__, "--child", kind, str(path), method], check=True,
                            capture_output=True, text=True).stdout.split()
    return float(output[0]), float(output[1]), float(output[2])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        measure(args.child[0], Path(args.child[1]), args.child[2])
        return 0
    scale = 10 if args.small else 1
    ballots, voters = 1_000_000 // scale, 100_000 // scale
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    with tempfile.TemporaryDirectory() as folder:
        stv_path, pb_path = Path(folder) / "ballots.blt", Path(folder) / "budget.pb"
        preferential_file(stv_path, ballots, 12, 4, seed=1)
        budget_file(pb_path, voters, 100, seed=2)
        print(f"files: {stv_path.stat().st_size / 1e6:.0f} MB BLT ({ballots:,} ballots), "
              f"{pb_path.stat().st_size / 1e6:.1f} MB .pb ({voters:,} voters); SHA-256 of the BLT "
              f"{count_file.checksum(stv_path.read_bytes())[:16]}...")
        base = child("first-past-the-post", stv_path, "")
        stv = child("count", stv_path, "scottish-stv")
        print(f"STV {ballots:,} x 12 x 4 seats: read {stv[0]:.2f} s, count {stv[1]:.2f} s, total "
              f"{stv[0] + stv[1]:.2f} s, peak {stv[2]:.0f} MB | first-past-the-post baseline {base[0]:.2f} s, "
              f"{base[2]:.0f} MB | ratio {(stv[0] + stv[1]) / base[0]:.2f}x")
        greedy = child("count", pb_path, "greedy")
        mes = child("count", pb_path, "equal-shares")
        print(f"budget 100 projects x {voters:,} voters: equal shares read {mes[0]:.2f} s, count {mes[1]:.2f} s, "
              f"peak {mes[2]:.0f} MB | greedy baseline count {greedy[1]:.2f} s | ratio "
              f"{mes[1] / max(greedy[1], 1e-3):.0f}x")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
