"""Exports for officers: proposals with their analysis, pseudonymised votes, spreadsheets and the Polis schema."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from consult import polis, privacy, regions, storage, support
from consult.spreadsheets import neutralise
from consult.storage import themes as theme_store


def proposals_table(engine: Engine, consultation_id: int, *, min_votes: int = 10) -> pd.DataFrame:
    """Every proposal with its theme, author region, support (raw and weighted, with intervals) and consensus."""
    consultation = storage.get_consultation(engine, consultation_id)
    proposals = storage.proposals_frame(engine, consultation_id)
    votes = storage.votes_frame(engine, consultation_id)
    summary = support.proposal_summary(votes, storage.baseline(engine, consultation.baseline), min_votes=min_votes)
    assignments = theme_store.assignments_frame(engine, consultation_id)
    themes = theme_store.themes_frame(engine, consultation_id, include_inactive=True).set_index("id")["label"]
    primary = assignments[assignments["rank"] == 1].set_index("proposal_id")
    out = pd.DataFrame({
        "proposal_id": proposals["id"], "text": proposals["body"], "status": proposals["status"],
        "tier": proposals["tier"], "author_region": proposals["region"].map(regions.region_names()).fillna(""),
        "author_region_code": proposals["region"].fillna("UNDISCLOSED"),
        "theme_id": proposals["id"].map(primary["theme_id"]).fillna(-1).astype(int),
        "theme": proposals["id"].map(primary["theme_id"]).map(themes).fillna(""),
        "theme_score": proposals["id"].map(primary["score"]).round(3),
    })
    columns = ["agree", "disagree", "passes", "votes", "support", "support_low", "support_high",
               "weighted_support", "weighted_low", "weighted_high", "n_eff", "consensus", "weakest_region",
               "weakest_support", "divisiveness", "regions_counted"]
    joined = out.join(summary[columns], on="proposal_id")
    joined["weakest_region"] = joined["weakest_region"].map(regions.region_names()).fillna("")
    for column in ("agree", "disagree", "passes", "votes", "regions_counted"):
        joined[column] = joined[column].fillna(0).astype(int)
    return joined.round(4)


def votes_table(engine: Engine, consultation_id: int) -> pd.DataFrame:
    """Current votes with pseudonymous participants (salted per consultation) and the voter's region; regions
    with fewer than 10 voters are suppressed, as a pseudonym plus a rare region can point to a person."""
    consultation = storage.get_consultation(engine, consultation_id)
    votes = storage.votes_frame(engine, consultation_id)
    salt = privacy.pseudonym_salt(consultation)
    names = {pid: privacy.pseudonym(pid, salt) for pid in votes["participant_id"].unique()}
    return privacy.suppress_small_regions(pd.DataFrame({
        "participant": votes["participant_id"].map(names),
        "region": votes["region"].map(regions.region_names()), "proposal_id": votes["proposal_id"],
        "vote": votes["value"].map({1: "agree", -1: "disagree", 0: "pass"}),
    }))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per frame; text that a spreadsheet would run as a formula is made inert."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            neutralise(frame).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


def workbook(engine: Engine, consultation_id: int) -> bytes:
    """The officer's workbook: proposals, votes, participation by region and themes."""
    consultation = storage.get_consultation(engine, consultation_id)
    table, _ = support.representativeness(storage.participants_frame(engine, consultation_id),
                                          storage.baseline(engine, consultation.baseline))
    themes = theme_store.themes_frame(engine, consultation_id)
    return xlsx_bytes({
        "Proposals": proposals_table(engine, consultation_id),
        "Votes": votes_table(engine, consultation_id),
        "Participation by region": table.drop(columns=["expected"]),
        "Themes": themes[["id", "label", "keywords", "size"]],
    })


def polis_zip(engine: Engine, consultation_id: int) -> bytes:
    """The consultation in Polis's export schema, zipped."""
    with tempfile.TemporaryDirectory() as folder:
        paths = polis.export_consultation(engine, consultation_id, Path(folder))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, arcname=path.name)
    return buffer.getvalue()
