"""Reading a votes file from any tool (CSV or XLSX): participant, proposal, region, vote; for `consult support`."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from consult import regions
from consult.intake import spreadsheets as tables

# bandit reads "pass" as a password: it is a vote
VOTE_WORDS = {"1": 1, "+1": 1, "agree": 1, "yes": 1, "-1": -1, "disagree": -1, "no": -1, "0": 0,  # nosec B105
              "pass": 0, "skip": 0, "unsure": 0}  # nosec B105


def _stripped(values: pd.Series) -> pd.Series:
    return values.astype(str).str.strip()


def _each_distinct(column: pd.Series, transform: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`transform` applied once per distinct value and spread back over the rows: a million votes hold a few
    thousand ids and a handful of spellings, and string methods on every row were most of the reading time."""
    codes, distinct = pd.factorize(column, use_na_sentinel=False)
    return pd.Series(transform(pd.Series(distinct, dtype=object)).to_numpy()[codes], index=column.index)


def read_votes(path: str, *, participant_col: str = "participant", proposal_col: str = "proposal",
               region_col: str = "region", vote_col: str = "vote") -> tuple[pd.DataFrame, dict[str, int]]:
    """A current-votes frame (participant_id, proposal_id, value, region) and a report of what was skipped.

    Regions may be ITL1 codes or names (any case); unknown ones count as 'prefer not to say' and are reported.
    A participant's later row for the same proposal replaces an earlier one. Votes: 1/-1/0 or agree/disagree/pass.
    """
    frame = tables.read_table(path)
    for role, column in (("participant", participant_col), ("proposal", proposal_col), ("region", region_col),
                         ("vote", vote_col)):
        if column not in frame.columns:
            raise tables.TableError(f"There is no {role} column {column!r}; the columns are: "
                                    f"{', '.join(map(repr, frame.columns))}. Name it with --{role}-col.")
    values = _each_distinct(frame[vote_col], lambda v: v.astype(str).str.strip().str.lower().map(VOTE_WORDS))
    raw_region = _each_distinct(frame[region_col], lambda r: r.fillna("").astype(str).str.strip())
    region = _each_distinct(raw_region, lambda r: r.map(regions.match_region))
    report = {"rows": len(frame), "unreadable_votes": int(values.isna().sum()),
              "unknown_regions": int((region.isna() & (raw_region != "")).sum())}
    votes = pd.DataFrame({"participant_id": _each_distinct(frame[participant_col], _stripped),
                          "proposal_id": _each_distinct(frame[proposal_col], _stripped), "value": values,
                          "region": region.fillna(regions.UNDISCLOSED)})
    votes = votes[votes["value"].notna() & (votes["participant_id"] != "") & (votes["proposal_id"] != "")]
    votes = votes.drop_duplicates(["participant_id", "proposal_id"], keep="last")
    report["duplicates_replaced"] = report["rows"] - report["unreadable_votes"] - len(votes)
    if votes.empty:
        raise tables.TableError("No row holds a readable vote (1, -1, 0, agree, disagree or pass).")
    return votes.astype({"value": "int8"}).reset_index(drop=True), report
