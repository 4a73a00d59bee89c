"""The officers' response workflow over storage: refresh the "needs an answer" queue from the thresholds, and
apply a spreadsheet of responses (so a policy meeting can work in Excel) with a report of rows not applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from consult import storage
from consult.responses import thresholds as answer_thresholds
from consult.storage import responses
from consult.support import pooled as regional

IMPORT_COLUMNS = ("proposal", "status", "response")
OPTIONAL_COLUMNS = ("referred_to", "decided_by")


def refresh_queue(engine: Engine, consultation_id: int) -> int:
    """Check every published proposal against the consultation's thresholds; returns how many newly need an
    answer (those already queued keep the time they first crossed)."""
    rules = responses.thresholds(engine, consultation_id)
    if not rules.any:
        return 0
    consultation = storage.get_consultation(engine, consultation_id)
    votes = storage.votes_frame(engine, consultation_id, published_only=True)
    if votes.empty:
        return 0
    summary, _ = regional.proposal_summary(votes, storage.baseline_for(engine, consultation),
                                           min_cell=consultation.min_cell)
    evidence = answer_thresholds.crossing(summary, votes, rules, min_cell=consultation.min_cell)
    return responses.oblige(engine, consultation_id, evidence)


def status_code(value: str) -> str | None:
    """A status as typed in a spreadsheet ("Accepted in part", "accepted_in_part", "NOT TAKEN FORWARD")."""
    folded = " ".join(str(value).replace("_", " ").replace("-", " ").split()).casefold()
    for code, label in responses.STATUS_LABELS.items():
        if folded in (code.replace("_", " "), label.casefold()):
            return code
    if folded in ("referred to", "refer"):
        return "referred"
    return None


@dataclass
class WorkbookReport:
    rows: int
    applied: int
    published: int = 0
    rejected: list[dict] = field(default_factory=list)  # line, proposal, reason
    held_back: list[int] = field(default_factory=list)  # applied as drafts, not published: a decision without text

    def rejected_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rejected, columns=["line", "proposal", "reason"])


def apply_responses_workbook(engine: Engine, consultation_id: int, frame: pd.DataFrame, *, actor: str,
                     publish: bool = False) -> WorkbookReport:
    """Apply rows of (proposal, status, response[, referred_to, decided_by]) as drafts, each on its own so one
    bad row loses nothing else; with `publish`, publish the applied ones. Line numbers count the header as 1."""
    missing = [c for c in IMPORT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"The responses file needs the columns {', '.join(IMPORT_COLUMNS)}; missing "
                         f"{', '.join(missing)}. The columns are: {', '.join(map(str, frame.columns))}.")
    known = set(storage.proposals_frame(engine, consultation_id)["id"])
    report = WorkbookReport(rows=len(frame), applied=0)
    applied: list[int] = []
    for position, row in enumerate(frame.fillna("").astype(str).to_dict("records")):
        line, raw_id = position + 2, row["proposal"].strip()

        def refuse(reason: str, line=line, raw_id=raw_id) -> None:
            report.rejected.append({"line": line, "proposal": raw_id[:40], "reason": reason})

        proposal_id = pd.to_numeric(raw_id.lstrip("#"), errors="coerce")
        if pd.isna(proposal_id) or int(proposal_id) not in known:
            refuse("no such proposal in this consultation")
            continue
        status = status_code(row["status"])
        if status is None:
            refuse(f"unknown status {row['status'][:40]!r}; use one of {', '.join(responses.STATUS_LABELS.values())}")
            continue
        try:
            responses.save_draft(engine, int(proposal_id), status=status, body=row["response"],
                                 referred_to=row.get("referred_to", ""), decided_by=row.get("decided_by", ""),
                                 actor=actor)
        except storage.StoreError as exc:
            refuse(str(exc))
            continue
        applied.append(int(proposal_id))
    report.applied = len(applied)
    if publish and applied:
        blank = _blank_decisions(engine, consultation_id, applied)
        report.held_back = sorted(blank)
        ready = [pid for pid in applied if pid not in blank]
        report.published = responses.publish(engine, ready, actor=actor) if ready else 0
    return report


def _blank_decisions(engine: Engine, consultation_id: int, ids: list[int]) -> set[int]:
    frame = responses.responses_frame(engine, consultation_id)
    frame = frame[frame["proposal_id"].isin(ids)]
    return set(frame.loc[(frame["status"] != "under_consideration") & (frame["body"].str.strip() == ""),
                         "proposal_id"])


def draft_many(engine: Engine, proposal_ids: list[int], *, status: str, body: str, referred_to: str = "",
               decided_by: str = "", actor: str) -> tuple[list[int], list[str]]:
    """One response drafted for several proposals (say, 40 about bus franchising); each is saved on its own, so
    a proposal that cannot take this status is reported and the rest are kept. Returns (saved ids, problems)."""
    saved, problems = [], []
    for proposal_id in proposal_ids:
        try:
            responses.save_draft(engine, int(proposal_id), status=status, body=body, referred_to=referred_to,
                                 decided_by=decided_by, actor=actor)
        except storage.StoreError as exc:
            problems.append(f"#{proposal_id}: {exc}")
            continue
        saved.append(int(proposal_id))
    return saved, problems


def unpublished_drafts(engine: Engine, consultation_id: int) -> list[int]:
    """Proposals whose draft differs from what members see and has words: ready to publish."""
    frame = responses.responses_frame(engine, consultation_id)
    frame = frame[frame["draft_differs"] & (frame["proposal_status"] == "published")]
    return frame.loc[frame["body"].str.strip() != "", "proposal_id"].astype(int).tolist()


def drafts_without_words(engine: Engine, consultation_id: int) -> int:
    """Drafts that differ from what members see but have no response text yet (never published as they are)."""
    frame = responses.responses_frame(engine, consultation_id)
    frame = frame[frame["draft_differs"] & (frame["proposal_status"] == "published")]
    return int((frame["body"].str.strip() == "").sum())


def publish_preview(engine: Engine, consultation_id: int, proposal_ids: list[int]) -> pd.DataFrame:
    """What members will read once these drafts are published: proposal, decision, response, referred to."""
    frame = responses.responses_frame(engine, consultation_id).set_index("proposal_id").loc[proposal_ids]
    return pd.DataFrame({"Proposal": frame["proposal"].to_numpy(),
                         "Decision": frame["status"].map(responses.STATUS_LABELS).to_numpy(),
                         "Response": frame["body"].to_numpy(), "Referred to": frame["referred_to"].to_numpy()})


def day_ms(day: dt.date | None) -> int | None:
    """A calendar day as milliseconds since the epoch at midnight UTC (how timestamps are stored)."""
    if day is None:
        return None
    return int(dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC).timestamp() * 1000)
