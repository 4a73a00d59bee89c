"""`consult export`: which file a path asks for (the proposals CSV, the workbook, the report, the moderation
export), written through the publishing layer. Kept apart from `tables` and `report`, which it uses both of."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from consult.publishing import report, tables


def export(engine: Engine, consultation_id: int, path: str | Path, *, moderation: bool = False) -> Path:
    """The proposals table to a .csv, the whole workbook to a .xlsx, the report to a .html; `moderation`: every
    proposal whatever its status, to a .csv only."""
    path = Path(path)
    if moderation:
        if path.suffix.lower() != ".csv":
            raise ValueError("A moderation export is a CSV file: give --out FILE.csv.")
        path.write_bytes(tables.moderation_csv(engine, consultation_id))
    elif path.suffix.lower() in (".html", ".htm"):
        path.write_text(report.build(engine, consultation_id), encoding="utf-8")
    elif path.suffix.lower() == ".xlsx":
        path.write_bytes(tables.workbook(engine, consultation_id))
    else:
        path.write_bytes(tables.proposals_csv(engine, consultation_id))
    return path
