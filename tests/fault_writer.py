"""A writer process for the fault tests: join, propose and vote in a loop, printing each write once committed.

    python tests/fault_writer.py DATABASE_URL CONSULTATION_ID SEED

Each line on stdout is an acknowledgement, printed only after the store call returned (the transaction
committed): "P <participant_id>", "S <proposal_id>", "V <participant_id> <proposal_id> <value>".
"""

from __future__ import annotations

import random
import sys

from consult import storage
from consult.storage import db


def main() -> None:
    url, consultation_id, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    engine = db.make_engine(url)
    rng = random.Random(seed)
    proposals: list[int] = [int(p) for p in sys.argv[4:]]
    number = 0
    while True:
        member = storage.add_participant(engine, consultation_id, region=rng.choice(["E12000001", "E12000007"]))
        print(f"P {member.id}", flush=True)
        number += 1
        saved = storage.add_proposal(engine, consultation_id, body=f"Proposal {seed}-{number}: devolve power {number}",
                                   author_id=member.id)
        print(f"S {saved.id}", flush=True)
        proposals.append(saved.id)
        for proposal_id in rng.sample(proposals, min(5, len(proposals))):
            value = rng.choice([1, -1, 0])
            storage.cast_vote(engine, member.id, proposal_id, value)
            print(f"V {member.id} {proposal_id} {value}", flush=True)


if __name__ == "__main__":
    main()
