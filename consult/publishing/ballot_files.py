"""What leaves the system after a ballot closes: the anonymised papers as a file anyone can recount with another
tool, and the count sheet naming that file's SHA-256.

- preferential: BLT, one line per paper headed by its receipt hash as the ballot id: `(hash) 1 3 2 0`;
- budget: Pabulib `.pb`, the receipt hash as `voter_id`;
- motion: CSV `receipt_hash,vote`.
Papers are written in receipt-hash order, never in the order they were cast. No file carries a member key,
participant, region or time: the region appears only in the result by region, with small cells suppressed.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

import pandas as pd

from consult.ballots import count_file, pabulib, results

if TYPE_CHECKING:
    from consult.storage.ballots import Ballot

METHOD_OF_KIND = {"preferential": "scottish-stv", "budget": "equal-shares", "motion": "motion"}


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def papers_file_name(ballot: Ballot) -> str:
    return f"ballot-{ballot.id}.{ {'preferential': 'blt', 'budget': 'pb', 'motion': 'csv'}[ballot.kind]}"


def papers_file(ballot: Ballot, papers: pd.DataFrame) -> tuple[str, bytes]:
    """(file name, bytes) of the anonymised papers."""
    name = papers_file_name(ballot)
    if ballot.kind == "preferential":
        lines = [f"{len(ballot.options)} {ballot.seats}"]
        lines += [f"({row.receipt_hash}) 1 {row.marks.replace(',', ' ')} 0" for row in papers.itertuples()]
        lines += ["0"] + [_quoted(o.label) for o in ballot.options] + [_quoted(ballot.title)]
        return name, ("\n".join(lines) + "\n").encode("utf-8")
    if ballot.kind == "budget":
        text = pabulib.dumps(results.budget_of(ballot, papers), voter_ids=papers["receipt_hash"].tolist())
        return name, text.encode("utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["receipt_hash", "vote"])
    writer.writerows(papers[["receipt_hash", "marks"]].itertuples(index=False))
    return name, out.getvalue().encode("utf-8")


def count_sheet(ballot: Ballot, papers: pd.DataFrame) -> str:
    """The published count sheet: the papers file's checksum, the command that recounts it, then the count."""
    name, data = papers_file(ballot, papers)
    method = METHOD_OF_KIND[ballot.kind]
    if ballot.kind == "preferential" and ballot.seats == 1:
        method = "irv"
    outcome = results.result(ballot, papers)
    lines = [f"Ballot {ballot.id}: {ballot.title}", f"Papers file: {name}   SHA-256: {count_file.checksum(data)}",
             f"Recount: consult count {name} --method {method} --seed {ballot.seed}"
             + (f" --eligible {ballot.eligible_count}" if ballot.kind == "motion" else ""),
             f"Eligible members: {ballot.eligible_count or 0:,} ({ballot.scope_text}); papers: {len(papers):,}",
             "", outcome.headline]
    if outcome.stv is not None:
        lines += ["", count_file.stv_sheet(outcome.stv)]
    if outcome.equal_shares is not None:
        names = {str(o.position): o.label for o in ballot.options}
        lines += ["", f"Exact ties between projects go to the one first in this order, drawn by lot with seed "
                      f"{ballot.seed}: " + "; ".join(names[p] for p in results.tie_order(ballot))]
        lines += ["", count_file.budget_sheet(outcome.equal_shares), "", count_file.budget_sheet(outcome.greedy)]
    return "\n".join(lines) + "\n"
