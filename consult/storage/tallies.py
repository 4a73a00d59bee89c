"""Running per-proposal tallies by voter region, kept inside each vote's transaction, for cheap live reads."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, bindparam, delete, select, update

from consult import regions
from consult.storage import db
from consult.storage import schema as s
from consult.storage.participants import participant_counts
from consult.storage.plain_reads import fetch_rows

COLUMN_FOR = {1: "agree", -1: "disagree", 0: "passes"}
_TALLY_ROWS = select(s.proposal_region_tallies.c.region, s.proposal_region_tallies.c.agree,
                     s.proposal_region_tallies.c.disagree, s.proposal_region_tallies.c.passes).where(
    s.proposal_region_tallies.c.proposal_id == bindparam("proposal_id"))


def log_gic(rows: Iterable[tuple[str, int, int, int]]) -> float:
    """Sum over the 12 regions of log((agree + 1) / (votes + 2)); a region without votes gives log(1/2)."""
    codes = set(regions.region_codes())
    total = len(codes) * math.log(0.5)
    for region, agree, disagree, passes in rows:
        if region in codes:
            total += math.log((agree + 1) / (agree + disagree + passes + 2)) - math.log(0.5)
    return total


def _add_counts(stmt) -> dict:
    t = s.proposal_region_tallies.c
    return {"agree": t.agree + stmt.excluded.agree, "disagree": t.disagree + stmt.excluded.disagree,
            "passes": t.passes + stmt.excluded.passes}


def _replace_stats(stmt) -> dict:
    return {c: stmt.excluded[c] for c in ("agree", "disagree", "passes", "log_gic")}


def apply_vote(conn: Connection, consultation_id: int, proposal_id: int, region: str, old: int | None,
               new: int) -> None:
    """Move one voter's tally from their old vote (None: first vote) to the new one, and refresh the stats."""
    if old == new:
        return
    t = s.proposal_region_tallies
    if old is None:
        delta = {"agree": 0, "disagree": 0, "passes": 0}
        delta[COLUMN_FOR[new]] = 1
        conn.execute(db.upsert(conn, s.proposal_region_tallies, ("proposal_id", "region"), _add_counts),
                     [{"consultation_id": consultation_id, "proposal_id": proposal_id, "region": region, **delta}])
    else:
        # a changed vote: the row exists (the first vote made it); the CHECK forbids inserting negatives
        gained, lost = t.c[COLUMN_FOR[new]], t.c[COLUMN_FOR[old]]
        conn.execute(update(t).where(t.c.proposal_id == proposal_id, t.c.region == region)
                     .values({gained: gained + 1, lost: lost - 1}))
    _refresh_stats(conn, consultation_id, proposal_id)


def _refresh_stats(conn: Connection, consultation_id: int, proposal_id: int) -> None:
    rows = conn.execute(_TALLY_ROWS, {"proposal_id": proposal_id}).all()
    conn.execute(db.upsert(conn, s.proposal_stats, ("proposal_id",), _replace_stats), [{
        "consultation_id": consultation_id, "proposal_id": proposal_id,
        "agree": sum(r.agree for r in rows), "disagree": sum(r.disagree for r in rows),
        "passes": sum(r.passes for r in rows), "log_gic": log_gic(rows),
    }])


