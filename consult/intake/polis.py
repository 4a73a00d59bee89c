"""Reading Polis export folders (comments.csv, votes.csv, participants-votes.csv, summary.csv).

In these CSV exports agree is +1, disagree -1 and pass 0, as in consult. The votes file is an event log: the
latest event by millisecond `timestamp` is a participant's current vote.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from consult import regions, storage
from consult.storage import bulk


class PolisFormatError(ValueError):
    """A Polis export that cannot be read, with a message saying which file and what is wrong."""


@dataclass
class PolisExport:
    comments: pd.DataFrame  # comment-id, author-id, moderated, comment-body, is-seed, is-meta, timestamp, ...
    events: pd.DataFrame  # timestamp, comment-id, voter-id, vote (every event)
    votes: pd.DataFrame  # the latest event per (voter, comment)
    participants_votes: pd.DataFrame | None
    summary: dict[str, str]

    @property
    def groups(self) -> pd.Series | None:
        """Polis's own opinion group per participant (NaN when not clustered), if the export carries it."""
        frame = self.participants_votes
        if frame is None or "group-id" not in frame.columns:
            return None
        return pd.to_numeric(frame.set_index("participant")["group-id"], errors="coerce")


def _read_csv(path: Path, required: list[str]) -> pd.DataFrame:
    if not path.is_file():
        raise PolisFormatError(f"{path.name} is missing from the Polis export folder {path.parent}.")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise PolisFormatError(f"{path.name} is not a readable CSV file: {exc}") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise PolisFormatError(f"{path.name} lacks the column(s) {', '.join(missing)}; is this a Polis export?")
    return frame


def _ints(series: pd.Series, what: str) -> pd.Series:
    values = pd.to_numeric(series, errors="coerce")
    if values.isna().any():
        bad = series[values.isna()].iloc[0]
        raise PolisFormatError(f"{what} holds a value that is not a number: {str(bad)[:30]!r}")
    return values.astype("int64")


SECONDS_BEFORE = 100_000_000_000  # epoch values below this are seconds (year 5138 in seconds; 1973 in ms)


