"""Bringing other tools' responses in: a column mapping, row checks, and a report of what was rejected."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from consult import polis, regions, storage
from consult.storage import bulk
from consult.text import clean_text

# bandit reads "pass" as a password: it is an answer label
LIKERT = {"strongly agree": 1, "agree": 1, "yes": 1, "support": 1, "1": 1, "+1": 1,
          "strongly disagree": -1, "disagree": -1, "no": -1, "oppose": -1, "-1": -1,
          "neither agree nor disagree": 0, "neutral": 0, "don't know": 0, "dont know": 0, "pass": 0, "0": 0,  # nosec B105
          "not sure": 0}
MAX_ZIP_BYTES = 200 * 1024 * 1024
MAX_ZIP_FILES = 50


@dataclass
class Mapping:
    """Which column holds what. Only `text` is required."""

    text: str
    region: str | None = None
    respondent: str | None = None
    stance: str | None = None  # agree/disagree or Likert answers about the respondent's own response


@dataclass
class ImportReport:
    accepted: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row number in the file, reason)
    duplicates: int = 0
    unknown_regions: dict[str, int] = field(default_factory=dict)
    consultation_id: int | None = None

    def rejected_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rejected, columns=["row", "reason"])


def validate(frame: pd.DataFrame, mapping: Mapping, *, min_chars: int = 1, max_chars: int = 10_000) -> tuple[
        pd.DataFrame, ImportReport]:
    """Rows that can be imported (text, region, respondent, stance) and a report of the rest."""
    for role, column in (("text", mapping.text), ("region", mapping.region), ("respondent", mapping.respondent),
                         ("stance", mapping.stance)):
        if column is not None and column not in frame.columns:
            raise ValueError(f"The {role} column {column!r} is not in the file.")
    report = ImportReport()
    rows, seen = [], set()
    for position, record in enumerate(frame.to_dict("records")):
        line = position + 2  # the header is line 1
        text = clean_text(str(record.get(mapping.text) or ""))
        if not text:
            report.rejected.append((line, "empty response"))
            continue
        if len(text) < min_chars:
            report.rejected.append((line, f"shorter than {min_chars} characters"))
            continue
        if len(text) > max_chars:
            report.rejected.append((line, f"longer than {max_chars} characters"))
            continue
        region = regions.UNDISCLOSED
        if mapping.region:
            raw = str(record.get(mapping.region) or "").strip()
            region = regions.match_region(raw)
            if region is None:
                report.unknown_regions[raw[:40]] = report.unknown_regions.get(raw[:40], 0) + 1
                region = regions.UNDISCLOSED
        respondent = str(record.get(mapping.respondent) or "").strip()[:64] if mapping.respondent else ""
        respondent = respondent or f"row-{line}"
        if respondent in seen:
            report.rejected.append((line, f"respondent {respondent!r} appears more than once"))
            continue
        seen.add(respondent)
        stance = None
        if mapping.stance:
            answer = str(record.get(mapping.stance) or "").strip().lower()
            stance = LIKERT.get(answer)
            if answer and stance is None:
                report.rejected.append((line, f"stance {answer[:30]!r} is not agree/disagree or a Likert answer"))
                continue
        rows.append({"text": text, "region": region, "respondent": respondent, "stance": stance})
    accepted = pd.DataFrame(rows, columns=["text", "region", "respondent", "stance"])
    report.accepted = len(accepted)
    return accepted, report


def import_responses(engine: Engine, frame: pd.DataFrame, mapping: Mapping, *, title: str,
                     question: str = "Imported responses", actor: str = "import") -> ImportReport:
    """Create a consultation from mapped rows: each response a proposal by its respondent, with its region.

    A stance column becomes the respondent's own vote on their response. Identical texts are kept (campaign
    responses are evidence) and counted in the report.
    """
    accepted, report = validate(frame, mapping)
    if accepted.empty:
        raise ValueError("No rows could be imported: " + "; ".join(f"line {r}: {why}" for r, why in report.rejected[:5]))
    consultation = storage.create_consultation(engine, title=title, question=question, phase="results",
                                             min_chars=1, max_chars=10_000, max_proposals_per_participant=10_000,
                                             source="import", actor=actor)
    participants = pd.DataFrame({"external_id": accepted["respondent"], "region": accepted["region"],
                                 "channel": "import"})
    proposals = pd.DataFrame({"external_id": accepted["respondent"], "author_external_id": accepted["respondent"],
                              "body": accepted["text"], "tier": "uk", "region": accepted["region"]})
    stances = accepted.dropna(subset=["stance"])
    votes = pd.DataFrame({"participant_external_id": stances["respondent"],
                          "proposal_external_id": stances["respondent"],
                          "value": stances["stance"].astype(int), "created_ms": storage.now_ms()})
    try:
        bulk.load(engine, consultation.id, participants=participants, proposals=proposals, votes=votes)
    except Exception:
        storage.delete_consultation(engine, consultation.id)  # nothing half-written: no empty consultation left
        raise
    report.duplicates = int(accepted["text"].duplicated().sum())
    report.consultation_id = consultation.id
    return report


def import_polis_zip(engine: Engine, data: bytes, *, directory: Path, title: str | None = None) -> int:
    """Unpack a zipped Polis export safely (size, count and path checks) and import it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise polis.PolisFormatError("That file is not a readable zip archive.") from exc
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_ZIP_FILES:
        raise polis.PolisFormatError(f"The zip holds {len(members)} files; a Polis export has a handful.")
    if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
        raise polis.PolisFormatError("The zip unpacks to more than 200 MB; that is not a Polis export.")
    wanted = {"comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"}
    directory.mkdir(parents=True, exist_ok=True)
    for member in members:
        name = Path(member.filename).name  # never trust paths inside an archive
        if name in wanted:
            with archive.open(member) as source:
                payload = source.read(MAX_ZIP_BYTES + 1)
            if len(payload) > MAX_ZIP_BYTES:
                raise polis.PolisFormatError(f"{name} is too large.")
            (directory / name).write_bytes(payload)
    return polis.import_export(engine, directory, title=title)
