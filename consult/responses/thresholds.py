"""Which proposals have earned an official answer, and the evidence that put each one in the queue.

Three rules, any of which a consultation may switch on (`storage.responses.Thresholds`), after CONSUL's support
threshold and the brief's "strong community support": enough supporters; a majority in every region likely
(from the regional estimates, so thinly voted regions are not taken at face value); or a large share of some
region's voters, counted only where at least `min_cell` of them voted.
"""

from __future__ import annotations

import pandas as pd

from consult import regions
from consult.storage.responses import Thresholds


def crossing(summary: pd.DataFrame, votes: pd.DataFrame, rules: Thresholds, *, min_cell: int) -> dict[int, str]:
    """proposal_id -> a plain-English reason, for every proposal over at least one threshold.

    `summary` is `regional.proposal_summary`'s table (index proposal_id; agree, votes, prob_all); `votes` the
    current votes (proposal_id, region, value) of published proposals.
    """
    reasons: dict[int, list[str]] = {}
    if rules.min_supporters is not None and len(summary):
        over = summary[summary["agree"] >= rules.min_supporters]
        for proposal_id, row in over.iterrows():
            reasons.setdefault(int(proposal_id), []).append(
                f"{int(row['agree'])} supporters (threshold {rules.min_supporters})")
    if rules.everywhere_probability is not None and len(summary):
        over = summary[summary["prob_all"] >= rules.everywhere_probability]
        for proposal_id, row in over.iterrows():
            reasons.setdefault(int(proposal_id), []).append(
                f"a majority in every region is {row['prob_all']:.0%} likely "
                f"(threshold {rules.everywhere_probability:.0%})")
    if rules.region_share is not None and len(votes):
        in_regions = votes[votes["region"].isin(regions.region_codes())]
        by_region = in_regions.assign(agrees=in_regions["value"] == 1).groupby(["proposal_id", "region"])
        table = by_region["agrees"].agg(["sum", "size"])
        table = table[table["size"] >= min_cell]
        table = table[table["sum"] / table["size"] >= rules.region_share]
        names = regions.region_names()
        for (proposal_id, region), row in table.iterrows():
            reasons.setdefault(int(proposal_id), []).append(
                f"{row['sum'] / row['size']:.0%} of {int(row['size'])} voters in {names.get(region, region)} agree "
                f"(threshold {rules.region_share:.0%})")
    return {proposal_id: "; ".join(parts) for proposal_id, parts in sorted(reasons.items())}