def _timestamps(series: pd.Series, file: str, field: str, *, first_line: int = 2, row: str = "line") -> pd.Series:
    """Epoch milliseconds from any vintage Polis has written: epoch milliseconds, epoch seconds, or ISO 8601 with or
    without a zone (UTC assumed without one); blank is 0. Anything else stops with the file, line and field."""
    raw = series.astype(object).where(series.notna(), "").astype(str).str.strip()
    numbers = pd.to_numeric(raw.where(raw != "", "0"), errors="coerce")
    out = numbers.where(numbers >= SECONDS_BEFORE, numbers * 1000)
    text = numbers.isna()
    if text.any():
        parsed = pd.to_datetime(raw[text], errors="coerce", utc=True, format="ISO8601")
        bad = parsed.isna()
        if bad.any():
            position = int(np.flatnonzero(text.to_numpy())[np.flatnonzero(bad.to_numpy())[0]])
            raise PolisFormatError(f"{file} {row} {position + first_line}: {field} {raw.iloc[position][:40]!r} is "
                                   "neither epoch seconds or milliseconds nor an ISO 8601 date and time.")
        out[text] = (parsed - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(milliseconds=1)
    return out.round().astype("int64")


def _flag(series: pd.Series) -> pd.Series:
    return series.astype(str).str.strip().str.lower().isin(["true", "1", "t", "yes"])


def read_export(folder: str | Path, *, agree_sign: int | None = 1) -> PolisExport:
    """A Polis export folder: the CSV export (comments.csv, votes.csv, ...) or the API's JSON (votes.json,
    comments.json) as open-data archives publish it. `agree_sign` is the value that means agree in the
    source: 1 in Polis's CSV exports, -1 in its live API and database (and some archives); None reads it from the
    data (`detect_agree_sign`), and a given sign the data clearly contradicts is refused."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PolisFormatError(f"{folder} is not a folder; give the folder that holds the Polis CSV files.")
    if agree_sign not in (1, -1, None):
        raise PolisFormatError("The agree sign is 1 (Polis CSV exports) or -1 (Polis's API and database).")
    if not (folder / "votes.csv").is_file() and (folder / "votes.json").is_file():
        return read_json_export(folder, agree_sign=agree_sign)
    comments = _read_csv(folder / "comments.csv", ["comment-id", "author-id", "moderated", "comment-body"])
    comments["comment-id"] = _ints(comments["comment-id"], "comments.csv comment-id")
    repeated = comments["comment-id"][comments["comment-id"].duplicated()]
    if len(repeated):
        raise PolisFormatError(f"comments.csv lists comment-id {int(repeated.iloc[0])} more than once "
                               f"({len(repeated)} repeated row(s)); each comment needs its own id.")
    comments["moderated"] = _ints(comments["moderated"].replace("", "0"), "comments.csv moderated")
    comments["is-seed"] = _flag(comments["is-seed"]) if "is-seed" in comments else False
    comments["is-meta"] = _flag(comments["is-meta"]) if "is-meta" in comments else False
    comments["timestamp"] = _timestamps(comments["timestamp"], "comments.csv", "timestamp") \
        if "timestamp" in comments else 0
    events = _read_votes_csv(folder / "votes.csv")
    bad = ~events["vote"].isin([-1, 0, 1])
    if bad.any():
        raise PolisFormatError(f"votes.csv has {int(bad.sum())} vote(s) that are not -1, 0 or 1.")
    _refuse_unknown_comments(events, comments, "votes.csv", first_line=2)
    events["vote"] = events["vote"] * _settle_agree_sign(events, comments, agree_sign, default=1)
    events = events.sort_values(["timestamp"], kind="stable").reset_index(drop=True)
    latest = events.drop_duplicates(["voter-id", "comment-id"], keep="last").reset_index(drop=True)
    participants_votes = None
    if (folder / "participants-votes.csv").is_file():
        participants_votes = _read_csv(folder / "participants-votes.csv", ["participant"])
        participants_votes["participant"] = _ints(participants_votes["participant"], "participants-votes participant")
    summary: dict[str, str] = {}
    if (folder / "summary.csv").is_file():
        with (folder / "summary.csv").open(encoding="utf-8-sig", newline="") as handle:
            summary = {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2}
    return PolisExport(comments, events, latest, participants_votes, summary)


VOTE_COLUMNS = ["timestamp", "comment-id", "voter-id", "vote"]


def _read_votes_csv(path: Path) -> pd.DataFrame:
    """votes.csv's four columns as integers. Parsed as numbers straight away (pandas' C parser, only the needed
    columns): ten million votes read in about a third of the time and half the memory of reading text and
    converting it. A file that is not all numbers (ISO dates, a stray word) is read again as text, so the message
    can name the line and field."""
    if not path.is_file():
        raise PolisFormatError(f"{path.name} is missing from the Polis export folder {path.parent}.")
    try:
        events = pd.read_csv(path, usecols=VOTE_COLUMNS, encoding="utf-8-sig", engine="c",
                             dtype={"timestamp": "int64", "comment-id": "int64", "voter-id": "int64", "vote": "int8"})
        events = events[VOTE_COLUMNS]
        events["timestamp"] = np.where(events["timestamp"] < SECONDS_BEFORE, events["timestamp"] * 1000,
                                       events["timestamp"])
        return events
    except (ValueError, TypeError, OverflowError, pd.errors.ParserError, UnicodeDecodeError):
        pass  # the slow path below says exactly what is wrong
    events = _read_csv(path, VOTE_COLUMNS)[VOTE_COLUMNS].copy()
    events["timestamp"] = _timestamps(events["timestamp"], "votes.csv", "timestamp")
    for column in ("comment-id", "voter-id", "vote"):
        events[column] = _ints(events[column], f"votes.csv {column}")
    return events


def _refuse_unknown_comments(events: pd.DataFrame, comments: pd.DataFrame, file: str, *, first_line: int,
                             row: str = "line") -> None:
    unknown = ~events["comment-id"].isin(comments["comment-id"])
    if unknown.any():
        position = int(np.flatnonzero(unknown.to_numpy())[0])
        raise PolisFormatError(f"{file} has {int(unknown.sum()):,} vote(s) on comment ids that comments lists "
                               f"nowhere (first: {row} {position + first_line}, comment-id "
                               f"{int(events['comment-id'].iloc[position])}); is this the right pair of files?")


MIN_SELF_VOTES = 5  # authors' own votes needed before the data can say which sign means agree
MIN_AGREES_COUNTED = 20  # or this many agree events in comments.csv's agrees counts


def detect_agree_sign(events: pd.DataFrame, comments: pd.DataFrame) -> int | None:
    """Which vote value means agree, read from the data: Polis records every author as agreeing with their own
    comment, so the authors' own (non-pass) votes carry the sign (at least MIN_SELF_VOTES of them, 90% one way).
    Without them, comments.csv's `agrees` count is matched against the +1 and the -1 events. None: cannot tell."""
    own = events.merge(comments[["comment-id", "author-id"]], on="comment-id")
    own = own.loc[(own["voter-id"] == pd.to_numeric(own["author-id"], errors="coerce")) & (own["vote"] != 0), "vote"]
    if len(own) >= MIN_SELF_VOTES:
        plus = float((own == 1).mean())
        if plus >= 0.9 or plus <= 0.1:
            return 1 if plus >= 0.9 else -1
    if "agrees" in comments.columns:
        agrees = pd.to_numeric(comments.set_index("comment-id")["agrees"], errors="coerce").dropna()
        if len(agrees) and agrees.sum() >= MIN_AGREES_COUNTED:
            counts = events.groupby(["comment-id", "vote"]).size().unstack(fill_value=0)
            plus = counts.get(1, pd.Series(0, index=counts.index)).reindex(agrees.index, fill_value=0)
            minus = counts.get(-1, pd.Series(0, index=counts.index)).reindex(agrees.index, fill_value=0)
            off_plus, off_minus = float((plus - agrees).abs().sum()), float((minus - agrees).abs().sum())
            if min(off_plus, off_minus) <= 0.05 * agrees.sum() and off_plus != off_minus:
                return 1 if off_plus < off_minus else -1
    return None


