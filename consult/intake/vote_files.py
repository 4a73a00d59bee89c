"""Reading a votes file from any tool (CSV or XLSX): participant, proposal, region, vote; for `consult support`."""

from __future__ import annotations

import pandas as pd

from consult import regions
from consult.intake import spreadsheets as tables

# bandit reads "pass" as a password: it is a vote
VOTE_WORDS = {"1": 1, "+1": 1, "agree": 1, "yes": 1, "-1": -1, "disagree": -1, "no": -1, "0": 0,  # nosec B105
              "pass": 0, "skip": 0, "unsure": 0}  # nosec B105


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
    values = frame[vote_col].astype(str).str.strip().str.lower().map(VOTE_WORDS)
    raw_region = frame[region_col].fillna("").astype(str).str.strip()
    spellings = {raw: regions.match_region(raw) for raw in raw_region.unique()}
    region = raw_region.map(spellings)
    report = {"rows": len(frame), "unreadable_votes": int(values.isna().sum()),
              "unknown_regions": int((region.isna() & (raw_region != "")).sum())}
    votes = pd.DataFrame({"participant_id": frame[participant_col].astype(str).str.strip(),
                          "proposal_id": frame[proposal_col].astype(str).str.strip(), "value": values,
                          "region": region.fillna(regions.UNDISCLOSED)})
    votes = votes[votes["value"].notna() & (votes["participant_id"] != "") & (votes["proposal_id"] != "")]
    votes = votes.drop_duplicates(["participant_id", "proposal_id"], keep="last")
    report["duplicates_replaced"] = report["rows"] - report["unreadable_votes"] - len(votes)
    if votes.empty:
        raise tables.TableError("No row holds a readable vote (1, -1, 0, agree, disagree or pass).")
    return votes.astype({"value": "int8"}).reset_index(drop=True), report
