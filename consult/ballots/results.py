"""A closed ballot's result from its papers: the count by the ballot's rule, and by region where cells are large.

Works on the papers frame `storage.ballots.papers` returns (receipt_hash, marks, region, local_party) and the
ballot's settings; counts with `motion`, `scottish_stv` or `equal_shares`. Regions (and local parties) with fewer
than `min_cell` papers are not shown on their own (the suppression rule used everywhere in consult), so a result
by region cannot reveal how a handful of members voted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from consult import regions
from consult.ballots import equal_shares, motion, scottish_stv
from consult.ballots.pabulib import BudgetInstance
from consult.ballots.preferences import PreferenceProfile

if TYPE_CHECKING:
    from consult.storage.ballots import Ballot

MIN_CELL = 10


@dataclass
class BallotResult:
    headline: str
    motion: motion.MotionResult | None = None
    stv: scottish_stv.StvCount | None = None
    equal_shares: equal_shares.BudgetCount | None = None
    greedy: equal_shares.BudgetCount | None = None
    by_region: pd.DataFrame | None = None  # motion: region, papers, for, against, abstain, carried (large cells)
    hidden_regions: int = 0
    by_local_party: pd.DataFrame | None = None  # the same by local party (large cells only)
    hidden_local_parties: int = 0


def profile_of(ballot: Ballot, papers: pd.DataFrame) -> PreferenceProfile:
    rankings = [[int(p) - 1 for p in marks.split(",")] for marks in papers["marks"]]
    return PreferenceProfile.from_rankings([o.label for o in ballot.options], ballot.seats, rankings,
                                           title=ballot.title)


def budget_of(ballot: Ballot, papers: pd.DataFrame) -> BudgetInstance:
    ids = [str(o.position) for o in ballot.options]
    return BudgetInstance(budget=int(ballot.budget or 0), project_ids=ids,
                          costs={str(o.position): int(o.cost or 0) for o in ballot.options},
                          names={str(o.position): o.label for o in ballot.options},
                          approvals=[frozenset(m.split(",")) for m in papers["marks"]],
                          meta={"description": ballot.title}, max_approvals=ballot.max_approvals)


def tie_order(ballot: Ballot) -> list[str]:
    """The order exact ties between projects are broken in: drawn by lot from the ballot's published seed over the
    option numbers in order (the order the published `.pb` lists them), so `consult count --seed` repeats it."""
    return equal_shares.lot_order([str(o.position) for o in ballot.options], ballot.seed)


def _large_cells(papers: pd.DataFrame, column: str, min_cell: int):
    """(place name, its papers) for each region or local party with at least `min_cell` papers, and how many had
    fewer (those are never shown on their own)."""
    cells, hidden = [], 0
    for place, group in papers.groupby(papers[column].fillna("")):
        if len(group) < min_cell:
            hidden += 1
            continue
        cells.append(((regions.region_name(place) if column == "region" else place) if place else "Not known", group))
    return cells, hidden


def _motion_by(ballot: Ballot, papers: pd.DataFrame, column: str, min_cell: int) -> tuple[pd.DataFrame, int]:
    """The motion's count within each region (or local party) with at least `min_cell` papers; how many hidden."""
    cells, hidden = _large_cells(papers, column, min_cell)
    rows = []
    for name, group in cells:
        result = motion.count(group["marks"].tolist(), eligible=len(group), majority=ballot.majority)
        rows.append({column: name, "papers": len(group), "for": result.votes_for,
                     "against": result.votes_against, "abstain": result.abstentions,
                     "carried": result.majority_met})
    return pd.DataFrame(rows, columns=[column, "papers", "for", "against", "abstain", "carried"]), hidden


def _leaders_by(ballot: Ballot, papers: pd.DataFrame, column: str, min_cell: int) -> tuple[pd.DataFrame, int]:
    """Within each large region (or local party): the option most often ranked first (preferential) or most
    approved (budget), and its share of that place's papers."""
    cells, hidden = _large_cells(papers, column, min_cell)
    label = "most first preferences" if ballot.kind == "preferential" else "most approved"
    rows = []
    for name, group in cells:
        counts = first_preferences(ballot, group)
        rows.append({column: name, "papers": len(group), label: counts.idxmax(),
                     "share": round(counts.max() / len(group), 3)})
    return pd.DataFrame(rows, columns=[column, "papers", label, "share"]), hidden


def _places(ballot: Ballot, papers: pd.DataFrame, min_cell: int) -> dict:
    by_region, hidden = _leaders_by(ballot, papers, "region", min_cell)
    by_party, hidden_parties = _leaders_by(ballot, papers, "local_party", min_cell)
    return {"by_region": by_region, "hidden_regions": hidden, "by_local_party": by_party,
            "hidden_local_parties": hidden_parties}


def result(ballot: Ballot, papers: pd.DataFrame, min_cell: int = MIN_CELL) -> BallotResult:
    if papers.empty:
        return BallotResult(headline="No papers were cast, so nothing was decided.")
    if ballot.kind == "motion":
        counted = motion.count(papers["marks"].tolist(), eligible=int(ballot.eligible_count or len(papers)),
                               majority=ballot.majority, quorum_share=ballot.quorum_share,
                               quorum_count=ballot.quorum_count)
        by_region, hidden = _motion_by(ballot, papers, "region", min_cell)
        by_party, hidden_parties = _motion_by(ballot, papers, "local_party", min_cell)
        headline = counted.summary()
        if not by_region.empty:
            headline += (f" A majority was for it in {int(by_region['carried'].sum())} of {len(by_region)} regions "
                         f"with {min_cell} or more papers" + (f" ({hidden} smaller not shown)." if hidden else "."))
        return BallotResult(headline, motion=counted, by_region=by_region, hidden_regions=hidden,
                            by_local_party=by_party, hidden_local_parties=hidden_parties)
    if ballot.kind == "preferential":
        count = scottish_stv.count(profile_of(ballot, papers), seed=ballot.seed,
                                   method="irv" if ballot.seats == 1 else "scottish-stv")
        chosen = "; ".join(count.elected)
        return BallotResult(f"Elected ({ballot.seats} of {len(ballot.options)}): {chosen}. {count.valid_papers:,} "
                            f"valid papers, quota {count.quota:,}.", stv=count, **_places(ballot, papers, min_cell))
    instance = budget_of(ballot, papers)
    order = tie_order(ballot)
    fair, plain = equal_shares.equal_shares(instance, tie_order=order), equal_shares.greedy(instance, tie_order=order)
    names = dict(zip(fair.projects["project_id"], fair.projects["name"], strict=True))
    funded = "; ".join(names[p] for p in fair.funded) or "nothing"
    same = set(fair.funded) == set(plain.funded)
    return BallotResult(f"Funded by equal shares: {funded} ({fair.spent:,} of {ballot.budget:,}). The greedy rule "
                        + ("funds the same projects." if same else
                           f"would fund: {'; '.join(names[p] for p in plain.funded) or 'nothing'}."),
                        equal_shares=fair, greedy=plain, **_places(ballot, papers, min_cell))


def first_preferences(ballot: Ballot, papers: pd.DataFrame) -> pd.Series:
    """Papers per option as first choice (preferential) or approvals (budget), by option label."""
    counts = np.zeros(len(ballot.options), dtype=int)
    for marks in papers["marks"]:
        picks = marks.split(",")
        for pick in (picks[:1] if ballot.kind == "preferential" else picks):
            counts[int(pick) - 1] += 1
    return pd.Series(counts, index=[o.label for o in ballot.options])
