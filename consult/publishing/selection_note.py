"""Plain words on who chose to answer: where a region's agree share may be raised by it (`support.selection`).

One set of sentences, shown on the officers' Consensus page and in the report's section on regional support.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from consult import regions, storage
from consult.support.selection import SelectionCheck

NOT_RECORDED = ("Which proposals members were shown is not recorded for these votes (they were imported or cast "
                "before it was), so whether members answered more often what they agree with cannot be checked.")
TOO_FEW = ("Too few proposals shown to members have gone unanswered yet to tell whether members answer more often "
           "what they agree with.")


def _points(value: float) -> str:
    return f"{abs(value) * 100:.0f}"


def selection_sentences(check_regions: pd.DataFrame, min_cell: int = 10) -> list[str]:
    """One sentence per region whose figure may be raised, or one sentence saying none looks raised (or why
    nothing can be said). Regions with fewer than `min_cell` members are left out, as from every published table."""
    if check_regions.empty:
        return [NOT_RECORDED]
    check_regions = check_regions[check_regions["members"] >= min_cell]
    identified = check_regions[check_regions["identified"]]
    if identified.empty:
        return [TOO_FEW]
    sentences = []
    for _, row in check_regions[check_regions["may_be_inflated"]].iterrows():
        name = regions.region_name(row["region"])
        sentences.append(
            f"{name}'s agree share may be raised by who chose to answer. Its members answered "
            f"{row['answer_rate']:.0%} of the proposals shown to them, and those who agree about "
            f"{row['answer_ratio']:.2f} times as often as those who do not ({row['answer_ratio_low']:.2f} to "
            f"{row['answer_ratio_high']:.2f}). Counting the cards left unanswered, {name}'s agreement would be about "
            f"{row['adjusted_share']:.0%} rather than {row['answered_share']:.0%} ({_points(row['inflation'])} points "
            f"lower; {_points(row['inflation_low'])} to {_points(row['inflation_high'])}).")
    if not sentences:
        sentences.append(
            f"No region's figure looks raised by who chose to answer: in the {len(identified)} regions where enough "
            "proposals went unanswered to tell, members answered those they agree with about as often as the others.")
    return sentences


def selection_findings(engine: Engine, consultation_id: int, min_cell: int | None = None) -> list[str]:
    """The sentences for one consultation, from its recorded cards and current votes (`min_cell`: the
    consultation's own minimum by default)."""
    shown = storage.shown_frame(engine, consultation_id)
    if shown.empty:
        return [NOT_RECORDED]
    if min_cell is None:
        min_cell = storage.get_consultation(engine, consultation_id).min_cell
    votes = storage.votes_frame(engine, consultation_id)
    return selection_sentences(SelectionCheck().fit(shown, votes).regions_, min_cell)
