"""Reading other tools' exports (CSV or XLSX) with messages that say what is wrong."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd

MAX_BYTES = 200 * 1024 * 1024
MAX_UNPACKED = 500 * 1024 * 1024


class TableError(ValueError):
    """A file that cannot be used, with a message fit to show the person who gave it."""


def decode(data: bytes) -> tuple[str, int]:
    """UTF-8 text, line by line falling back to Windows-1252 for lines that are not UTF-8.

    Returns the text and how many lines needed the fallback (files pasted together from several tools mix them).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError:
        pass
    lines, fixed = [], 0
    for line in data.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
            fixed += 1
    return "\n".join(lines), fixed


def check_workbook_size(data: bytes, name: str) -> None:
    """Refuse a workbook that unpacks to more than MAX_UNPACKED bytes (an XLSX is a zip: a few KB can hold a bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise TableError(f"{name} is not a readable Excel workbook (not a zip archive).") from exc
    if unpacked > MAX_UNPACKED:
        raise TableError(f"{name} unpacks to {unpacked // 1024 // 1024} MB, more than the "
                         f"{MAX_UNPACKED // 1024 // 1024} MB a response workbook should need.")


def read_table(path: str | Path | None = None, *, data: bytes | None = None, name: str | None = None) -> pd.DataFrame:
    """A CSV or XLSX file as text columns. Give a path, or the bytes and the file name."""
    if data is None:
        path = Path(path)
        if not path.is_file():
            raise TableError(f"There is no file at {path}.")
        if path.stat().st_size > MAX_BYTES:
            raise TableError(f"{path.name} is larger than {MAX_BYTES // 1024 // 1024} MB.")
        data, name = path.read_bytes(), path.name
    name = name or "upload"
    if len(data) > MAX_BYTES:
        raise TableError(f"{name} is larger than {MAX_BYTES // 1024 // 1024} MB.")
    if not data.strip():
        raise TableError(f"{name} is empty.")
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        check_workbook_size(data, name)
        try:
            frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook
            raise TableError(f"{name} is not a readable Excel workbook ({exc.__class__.__name__}).") from exc
        frame.attrs["fallback_lines"] = 0
    else:
        text, fixed = decode(data)
        try:
            try:
                frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=None, engine="python")
            except csv.Error:  # the sniffer found no delimiter: a one-column file, read as plain CSV
                frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, ValueError) as exc:
            raise TableError(f"{name} is not a readable CSV file: {str(exc)[:200]}") from exc
        frame.attrs["fallback_lines"] = fixed
    if frame.empty:
        raise TableError(f"{name} has a header but no rows.")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def text_column(frame: pd.DataFrame, column: str, *, what: str = "text") -> pd.Series:
    """The named column as text, refusing a missing column or one that holds numbers rather than words."""
    if column not in frame.columns:
        raise TableError(f"There is no column {column!r}; the columns are: {', '.join(map(repr, frame.columns))}.")
    values = frame[column].fillna("").astype(str)
    filled = values[values.str.strip() != ""]
    if filled.empty:
        raise TableError(f"The column {column!r} is empty.")
    if what == "text" and pd.to_numeric(filled, errors="coerce").notna().mean() > 0.9:
        raise TableError(f"The column {column!r} holds numbers, not {what}; choose the column with the responses.")
    return values
