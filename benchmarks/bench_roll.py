"""Loading a 500,000-member roll, and verifying a member at join, on SQLite and PostgreSQL.

    python benchmarks/bench_roll.py [--members 500000] [--checks 400]

Targets: the whole load (read the CSV, normalise, keyed-hash, replace the roll in one transaction) <= 60 s;
verifying a member (throttle rows, roll lookup, constant-time compare, the participant row) <= 50 ms server
time. Baselines in the same run: pandas reading the same CSV (the floor for any load), and a participant lookup
by token (the cheapest read a member page makes).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from benchmarks.common import postgres_available, row, scratch_engine  # noqa: E402
from consult import storage  # noqa: E402
from consult.access import member_join
from consult.access import roll_file as membership
from consult.demo import roll as demo_roll
from consult.intake import spreadsheets as tables
from consult.storage import roll  # noqa: E402


def load_roll(engine, path: Path) -> int:
    parsed = membership.read_roll(tables.read_table(path), number_col="membership_number", verifier_col="postcode",
                                  region_col="region", local_party_col="local_party")
    return roll.replace_roll(engine, parsed.rows, verifier_label="Postcode", source_name=path.name, actor="bench")


def percentile_ms(samples: list[float], q: float) -> float:
    return float(np.percentile(samples, q) * 1000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="membership roll benchmark")
    parser.add_argument("--members", type=int, default=500_000)
    parser.add_argument("--checks", type=int, default=400, help="verifications timed per database")
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    people = demo_roll.synthetic_roll(seed=7, n=args.members)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roll.csv"
        people.to_csv(path, index=False)
        start = time.perf_counter()
        pd.read_csv(path, dtype=str, keep_default_na=False)
        read_s = time.perf_counter() - start
        print(f"{args.members:,} members; baseline: pandas reads the CSV in {read_s:.2f} s")
        print(row("database", "load s", "x CSV read", "verify p50 ms", "p95 ms", "token p50 ms", "targets",
                  widths=(12, 10, 12, 15, 10, 14, 26)))
        backends = ["sqlite"] + (["postgres"] if postgres_available() else [])
        for backend in backends:
            with scratch_engine(backend) as engine:
                start = time.perf_counter()
                loaded = load_roll(engine, path)
                load_s = time.perf_counter() - start
                assert loaded == args.members
                consultation = storage.create_consultation(engine, title="Bench", question="Q?", access="members")
                rng = np.random.default_rng(1)
                picks = rng.choice(len(people), size=args.checks, replace=False)
                verify, token = [], []
                for i, index in enumerate(picks):
                    member = people.iloc[int(index)]
                    right = i % 2 == 0  # half right, half a wrong postcode (refused)
                    start = time.perf_counter()
                    try:
                        joined = member_join.verify_and_join(
                            engine, consultation, member["membership_number"],
                            member["postcode"] if right else "ZZ99 0AA", consented=True, client=f"10.1.{i}.1")
                    except storage.Refused:
                        joined = None
                    verify.append(time.perf_counter() - start)
                    if joined is not None:
                        start = time.perf_counter()
                        storage.participant_by_token(engine, joined.participant.token)
                        token.append(time.perf_counter() - start)
                ok = load_s <= 60 and percentile_ms(verify, 50) <= 50
                print(row(backend, f"{load_s:.1f}", f"{load_s / read_s:.1f}", f"{percentile_ms(verify, 50):.1f}",
                          f"{percentile_ms(verify, 95):.1f}", f"{percentile_ms(token, 50):.2f}",
                          ("ok" if ok else "MISSED") + " (<= 60 s, <= 50 ms)", widths=(12, 10, 12, 15, 10, 14, 26)))
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
