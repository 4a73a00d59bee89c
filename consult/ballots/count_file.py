"""Count a ballot file by a named method: what `consult count FILE --method ...` does, and the recount anyone can run
on a published ballot file.

Each method reads its own format (BLT for scottish-stv and irv, Pabulib `.pb` for equal-shares and greedy, a CSV with
a `vote` column of for / against / abstain for motion) and gives a result table plus a count sheet in text, headed by
the file's SHA-256 so a published sheet names exactly the file it counted.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from consult.ballots import blt, equal_shares, motion, pabulib, scottish_stv
from consult.ballots.preferences import BallotFileError, PreferenceProfile, check

METHODS = ("scottish-stv", "irv", "equal-shares", "greedy", "motion")


@dataclass
class FileCount:
    result: pd.DataFrame
    sheet: str


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stv_sheet(run: scottish_stv.StvCount) -> str:
    """The stage-by-stage count sheet: votes per candidate after each stage, non-transferable, who was elected."""
    lines = [f"Method: {'instant-runoff' if run.method == 'irv' else 'Scottish STV (SSI 2007/42 rules 45-52)'}",
             f"Seats: {run.seats}   Valid papers: {run.valid_papers:,}   Quota: {run.quota:,}"]
    table = run.stages.set_index("stage")
    for stage, row in table.iterrows():
        lines.append(f"\nStage {stage}: {row['action']}")
        for name in run.candidates:
            lines.append(f"  {row[name]:>14,.5f}  {name}")
        lines.append(f"  {row['non_transferable']:>14,.5f}  non-transferable")
    lines.append("\nElected, in order: " + "; ".join(run.elected))
    lines.extend(f"Lot: {lot}" for lot in run.lots)
    return "\n".join(lines)


def budget_sheet(run: equal_shares.BudgetCount) -> str:
    title = {"equal-shares": "Method of Equal Shares (cost satisfaction, add-one completion)",
             "greedy": "Greedy by approvals"}[run.method]
    lines = [f"Method: {title}", f"Budget: {run.budget:,}   Voters: {run.voters:,}   Spent: {run.spent:,}"]
    if run.method == "equal-shares":
        lines.append(f"Each voter's share after completion: {run.share_per_voter:,.2f}")
    for row in run.projects.sort_values(["selected", "approvals"], ascending=False).itertuples():
        mark = "FUNDED " if row.selected else "       "
        lines.append(f"  {mark}{row.project_id:>8}  {row.cost:>12,}  {row.approvals:>8,} approvals  {row.name}: "
                     f"{row.reason}")
    return "\n".join(lines)


def read_motion_votes(text: str) -> list[str]:
    reader = csv.DictReader(io.StringIO(text))
    columns = {name.strip().lower(): name for name in (reader.fieldnames or [])}
    column = columns.get("vote") or columns.get("choice")
    if column is None:
        raise BallotFileError("a motion file is a CSV with a 'vote' column holding for, against or abstain")
    votes = []
    for line, row in enumerate(reader, start=2):
        value = (row.get(column) or "").strip().lower()
        if value not in motion.CHOICES:
            raise BallotFileError(f"line {line}: a vote is for, against or abstain; found {value[:30]!r}")
        votes.append(value)
    return votes


def count_file(path: str | Path, method: str, seats: int | None = None, seed: int | None = None,
               eligible: int | None = None,
               majority: str = "simple", quorum_share: float | None = None,
               quorum_count: int | None = None) -> FileCount:
    """Count the file at `path`; raise BallotFileError (or ValueError) with a plain reason on bad input."""
    if method not in METHODS:
        raise BallotFileError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    data = Path(path).read_bytes()
    if not data.strip():
        raise BallotFileError(f"{Path(path).name} is empty")
    header = f"File: {Path(path).name}   SHA-256: {checksum(data)}"
    text = data.decode("utf-8-sig", errors="replace")
    if method in ("scottish-stv", "irv"):
        profile = blt.parse(text)
        if seats is not None:
            profile = PreferenceProfile(profile.candidates, seats, profile.rankings, profile.weights,
                                        profile.withdrawn, profile.title)
            check(profile)
        run = scottish_stv.count(profile, seed=seed or 0, method=method)
        return FileCount(run.outcome, header + "\n" + stv_sheet(run))
    if method in ("equal-shares", "greedy"):
        instance = pabulib.parse(text)
        # with a seed, exact ties follow the order that seed draws (as a ballot's count does); else project ids
        order = equal_shares.lot_order(instance.project_ids, seed) if seed is not None else None
        run = (equal_shares.equal_shares(instance, tie_order=order) if method == "equal-shares"
               else equal_shares.greedy(instance, tie_order=order))
        columns = ["project_id", "selected", "cost", "approvals", "how", "reason", "name"]
        return FileCount(run.projects[columns], header + "\n" + budget_sheet(run))
    votes = read_motion_votes(text)
    result = motion.count(votes, eligible if eligible is not None else len(votes), majority, quorum_share,
                          quorum_count)
    frame = pd.DataFrame([{"for": result.votes_for, "against": result.votes_against, "abstain": result.abstentions,
                           "eligible": result.eligible, "quorum": result.quorum_needed,
                           "quorum_met": int(result.quorum_met), "carried": int(result.carried)}])
    return FileCount(frame, header + "\nMethod: motion\n" + result.summary())