def _settle_agree_sign(events: pd.DataFrame, comments: pd.DataFrame, given: int | None, *,
                       default: int | None) -> int:
    detected = detect_agree_sign(events, comments)
    if given is not None:
        if detected is not None and detected != given:
            raise PolisFormatError(f"The data says agree is {detected:+d} here (authors' own votes, or the agrees "
                                   f"counts), but the agree sign {given:+d} was given: every direction would be "
                                   f"flipped. Leave the sign out to use what the data says.")
        return given
    if detected is not None:
        return detected
    if default is None:
        raise PolisFormatError("This export does not show whether +1 or -1 means agree (no authors' own votes and "
                               "no agrees counts): give the agree sign (1 for Polis CSV exports, -1 for its API).")
    return default


def _json_records(path: Path) -> pd.DataFrame:
    import json

    if not path.is_file():
        raise PolisFormatError(f"{path.name} is missing from the Polis folder {path.parent}.")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PolisFormatError(f"{path.name} is not readable JSON: {exc}") from exc
    if isinstance(data, dict):  # some archives wrap the list, e.g. {"votes": [...]}
        data = next((v for v in data.values() if isinstance(v, list)), [])
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise PolisFormatError(f"{path.name} should hold a list of records.")
    return pd.DataFrame(data)


def _first_column(frame: pd.DataFrame, names: tuple[str, ...], file: str) -> pd.Series:
    for name in names:
        if name in frame.columns:
            return frame[name]
    raise PolisFormatError(f"{file} lacks the field {names[0]!r} (or {', '.join(map(repr, names[1:]))}).")


def read_json_export(folder: str | Path, *, agree_sign: int | None = 1) -> PolisExport:
    """The Polis API's JSON: votes.json (participant_id, statement_id, vote, modified) and comments.json
    (statement_id or tid, txt, moderated, is_meta). A changed vote: the latest `modified` wins."""
    folder = Path(folder)
    raw_votes = _json_records(folder / "votes.json")
    raw_comments = _json_records(folder / "comments.json")
    if raw_votes.empty or raw_comments.empty:
        raise PolisFormatError("votes.json and comments.json must each hold at least one record.")
    comments = pd.DataFrame({
        "comment-id": _ints(_first_column(raw_comments, ("statement_id", "tid", "comment_id"), "comments.json"),
                            "comments.json statement_id"),
        "author-id": _first_column(raw_comments, ("participant_id", "pid", "author_id"), "comments.json")
        if {"participant_id", "pid", "author_id"} & set(raw_comments.columns) else -1,
        "moderated": _ints(raw_comments.get("moderated", pd.Series(0, index=raw_comments.index)).fillna(0),
                           "comments.json moderated"),
        "comment-body": _first_column(raw_comments, ("txt", "text", "comment_body"), "comments.json").astype(str),
        "is-seed": _flag(raw_comments.get("is_seed", pd.Series(False, index=raw_comments.index))),
        "is-meta": _flag(raw_comments.get("is_meta", pd.Series(False, index=raw_comments.index))),
        "timestamp": _timestamps(raw_comments.get("created", pd.Series(0, index=raw_comments.index)),
                                 "comments.json", "created", first_line=1, row="record"),
    })
    comments["author-id"] = pd.to_numeric(comments["author-id"], errors="coerce").fillna(-1).astype("int64")
    if comments["comment-id"].duplicated().any():
        raise PolisFormatError("comments.json lists a statement id more than once.")
    events = pd.DataFrame({
        "timestamp": _timestamps(raw_votes.get("modified", pd.Series(0, index=raw_votes.index)),
                                 "votes.json", "modified", first_line=1, row="record"),
        "comment-id": _ints(_first_column(raw_votes, ("statement_id", "tid", "comment_id"), "votes.json"),
                            "votes.json statement_id"),
        "voter-id": _ints(_first_column(raw_votes, ("participant_id", "pid", "voter_id"), "votes.json"),
                          "votes.json participant_id"),
        "vote": _ints(_first_column(raw_votes, ("vote",), "votes.json"), "votes.json vote"),
    })
    if (~events["vote"].isin([-1, 0, 1])).any():
        raise PolisFormatError("votes.json has votes that are not -1, 0 or 1.")
    _refuse_unknown_comments(events, comments, "votes.json", first_line=1, row="record")
    events["vote"] = events["vote"] * _settle_agree_sign(events, comments, agree_sign, default=None)
    events = events.sort_values(["timestamp"], kind="stable").reset_index(drop=True)
    latest = events.drop_duplicates(["voter-id", "comment-id"], keep="last").reset_index(drop=True)
    return PolisExport(comments, events, latest, None, {})


