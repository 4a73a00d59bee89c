"""A consultation in Polis's export schema (comments, votes, participants-votes, summary), folder or zip.

It goes through the same publishing rules as every other export: participants appear as small numbers in
keyed-hash order (never database ids, and unrelated to the pseudonyms in the votes export), every text cell
is made inert, and times are cut to the day, with one row per current vote rather than the millisecond event
log, which could be matched against other records to tell who voted when.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from consult import storage
from consult.publishing import pseudonyms
from consult.publishing.schemas import ID, NUMBER, publish
from consult.storage import group_history, visibility

DAY_MS = 86_400_000


def _day(ms: pd.Series) -> pd.Series:
    return (ms.astype("int64") // DAY_MS) * DAY_MS


def _stamp(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%a %b %d %H:%M:%S UTC %Y")


def export_consultation(engine: Engine, consultation_id: int, folder: str | Path,
                        groups: pd.Series | None = None) -> list[Path]:
    """Write the consultation as a Polis export folder; returns the files written.

    Published proposals and the votes on them only: pending, hidden and merged texts never leave in an export
    (the moderation export on the Export page is the one file that carries them, and says so)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    consultation = storage.get_consultation(engine, consultation_id)
    proposals = storage.proposals_frame(engine, consultation_id, statuses=(visibility.PUBLIC_STATUS,))
    votes = storage.votes_frame(engine, consultation_id, published_only=True)
    numbers = pseudonyms.export_numbers(consultation_id, set(votes["participant_id"]) |
                                        set(proposals["author_id"].dropna().astype(int)))
    tally = votes.groupby("proposal_id")["value"].agg(agrees=lambda v: int((v == 1).sum()),
                                                      disagrees=lambda v: int((v == -1).sum()))
    created = _day(proposals["created_ms"])
    comments = pd.DataFrame({
        "timestamp": created, "datetime": created.map(_stamp), "comment-id": proposals["id"],
        "author-id": proposals["author_id"].map(lambda a: numbers.get(int(a)) if pd.notna(a) else None)
        .astype("Int64"),
        "agrees": proposals["id"].map(tally["agrees"]).fillna(0).astype(int) if len(tally) else 0,
        "disagrees": proposals["id"].map(tally["disagrees"]).fillna(0).astype(int) if len(tally) else 0,
        "moderated": 1,  # every comment here was published
        "is-meta": proposals["is_meta"].astype(bool).map(str).str.lower(),
        "is-seed": proposals["is_seed"].astype(bool).map(str).str.lower(),
        "comment-body": proposals["body"],
    })
    voted = _day(votes["updated_ms"])
    vote_log = pd.DataFrame({"timestamp": voted, "datetime": voted.map(_stamp), "comment-id": votes["proposal_id"],
                             "voter-id": votes["participant_id"].map(numbers), "vote": votes["value"].astype(int)})
    vote_log = vote_log.sort_values(["timestamp", "voter-id", "comment-id"], kind="stable")
    if groups is None:
        groups = (group_history.current_groups(engine, consultation_id, votes).labels_ if not votes.empty
                  else pd.Series(dtype=float))
    participants_votes = _participants_votes(votes, proposals, groups, numbers)
    paths = [folder / "comments.csv", folder / "votes.csv", folder / "participants-votes.csv", folder / "summary.csv"]
    publish(comments, "polis-comments").to_csv(paths[0], index=False)
    publish(vote_log, "polis-votes").to_csv(paths[1], index=False)
    declared = {"participant": ID, "group-id": NUMBER, "n-comments": NUMBER, "n-votes": NUMBER,
                "n-agree": NUMBER, "n-disagree": NUMBER, **{str(c): NUMBER for c in proposals["id"]}}
    publish(participants_votes.reindex(columns=list(declared)), declared).to_csv(paths[2], index=False)
    summary = io.StringIO()
    writer = csv.writer(summary)
    for key, value in [("topic", consultation.title), ("url", f"consult:{consultation.join_code}"),
                       ("voters", votes["participant_id"].nunique()), ("comments", len(proposals)),
                       ("groups", int(pd.Series(groups).dropna().nunique())),
                       ("conversation-description", consultation.question)]:
        writer.writerow([key, value])
    summary_frame = pd.read_csv(io.StringIO(summary.getvalue()), header=None, names=["key", "value"], dtype=str)
    publish(summary_frame, {"key": "text", "value": "text"}).to_csv(paths[3], index=False, header=False)
    return paths


def _participants_votes(votes: pd.DataFrame, proposals: pd.DataFrame, groups: pd.Series,
                        numbers: dict[int, int]) -> pd.DataFrame:
    if votes.empty:
        return pd.DataFrame(columns=["participant"])
    wide = votes.pivot(index="participant_id", columns="proposal_id", values="value")
    authored = proposals.groupby("author_id").size()
    rows = []
    for participant_id in sorted(wide.index, key=lambda pid: numbers[int(pid)]):
        mine = wide.loc[participant_id]
        group = groups.get(participant_id, np.nan)
        rows.append({
            "participant": numbers[int(participant_id)], "group-id": "" if pd.isna(group) else int(group),
            "n-comments": int(authored.get(participant_id, 0)), "n-votes": int(mine.notna().sum()),
            "n-agree": int((mine == 1).sum()), "n-disagree": int((mine == -1).sum()),
            **{str(c): ("" if pd.isna(mine.get(c)) else int(mine.get(c))) for c in proposals["id"]},
        })
    return pd.DataFrame(rows)


def polis_zip(engine: Engine, consultation_id: int) -> bytes:
    """The Polis export folder, zipped."""
    with tempfile.TemporaryDirectory() as folder:
        paths = export_consultation(engine, consultation_id, Path(folder))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, arcname=path.name)
    return buffer.getvalue()
