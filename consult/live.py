"""What the presenter view shows, read cheaply enough to refresh every couple of seconds."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, case, func, select

from consult import regions, store, support
from consult import schema as s


def participants_by_region(engine: Engine, consultation_id: int) -> pd.DataFrame:
    """Participants per region answer (one grouped query), in the shape `support.representativeness` reads."""
    query = (select(s.participants.c.region, func.count().label("n"))
             .where(s.participants.c.consultation_id == consultation_id).group_by(s.participants.c.region))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame({"region": [r for r, n in rows for _ in range(n)]})


def representation(engine: Engine, consultation_id: int, baseline_name: str) -> pd.DataFrame:
    table, _ = support.representativeness(participants_by_region(engine, consultation_id),
                                          store.baseline(engine, baseline_name))
    return table


def newest_proposals(engine: Engine, consultation_id: int, n: int = 5) -> pd.DataFrame:
    query = (select(s.proposals.c.id, s.proposals.c.body, s.proposals.c.region)
             .where(s.proposals.c.consultation_id == consultation_id, s.proposals.c.status == "published")
             .order_by(s.proposals.c.id.desc()).limit(n))
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def pending_proposals(engine: Engine, consultation_id: int, n: int = 20) -> pd.DataFrame:
    query = (select(s.proposals.c.id, s.proposals.c.body, s.proposals.c.region, s.proposals.c.created_ms)
             .where(s.proposals.c.consultation_id == consultation_id, s.proposals.c.status == "pending")
             .order_by(s.proposals.c.id).limit(n))
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def regional_tallies(engine: Engine, consultation_id: int) -> pd.DataFrame:
    """Agree and vote counts per (published proposal, voter region), grouped in the database."""
    v, p, pr = s.votes, s.participants, s.proposals
    query = (select(v.c.proposal_id, p.c.region, func.sum(case((v.c.value == 1, 1), else_=0)).label("agree"),
                    func.count().label("votes"))
             .join(p, p.c.id == v.c.participant_id).join(pr, pr.c.id == v.c.proposal_id)
             .where(v.c.consultation_id == consultation_id, pr.c.status == "published")
             .group_by(v.c.proposal_id, p.c.region))
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def top_consensus(tallies: pd.DataFrame, *, n: int = 5, min_votes: int = 10) -> pd.DataFrame:
    """The proposals with the highest cross-region consensus, from per-region tallies (no vote-level data)."""
    columns = ["proposal_id", "consensus", "support", "votes", "regions_counted"]
    if tallies.empty:
        return pd.DataFrame(columns=columns)
    import numpy as np

    codes = regions.region_codes()
    in_region = tallies[tallies["region"].isin(codes)]
    agree = in_region.pivot_table(index="proposal_id", columns="region", values="agree", aggfunc="sum",
                                  fill_value=0).reindex(columns=codes, fill_value=0)
    seen = in_region.pivot_table(index="proposal_id", columns="region", values="votes", aggfunc="sum",
                                 fill_value=0).reindex(columns=codes, fill_value=0)
    consensus = np.exp(np.log((agree + 1) / (seen + 2)).sum(axis=1) / len(codes))
    totals = tallies.groupby("proposal_id")[["agree", "votes"]].sum()
    out = pd.DataFrame({"consensus": consensus}).join(totals)
    out["support"] = out["agree"] / out["votes"]
    out["regions_counted"] = (seen >= min_votes).sum(axis=1).reindex(out.index).fillna(0).astype(int)
    out = out.sort_values(["consensus", "support"], ascending=False).head(n).reset_index()
    return out[columns]
