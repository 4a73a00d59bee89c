"""The demo's all-member meeting (join code MEET26, members only): decisions members made, and one still open.

- a motion, closed: elected regional assemblies with tax-raising powers (papers from 300 synthetic members, with
  more support outside London, so the result by region has something to say);
- a preferential ballot, closed: three seats on the party's devolution working group, counted by Scottish STV;
- a participatory budget, open: the devolved fund for local parties, where the demo member (`DM000001`, postcode
  `ZZ99 9XH`) can vote, and which the presenter shows as the meeting's ballot.
Everything goes through the same storage calls a real meeting uses (members join from the roll, then cast).
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import Engine, select

from consult import storage
from consult.access import roll_file as membership
from consult.storage import ballots, roll
from consult.storage import schema as s

JOIN_CODE = "MEET26"
VOTERS = 300
CANDIDATES = ["Aisha Rahman (North West)", "Gareth Pryce (Wales)", "Morag Fraser (Scotland)",
              "Tom Ellis (London)", "Priya Nair (West Midlands)", "Siobhan Kelly (Northern Ireland)"]
PROJECTS = [("Community organiser for the North East", 24_000), ("Welsh-language campaign materials", 9_000),
            ("Rural transport survey, South West", 15_000), ("Youth assembly in Yorkshire", 12_000),
            ("Scottish policy forum weekend", 18_000), ("London renters' network", 20_000),
            ("Accessibility audit of meeting venues", 6_000)]


def install(engine: Engine, seed: int = 2026, *, created_ms: int | None = None) -> int:
    """Create the meeting consultation and its ballots (the roll must be loaded), dated `created_ms` (now by
    default). Returns the consultation id."""
    rng = np.random.default_rng(seed)
    meeting = storage.create_consultation(
        engine, title="All-member meeting: regional assemblies", access="members", join_code=JOIN_CODE,
        question="What should the party decide about regional assemblies?", phase="voting", actor="consult demo",
        created_ms=created_ms)
    keep_free = membership.number_hash("DM000001")  # the README's demo member votes by hand
    with engine.connect() as conn:
        rows = conn.execute(select(s.members.c.number_hash, s.members.c.region, s.members.c.local_party)
                            .where(s.members.c.number_hash != keep_free).order_by(s.members.c.number_hash)
                            .limit(VOTERS)).all()
    voters = [roll.join_verified(engine, meeting.id, row.number_hash, row.region, row.local_party,
                                 consented=True)[0] for row in rows]
    motion = ballots.create_ballot(
        engine, meeting.id, "motion", "Elected regional assemblies with tax-raising powers", [],
        description="That conference backs elected assemblies in every English region, with powers to raise a "
                    "share of their own budget.", quorum_share=0.01, actor="consult demo", seed=seed)
    board = ballots.create_ballot(
        engine, meeting.id, "preferential", "Devolution working group (3 seats)",
        [(name, None, None) for name in CANDIDATES], seats=3, actor="consult demo", seed=seed)
    fund = ballots.create_ballot(
        engine, meeting.id, "budget", "Devolved fund for local parties", list((n, c, None) for n, c in PROJECTS),
        budget=60_000, max_approvals=3, meeting=True, actor="consult demo", seed=seed,
        description="Back up to three projects. The fund is shared by the Method of Equal Shares, so a project "
                    "many members back is funded without letting one majority take it all.")
    for ballot_id in (motion, board, fund):
        ballots.open_ballot(engine, ballot_id, actor="consult demo")
    appeal = rng.dirichlet(np.ones(len(CANDIDATES)) * 2)
    for voter in voters:
        london = voter.region == "E12000007"
        support = 0.45 if london else 0.68
        ballots.cast(engine, motion, voter, rng.choice(["for", "against", "abstain"],
                                                       p=[support, 0.9 - support, 0.1]))
        ranking = rng.choice(len(CANDIDATES), size=rng.integers(1, len(CANDIDATES) + 1), replace=False, p=appeal)
        ballots.cast(engine, board, voter, [int(c) + 1 for c in ranking])
        if rng.random() < 0.4:
            ballots.cast(engine, fund, voter, sorted(int(p) + 1 for p in rng.choice(len(PROJECTS), 2, replace=False)))
    for ballot_id in (motion, board):
        ballots.close_ballot(engine, ballot_id, actor="consult demo")
    return meeting.id