def rebuild(conn: Connection, consultation_id: int, proposal_ids: list[int] | None = None) -> None:
    """Recompute tallies and stats from the current votes (after bulk loads, merges and erasures)."""
    t, st_, v, p = s.proposal_region_tallies, s.proposal_stats, s.votes, s.participants
    scope_t = t.c.consultation_id == consultation_id
    scope_s = st_.c.consultation_id == consultation_id
    scope_v = v.c.consultation_id == consultation_id
    if proposal_ids is not None:
        scope_t &= t.c.proposal_id.in_(proposal_ids)
        scope_s &= st_.c.proposal_id.in_(proposal_ids)
        scope_v &= v.c.proposal_id.in_(proposal_ids)
    conn.execute(delete(t).where(scope_t))
    conn.execute(delete(st_).where(scope_s))
    frame = pd.DataFrame(conn.execute(
        select(v.c.proposal_id, p.c.region, v.c.value).join(p, p.c.id == v.c.participant_id)
        .join(s.consultations, s.consultations.c.id == v.c.consultation_id).where(scope_v, participant_counts())
    ).all(), columns=["proposal_id", "region", "value"])
    if frame.empty:
        return
    frame["agree"], frame["disagree"], frame["passes"] = (frame["value"] == 1), (frame["value"] == -1), \
        (frame["value"] == 0)
    grouped = frame.groupby(["proposal_id", "region"])[["agree", "disagree", "passes"]].sum().reset_index()
    records = [{"consultation_id": consultation_id, "proposal_id": int(r.proposal_id), "region": r.region,
                "agree": int(r.agree), "disagree": int(r.disagree), "passes": int(r.passes)}
               for r in grouped.itertuples()]
    for start in range(0, len(records), 20_000):
        conn.execute(t.insert(), records[start:start + 20_000])
    codes = regions.region_codes()
    in_uk = grouped["region"].isin(codes)
    votes = grouped["agree"] + grouped["disagree"] + grouped["passes"]
    # each region with votes replaces its log(1/2) prior by log((agree + 1) / (votes + 2))
    grouped["gain"] = np.where(in_uk, np.log((grouped["agree"] + 1) / (votes + 2)) - math.log(0.5), 0.0)
    per = grouped.groupby("proposal_id").agg(agree=("agree", "sum"), disagree=("disagree", "sum"),
                                             passes=("passes", "sum"), gain=("gain", "sum"))
    per["log_gic"] = len(codes) * math.log(0.5) + per["gain"]
    stats = [{"consultation_id": consultation_id, "proposal_id": int(pid), "agree": int(a), "disagree": int(d),
              "passes": int(ps), "log_gic": float(lg)}
             for pid, a, d, ps, lg in zip(per.index, per["agree"], per["disagree"], per["passes"], per["log_gic"],
                                          strict=True)]
    for start in range(0, len(stats), 20_000):
        conn.execute(st_.insert(), stats[start:start + 20_000])


def top_consensus(engine: Engine, consultation_id: int, *, n: int = 5, min_votes: int = 10) -> pd.DataFrame:
    """Published proposals with the highest cross-region consensus, read off the running stats."""
    st_, pr, t = s.proposal_stats, s.proposals, s.proposal_region_tallies
    query = (select(st_.c.proposal_id, st_.c.log_gic, st_.c.agree, st_.c.disagree, st_.c.passes)
             .join(pr, pr.c.id == st_.c.proposal_id)
             .where(st_.c.consultation_id == consultation_id, pr.c.status == "published")
             .order_by(st_.c.log_gic.desc(), st_.c.proposal_id).limit(n))
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
        per_region = pd.DataFrame(conn.execute(
            select(t.c.proposal_id, t.c.agree + t.c.disagree + t.c.passes)
            .where(t.c.proposal_id.in_(frame["proposal_id"].tolist()), t.c.region.in_(regions.region_codes()))
        ).all(), columns=["proposal_id", "votes"]) if len(frame) else pd.DataFrame(columns=["proposal_id", "votes"])
    frame["votes"] = frame["agree"] + frame["disagree"] + frame["passes"]
    frame["consensus"] = (frame["log_gic"] / len(regions.region_codes())).map(math.exp)
    frame["support"] = frame["agree"] / frame["votes"].where(frame["votes"] > 0)
    enough = per_region[per_region["votes"] >= min_votes].groupby("proposal_id").size()
    frame["regions_counted"] = frame["proposal_id"].map(enough).fillna(0).astype(int)
    return frame[["proposal_id", "consensus", "support", "votes", "regions_counted"]]


def vote_totals(engine: Engine, proposal_ids: list[int]) -> pd.DataFrame:
    """Running agree / disagree / pass totals of these proposals (counted votes only, as every figure); index
    proposal_id. A proposal nobody has voted on has no row."""
    if not proposal_ids:
        return pd.DataFrame(columns=["agree", "disagree", "passes"], index=pd.Index([], name="proposal_id"))
    st_ = s.proposal_stats
    if len(proposal_ids) <= 5:  # the few a member is offered instead of a new proposal: one prebuilt read each
        rows = [row for pid in proposal_ids for row in fetch_rows(engine, _STATS_OF_ONE, {"proposal_id": int(pid)})]
    else:
        with engine.connect() as conn:
            rows = conn.execute(select(st_.c.proposal_id, st_.c.agree, st_.c.disagree, st_.c.passes)
                                .where(st_.c.proposal_id.in_([int(pid) for pid in proposal_ids]))).all()
    ids, agree, disagree, passes = zip(*rows, strict=True) if rows else ((),) * 4
    return pd.DataFrame({"agree": np.array(agree, dtype="int64"), "disagree": np.array(disagree, dtype="int64"),
                         "passes": np.array(passes, dtype="int64")},
                        index=pd.Index(np.array(ids, dtype="int64"), name="proposal_id"))


_STATS_OF_ONE = select(s.proposal_stats.c.proposal_id, s.proposal_stats.c.agree, s.proposal_stats.c.disagree,
                       s.proposal_stats.c.passes).where(s.proposal_stats.c.proposal_id == bindparam("proposal_id"))
