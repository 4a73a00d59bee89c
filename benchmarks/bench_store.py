"""Votes written per second on SQLite and PostgreSQL, against the raw driver baseline measured in the same run.

    python benchmarks/bench_store.py [--votes 2000] [--threads 8]

Baseline: the raw DB-API driver doing one INSERT and one COMMIT per vote, with no checks: the floor cost of a
durable single-vote write. consult's cast_vote does more in its transaction (checks the proposal, its phase and
the voter, upserts the current vote and appends the event), so ratios below 1 are its price.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from benchmarks.common import postgres_available, row, scratch_engine, timed  # noqa: E402
from consult import storage  # noqa: E402
from consult.storage import bulk  # noqa: E402


def _setup(engine, n_members: int, n_proposals: int):
    consultation = storage.create_consultation(engine, title="Bench", question="Bench?", min_chars=5,
                                             max_proposals_per_participant=n_proposals)
    people = pd.DataFrame({"external_id": [f"m{i}" for i in range(n_members)], "region": "E12000001"})
    props = pd.DataFrame({"external_id": [f"p{i}" for i in range(n_proposals)], "author_external_id": "m0",
                          "body": [f"Benchmark proposal number {i}" for i in range(n_proposals)]})
    empty = pd.DataFrame(columns=["participant_external_id", "proposal_external_id", "value", "created_ms"])
    person_ids, proposal_ids = bulk.load(engine, consultation.id, participants=people, proposals=props, votes=empty)
    return consultation, list(person_ids.values()), list(proposal_ids.values())


def _pairs(members, proposals, n):
    return [(members[i // len(proposals) % len(members)], proposals[i % len(proposals)]) for i in range(n)]


def raw_driver_votes(engine, consultation_id, pairs) -> float:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        param = "?" if engine.dialect.name == "sqlite" else "%s"
        sql = (f"INSERT INTO votes (consultation_id, participant_id, proposal_id, value, updated_ms) "
               f"VALUES ({param}, {param}, {param}, 1, 0)")

        def run():
            for member, proposal in pairs:
                if engine.dialect.name == "sqlite":
                    cursor.execute("BEGIN")
                cursor.execute(sql, (consultation_id, member, proposal))
                raw.commit() if engine.dialect.name != "sqlite" else cursor.execute("COMMIT")

        seconds, _ = timed(run)
        return len(pairs) / seconds
    finally:
        raw.close()


def consult_votes(engine, pairs, threads: int) -> float:
    chunks = [pairs[i::threads] for i in range(threads)]

    def work(chunk):
        for member, proposal in chunk:
            storage.cast_vote(engine, member, proposal, 1)

    def run():
        workers = [threading.Thread(target=work, args=(c,)) for c in chunks]
        for w in workers:
            w.start()
        for w in workers:
            w.join()

    seconds, _ = timed(run)
    return len(pairs) / seconds


def bulk_votes(engine, n: int) -> float:
    consultation, members, proposals = _setup(engine, 1000, 100)
    pairs = _pairs(members, proposals, n)
    votes = pd.DataFrame({"participant_external_id": [f"m{members.index(m)}" for m, _ in pairs],
                          "proposal_external_id": [f"p{proposals.index(p)}" for _, p in pairs],
                          "value": 1, "created_ms": 0})
    c2 = storage.create_consultation(engine, title="Bench2", question="Bench?")
    people = pd.DataFrame({"external_id": [f"m{i}" for i in range(1000)], "region": "E12000001"})
    props = pd.DataFrame({"external_id": [f"p{i}" for i in range(100)], "author_external_id": "m0",
                          "body": [f"Bulk proposal {i}" for i in range(100)]})
    seconds, _ = timed(lambda: bulk.load(engine, c2.id, participants=people, proposals=props, votes=votes))
    return n / seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--bulk-votes", type=int, default=100_000)
    args = parser.parse_args(argv)
    backends = ["sqlite"] + (["postgres"] if postgres_available() else [])
    print(row("votes written per second", "votes/s", "vs baseline", "backend"))
    for backend in backends:
        with scratch_engine(backend) as engine:
            consultation, members, proposals = _setup(engine, 200, 50)
            baseline = raw_driver_votes(engine, consultation.id, _pairs(members, proposals, args.votes))
        with scratch_engine(backend) as engine:
            consultation, members, proposals = _setup(engine, 200, 50)
            single = consult_votes(engine, _pairs(members, proposals, args.votes), 1)
        with scratch_engine(backend) as engine:
            consultation, members, proposals = _setup(engine, 200, 50)
            threaded = consult_votes(engine, _pairs(members, proposals, args.votes), args.threads)
        with scratch_engine(backend) as engine:
            bulk_rate = bulk_votes(engine, args.bulk_votes)
        print(row("raw driver, 1 insert+commit/vote", f"{baseline:,.0f}", "1.00", backend))
        print(row("consult.cast_vote, 1 thread", f"{single:,.0f}", f"{single / baseline:.2f}", backend))
        print(row(f"consult.cast_vote, {args.threads} threads", f"{threaded:,.0f}", f"{threaded / baseline:.2f}",
                  backend))
        print(row(f"bulk.load import ({args.bulk_votes:,} votes)", f"{bulk_rate:,.0f}",
                  f"{bulk_rate / baseline:.2f}", backend))
    return 0


if __name__ == "__main__":
    sys.exit(main())
