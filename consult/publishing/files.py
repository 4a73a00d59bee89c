"""Writing published tables: CSV (UTF-8 with BOM, for Excel) and XLSX, as bytes or to a path."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from consult.publishing.schemas import SCHEMAS, publish

__all__ = ["SCHEMAS", "csv_bytes", "passthrough_schema", "publish", "write", "xlsx_bytes"]


def csv_bytes(frame: pd.DataFrame, schema: str | dict[str, str], *, bom: bool = True) -> bytes:
    """CSV as UTF-8; with `bom` (the default for downloads) a byte-order mark first, so Excel reads it as UTF-8."""
    return publish(frame, schema).to_csv(index=False).encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(sheets: dict[str, tuple[pd.DataFrame, str | dict[str, str]]]) -> bytes:
    """A workbook with one sheet per (frame, schema)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, (frame, schema) in sheets.items():
            publish(frame, schema).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


def write(frame: pd.DataFrame, path: str | Path, schema: str | dict[str, str], *, sheet: str = "Sheet1",
          bom: bool = True) -> Path:
    """Write one published table to `path`: XLSX when it ends in .xlsx, else CSV (`bom`: see `csv_bytes`)."""
    path = Path(path)
    data = (xlsx_bytes({sheet: (frame, schema)}) if path.suffix.lower() == ".xlsx"
            else csv_bytes(frame, schema, bom=bom))
    path.write_bytes(data)
    return path


def passthrough_schema(frame: pd.DataFrame, **kinds: str) -> dict[str, str]:
    """A declaration for a table the user brought (e.g. their export with theme columns added): every column is
    text unless named in `kinds`."""
    return {column: kinds.get(column, "text") for column in frame.columns}
