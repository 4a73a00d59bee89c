"""What the presenter view shows, read cheaply enough to refresh every couple of seconds."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import Engine, func, select

from consult import storage
from consult.storage import schema as s
from consult.storage import visibility
from consult.support import direct as support

if TYPE_CHECKING:
    from consult.support.pooled import RegionalSupport


def people_per_region(engine: Engine, consultation_id: int) -> pd.Series:
    """How many participants gave each region answer (one grouped query): region -> count."""
    query = (select(s.participants.c.region, func.count().label("n"))
             .where(s.participants.c.consultation_id == consultation_id).group_by(s.participants.c.region))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.Series({region: n for region, n in rows}, dtype="int64")


def participants_by_region(engine: Engine, consultation_id: int) -> pd.DataFrame:
    """Participants per region answer, in the shape `support.representativeness` reads (a row per participant)."""
    counts = people_per_region(engine, consultation_id)
    return pd.DataFrame({"region": counts.index.repeat(counts.to_numpy())})


def representation(engine: Engine, consultation_id: int, baseline_name: str, min_cell: int = 10) -> pd.DataFrame:
    """Participation against the baseline for the room: regions with fewer than `min_cell` people blanked."""
    from consult.publishing import suppression

    table, _ = support.representativeness(participants_by_region(engine, consultation_id),
                                          storage.baseline(engine, baseline_name))
    return suppression.participation_table(table, min_cell)


def newest_proposals(engine: Engine, consultation_id: int, n: int = 5) -> pd.DataFrame:
    """The newest proposals the room may see (the member-visibility rule)."""
    return visibility.newest(engine, consultation_id, n)


def pending_proposals(engine: Engine, consultation_id: int, n: int = 20) -> pd.DataFrame:
    query = (select(s.proposals.c.id, s.proposals.c.body, s.proposals.c.region, s.proposals.c.created_ms)
             .where(s.proposals.c.consultation_id == consultation_id, s.proposals.c.status == "pending")
             .order_by(s.proposals.c.id).limit(n))
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def top_consensus(engine: Engine, consultation_id: int, *, n: int = 5, min_votes: int = 10) -> pd.DataFrame:
    """The proposals with the highest cross-region consensus (from the running tallies: an index read)."""
    from consult.storage import tallies

    return tallies.top_consensus(engine, consultation_id, n=n, min_votes=min_votes)


def tallies_frame(engine: Engine, consultation_id: int) -> pd.DataFrame:
    """Running per-region tallies of the published proposals (one indexed read; no vote is re-read)."""
    t, pr = s.proposal_region_tallies, s.proposals
    query = (select(t.c.proposal_id, t.c.region, t.c.agree, t.c.disagree, t.c.passes)
             .join(pr, pr.c.id == t.c.proposal_id)
             .where(t.c.consultation_id == consultation_id, pr.c.status == "published"))
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def top_supported_everywhere(engine: Engine, consultation_id: int, *, n: int = 5, baseline: pd.Series | None = None,
                             min_cell: int = 10, previous: RegionalSupport | None = None,
                             ) -> tuple[pd.DataFrame, RegionalSupport]:
    """The proposals most likely to have a majority in every region (pooled regional estimates on the tallies):
    proposal_id, prob_all, support, votes, weakest_region, weakest_support, consensus_rank, regions_with_own_votes
    (regions with 10+ votes, which say whether prob_all is firm yet); and the fitted model.
    The presenter asks every few seconds: pass the model it returned last time as `previous`, and only proposals
    with new votes are worked out again (`RegionalSupport.fit`)."""
    from consult.support.pooled import RegionalSupport

    model = RegionalSupport(baseline=baseline, min_cell=min_cell).fit(tallies=tallies_frame(engine, consultation_id),
                                                                      previous=previous)
    columns = ["prob_all", "support", "votes", "weakest_region", "weakest_estimate", "weighted_support",
               "consensus_rank", "regions_with_own_votes"]
    top = model.ranked()[columns].head(n).rename(columns={"weakest_estimate": "weakest_support"})
    return top.reset_index(), model