def participants_votes_frame(export: PolisExport) -> pd.DataFrame:
    """The latest votes as consult's votes frame (participant_id, proposal_id, value, region)."""
    votes = export.votes
    return pd.DataFrame({"participant_id": votes["voter-id"], "proposal_id": votes["comment-id"],
                         "value": votes["vote"].astype("int8"), "region": regions.UNDISCLOSED})


def matrix_votes_frame(export: PolisExport) -> pd.DataFrame:
    """Votes as Polis's participants-votes.csv records them (one column per comment)."""
    frame = export.participants_votes
    if frame is None:
        raise PolisFormatError("This export has no participants-votes.csv.")
    comment_cols = [c for c in frame.columns if c.strip().isdigit()]
    long = frame.melt(id_vars=["participant"], value_vars=comment_cols, var_name="proposal_id", value_name="value")
    long = long[long["value"].astype(str).str.strip() != ""]
    return pd.DataFrame({"participant_id": long["participant"].astype("int64"),
                         "proposal_id": long["proposal_id"].astype("int64"),
                         "value": pd.to_numeric(long["value"]).astype("int8"), "region": regions.UNDISCLOSED})


def zeroed_comments(export: PolisExport) -> set[int]:
    """Comments Polis leaves out of the opinion maths: moderated out or marked meta."""
    comments = export.comments
    return set(comments.loc[(comments["moderated"] == -1) | comments["is-meta"], "comment-id"].astype(int))


def import_export(engine: Engine, folder: str | Path, *, title: str | None = None, actor: str = "import",
                  agree_sign: int | None = None) -> int:
    """Create a consultation from a Polis export folder (CSV or the API's JSON); returns its id."""
    export = read_export(folder, agree_sign=agree_sign)
    comments = export.comments
    topic = title or export.summary.get("topic") or f"Polis import: {Path(folder).name}"
    question = export.summary.get("conversation-description") or topic
    consultation = storage.create_consultation(
        engine, title=topic[:200], question=question, description=f"Imported from the Polis export {Path(folder).name}.",
        phase="results", min_chars=1, max_chars=10_000, max_proposals_per_participant=10_000, source="polis",
        actor=actor,
    )
    people = sorted(set(export.events["voter-id"]) | set(_ints(comments["author-id"], "comments.csv author-id")))
    participants = pd.DataFrame({"external_id": [str(p) for p in people], "region": regions.UNDISCLOSED,
                                 "channel": "import"})
    # Polis: 1 accepted by a moderator, -1 moderated out, 0 never looked at. Never-moderated comments are held as
    # pending (an officer approves them in Moderation), so nothing goes to members unseen by anyone
    status = np.select([comments["moderated"] == 1, comments["moderated"] == -1], ["published", "hidden"], "pending")
    proposals = pd.DataFrame({
        "external_id": comments["comment-id"].astype(str), "author_external_id": comments["author-id"].astype(str),
        "body": comments["comment-body"], "tier": "uk", "status": status, "is_seed": comments["is-seed"],
        "is_meta": comments["is-meta"], "created_ms": comments["timestamp"],
    })

    def as_ours(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"participant_external_id": frame["voter-id"].astype(str),
                             "proposal_external_id": frame["comment-id"].astype(str), "value": frame["vote"],
                             "created_ms": frame["timestamp"]})

    try:
        bulk.load(engine, consultation.id, participants=participants, proposals=proposals,
                  votes=as_ours(export.votes), events=as_ours(export.events))
    except Exception:
        storage.delete_consultation(engine, consultation.id)  # nothing half-written: no empty consultation left
        raise
    return consultation.id
