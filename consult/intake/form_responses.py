"""Bringing other tools' responses in: a column mapping, row checks, and a report of what was rejected."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from consult import regions, storage
from consult.intake import form_times, polis
from consult.intake import stance_scales as answer_scales
from consult.storage import bulk
from consult.text.cleaning import clean_text, counted

MAX_ZIP_BYTES = 200 * 1024 * 1024
MAX_ZIP_FILES = 50


@dataclass
class Mapping:
    """Which column holds what. Only `text` is required.

    `stance_values` maps each answer of the stance column (as `answer_scales.clean_answer` writes it) to 1, -1,
    0 or None (cannot be read); None means "read them with `answer_scales`". `region_values` maps region
    spellings that were not recognised to a region code, as an officer chose by hand."""

    text: str
    region: str | None = None
    respondent: str | None = None
    stance: str | None = None  # agree/disagree, a number on a scale or words, about the respondent's own response
    stance_values: dict[str, int | None] | None = None
    region_values: dict[str, str] = field(default_factory=dict)
    created: str | None = None  # when each response was made (a form's Timestamp column): form_times reads it


@dataclass
class FormImportReport:
    """What happened to every row: rows_in = accepted + rejected, always."""

    rows_in: int = 0
    accepted: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line in the file, reason): row not imported
    blanked: list[tuple[int, str]] = field(default_factory=list)  # (line, reason): row imported, one answer left blank
    long_answers: list[int] = field(default_factory=list)  # lines of answers over the length flag, kept whole
    unknown_regions: dict[str, list[int]] = field(default_factory=dict)  # spelling -> lines, kept as undisclosed
    duplicates: int = 0
    consultation_id: int | None = None
    long_answer_chars: int = 0
    stance_column: str | None = None  # the column read as each respondent's vote on their own response
    created_column: str | None = None  # the column read as when each response was made
    unread_times: list[tuple[int, str]] = field(default_factory=list)  # (line, value): imported at import time

    def rejected_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rejected, columns=["row", "reason"])

    def notes_frame(self) -> pd.DataFrame:
        """Every row with something to say about it, rejected or not: line, what happened, why."""
        notes = [(line, "rejected", why) for line, why in self.rejected]
        notes += [(line, "answer left blank", why) for line, why in self.blanked]
        notes += [(line, "kept, flagged", f"longer than {self.long_answer_chars:,} characters")
                  for line in self.long_answers]
        notes += [(line, "region not recognised", f"{spelling or '(blank)'!r} kept as prefer not to say")
                  for spelling, lines in self.unknown_regions.items() for line in lines]
        notes += [(line, "time not read", f"{value!r} is not a date and time we can read: given the import's time")
                  for line, value in self.unread_times]
        return pd.DataFrame(sorted(notes), columns=["row", "what happened", "why"])

    def summary(self) -> list[str]:
        """The counts in words, adding up: rows in = accepted + rejected (with reasons)."""
        lines = [f"{self.rows_in:,} rows in: {self.accepted:,} accepted, {len(self.rejected):,} rejected"]
        reasons = pd.Series([_reason_kind(why) for _, why in self.rejected], dtype=object).value_counts()
        lines += [f"  rejected, {reason}: {count:,}" for reason, count in reasons.items()]
        if self.blanked:
            lines.append(f"{len(self.blanked):,} accepted rows had an answer that could not be read (left blank)")
        if self.unknown_regions:
            lines.append(f"{sum(map(len, self.unknown_regions.values())):,} accepted rows had a region that was not "
                         "recognised (kept as prefer not to say): " +
                         ", ".join(f"{k or '(blank)'!r} ×{len(v)}" for k, v in self.unknown_regions.items()))
        if self.long_answers:
            many = len(self.long_answers) != 1
            lines.append(f"{counted(len(self.long_answers), 'answer')} {'are' if many else 'is'} longer than "
                         f"{self.long_answer_chars:,} characters (kept whole, flagged)")
        if self.duplicates:
            lines.append(f"{self.duplicates:,} responses repeat another word for word (kept: campaigns are evidence)")
        lines.append(f"Each respondent's vote on their own response: from the column {self.stance_column!r}"
                     if self.stance_column else "No column was read as respondents' votes on their own responses: "
                     "they start with no votes.")
        if self.created_column:
            unread = f" ({len(self.unread_times):,} could not be read: given the import's time)" \
                if self.unread_times else ""
            lines.append(f"When each response was made: from the column {self.created_column!r}{unread}")
        else:
            lines.append("No time column: every response is dated when it was imported.")
        return lines


def _reason_kind(reason: str) -> str:
    return "respondent appears more than once" if reason.startswith("respondent ") else reason


_TEXT_HEADER = re.compile(r"respon|answer|comment|proposal|text|idea|view|suggest|feedback|why", re.IGNORECASE)
# a stance is guessed only from a column whose header is about the respondent's own proposal ("How strongly do you
# support this?", "Your stance on your idea"): a general attitude question ("Do you support devolution?") is not
# each respondent's vote on what they wrote
_OWN_STANCE_HEADER = re.compile(r"\bstance\b|\b(?:support|agree)\w*\b.*\b(?:this|it|your|own|above)\b"
                                r"|\b(?:your|own|this)\b.*\b(?:idea|proposal|suggestion)\b", re.IGNORECASE)
_RESPONDENT_HEADER = re.compile(r"member|respondent|participant|\bid\b|number|no\.|ref", re.IGNORECASE)
_NOT_PROSE = re.compile(r"^[\d\s:/.\-+TZ,]*$")  # timestamps, dates, numbers


def guess_mapping(frame: pd.DataFrame) -> Mapping:
    """A first guess at which column holds what, from headers and content: the response is the column of
    longest prose (not the timestamp before it), the region the column whose values read as regions, the stance
    the short column whose values read as agree/disagree answers and whose header is about the respondent's own
    proposal (else none), the respondent a mostly-unique id column."""
    if frame.empty or not len(frame.columns):
        raise ValueError("The file has no rows to import.")
    sample = frame.head(500)
    values = {column: sample[column].map(answer_scales.clean_answer) for column in frame.columns}
    filled = {column: v[v != ""] for column, v in values.items()}

    def share(column: str, test) -> float:
        cells = filled[column]
        return float(cells.map(test).mean()) if len(cells) else 0.0

    region_share = {c: share(c, lambda v: regions.match_region(v) is not None) for c in frame.columns}
    region = max(region_share, key=region_share.get)
    region = region if region_share[region] >= 0.5 else None
    scale_of = {c: answer_scales.infer_scale(filled[c].unique()) for c in frame.columns}
    stance_share = {c: share(c, lambda v, c=c: answer_scales.read_answer(v, scale_of[c]) is not None)
                    for c in frame.columns if c != region and filled[c].str.len().median() <= 40
                    and _OWN_STANCE_HEADER.search(str(c))}
    stance = max(stance_share, key=stance_share.get) if stance_share else None
    stance = stance if stance is not None and stance_share[stance] >= 0.6 else None

    def prose(column: str) -> float:
        cells = filled[column]
        if column in (region, stance) or not len(cells) or cells.map(lambda v: bool(_NOT_PROSE.match(v))).mean() > 0.5:
            return -1.0
        return float(cells.str.len().median()) * (2.0 if _TEXT_HEADER.search(str(column)) else 1.0)

    text = max(frame.columns, key=prose)
    if prose(text) < 0:
        text = frame.columns[0]
    respondent = next((c for c in frame.columns if c not in (text, region, stance)
                       and _RESPONDENT_HEADER.search(str(c)) and len(filled[c])
                       and filled[c].nunique() >= 0.9 * len(filled[c])), None)
    created = next((c for c in frame.columns if c not in (text, region, stance, respondent)
                    and form_times.is_time_header(c) and form_times.readable_share(sample[c]) >= 0.6), None)
    return Mapping(text=str(text), region=region, respondent=respondent, stance=stance, created=created)


def stance_reader(frame: pd.DataFrame, mapping: Mapping) -> dict[str, int | None]:
    """The answer -> stance reading used for the mapping's stance column (the officer's edits, or inferred)."""
    if mapping.stance is None:
        return {}
    if mapping.stance_values is not None:
        return dict(mapping.stance_values)
    table, _ = answer_scales.answer_mapping(frame[mapping.stance])
    return {answer: (None if pd.isna(stance) else int(stance)) for answer, stance in
            zip(table["answer"], table["stance"], strict=True)}


def validate(frame: pd.DataFrame, mapping: Mapping, *, min_chars: int = 1, max_chars: int = 10_000,
             long_answer_chars: int = 2_000) -> tuple[pd.DataFrame, FormImportReport]:
    """Rows that can be imported (text, region, respondent, stance) and a report on every row.

    A row is rejected only when it has no usable response (empty, or beyond the `max_chars` the database holds)
    or repeats a respondent; a stance that cannot be read blanks that answer and the row stays; an unrecognised
    region is kept as "prefer not to say" and listed with its rows; answers over `long_answer_chars` are kept
    whole and flagged."""
    for role, column in (("text", mapping.text), ("region", mapping.region), ("respondent", mapping.respondent),
                         ("stance", mapping.stance), ("time", mapping.created)):
        if column is not None and column not in frame.columns:
            raise ValueError(f"The {role} column {column!r} is not in the file.")
    report = FormImportReport(rows_in=len(frame), long_answer_chars=long_answer_chars,
                              stance_column=mapping.stance, created_column=mapping.created)
    stances = stance_reader(frame, mapping)
    times = form_times.read_times(frame[mapping.created]).tolist() if mapping.created else [None] * len(frame)
    rows, seen = [], set()
    for position, record in enumerate(frame.to_dict("records")):
        line = position + 2  # the header is line 1
        value = record.get(mapping.text)
        text = "" if value is None or (isinstance(value, float) and value != value) else clean_text(str(value))
        if not text:
            report.rejected.append((line, "empty response"))
            continue
        if len(text) < min_chars:
            report.rejected.append((line, f"shorter than {min_chars} characters"))
            continue
        if len(text) > max_chars:
            report.rejected.append((line, f"longer than {max_chars:,} characters, the most a response can hold"))
            continue
        if len(text) > long_answer_chars:
            report.long_answers.append(line)
        region = regions.UNDISCLOSED
        if mapping.region:
            raw = answer_scales.clean_answer(record.get(mapping.region))
            region = mapping.region_values.get(raw) or regions.match_region(raw)
            if region is None:
                report.unknown_regions.setdefault(raw[:40], []).append(line)
                region = regions.UNDISCLOSED
        respondent = answer_scales.clean_answer(record.get(mapping.respondent))[:64] if mapping.respondent else ""
        respondent = respondent or f"row-{line}"
        if respondent in seen:
            report.rejected.append((line, f"respondent {respondent!r} appears more than once"))
            continue
        seen.add(respondent)
        stance = None
        if mapping.stance:
            answer = answer_scales.clean_answer(record.get(mapping.stance))
            stance = stances.get(answer)
            if answer and stance is None:
                report.blanked.append((line, f"stance {answer[:30]!r} cannot be read as agree, disagree or neutral"))
        created = times[position]
        if mapping.created and pd.isna(created):
            created = None
            report.unread_times.append((line, answer_scales.clean_answer(record.get(mapping.created))[:40]))
        rows.append({"text": text, "region": region, "respondent": respondent, "stance": stance,
                     "created_ms": None if created is None or pd.isna(created) else int(created)})
    accepted = pd.DataFrame(rows, columns=["text", "region", "respondent", "stance", "created_ms"])
    accepted["stance"] = accepted["stance"].astype("Int64")
    accepted["created_ms"] = accepted["created_ms"].astype("Int64")
    report.accepted = len(accepted)
    return accepted, report


def import_form_responses(engine: Engine, frame: pd.DataFrame, mapping: Mapping, *, title: str,
                     question: str = "Imported responses", actor: str = "import",
                     long_answer_chars: int = 2_000) -> FormImportReport:
    """Create a consultation from mapped rows: each response a proposal by its respondent, with its region.

    A stance column becomes the respondent's own vote on their response. Identical texts are kept (campaign
    responses are evidence) and counted in the report.
    """
    accepted, report = validate(frame, mapping, long_answer_chars=long_answer_chars)
    if accepted.empty:
        raise ValueError("No rows could be imported: " + "; ".join(f"line {r}: {why}" for r, why in report.rejected[:5]))
    consultation = storage.create_consultation(engine, title=title, question=question, phase="results",
                                             min_chars=1, max_chars=10_000, max_proposals_per_participant=10_000,
                                             source="import", actor=actor)
    created = accepted["created_ms"].fillna(storage.now_ms()).astype("int64")  # unread: when imported
    participants = pd.DataFrame({"external_id": accepted["respondent"], "region": accepted["region"],
                                 "channel": "import", "created_ms": created})
    proposals = pd.DataFrame({"external_id": accepted["respondent"], "author_external_id": accepted["respondent"],
                              "body": accepted["text"], "tier": "uk", "region": accepted["region"],
                              "created_ms": created})
    has_stance = accepted["stance"].notna()
    stances = accepted[has_stance]
    votes = pd.DataFrame({"participant_external_id": stances["respondent"],
                          "proposal_external_id": stances["respondent"],
                          "value": stances["stance"].astype(int), "created_ms": created[has_stance]})
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
