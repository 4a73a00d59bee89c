"""Reading other tools' exports (CSV or XLSX) with messages that say what is wrong."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd

from consult.text.encoding import decode

MAX_BYTES = 200 * 1024 * 1024
MAX_UNPACKED = 500 * 1024 * 1024
MAX_ROWS = 2_000_000
MAX_COLUMNS = 500
TRAILING_EMPTY_ROWS = 1_000  # this many empty rows in a row end the sheet (formatting often runs to row 1,048,576)


class TableError(ValueError):
    """A file that cannot be used, with a message fit to show the person who gave it."""


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


def _cell_text(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def read_workbook(data: bytes, name: str) -> pd.DataFrame:
    """The first sheet of a workbook as text columns, streamed row by row (openpyxl's read-only mode): memory holds
    the values, never the sheet's XML or its styles. A sheet whose formatting runs far past its data (a common
    cause of a 3 MB file taking minutes) ends after `TRAILING_EMPTY_ROWS` empty rows; more than `MAX_ROWS` rows
    or `MAX_COLUMNS` columns is refused with a message."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook
        raise TableError(f"{name} is not a readable Excel workbook ({exc.__class__.__name__}).") from exc
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [_cell_text(v) for v in next(rows, ())]
        while header and header[-1] is None:
            header.pop()
        if not header:
            raise TableError(f"{name} has no header row in its first sheet.")
        if len(header) > MAX_COLUMNS:
            raise TableError(f"{name} has {len(header):,} columns; a response file should need at most {MAX_COLUMNS}.")
        width, records, empty_run, stopped_at = len(header), [], 0, None
        for row in rows:
            values = [_cell_text(v) for v in row[:width]]
            if all(v is None for v in values):
                empty_run += 1
                if empty_run >= TRAILING_EMPTY_ROWS:
                    stopped_at = len(records) + empty_run + 1  # the sheet's row number (the header is row 1)
                    break
                continue
            records.extend([[None] * width] * empty_run)  # blank rows inside the data keep their line numbers
            empty_run = 0
            records.append(values + [None] * (width - len(values)))
            if len(records) > MAX_ROWS:
                raise TableError(f"{name} has more than {MAX_ROWS:,} rows; split it into smaller files.")
    except TableError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet fails part-way through
        raise TableError(f"{name} is not a readable Excel workbook ({exc.__class__.__name__}).") from exc
    finally:
        book.close()
    if stopped_at is not None:
        records_frame_note = (f"{name}: reading stopped at row {stopped_at:,} after {TRAILING_EMPTY_ROWS:,} empty rows "
                              "(sheets formatted far below their data take minutes to read otherwise). If there is "
                              "data further down, delete the empty rows above it and load the file again.")
    else:
        records_frame_note = ""
    names, seen = [], {}
    for i, h in enumerate(header):  # as pandas names them: blanks "Unnamed: i", repeats "name.1", "name.2"
        h = h if h is not None else f"Unnamed: {i}"
        seen[h] = seen.get(h, -1) + 1
        names.append(h if seen[h] == 0 else f"{h}.{seen[h]}")
    frame = pd.DataFrame(records, columns=names, dtype=object)
    frame.attrs["stopped_early"] = records_frame_note
    return frame


#: the delimiters a spreadsheet or form tool writes; left to itself the sniffer picks letters ("response" read
#: as split on "s", "participant|proposal" on "p")
DELIMITERS = ",;\t|"


def _sniffed_delimiter(text: str) -> str:
    """The file's delimiter, found from its first line by csv.Sniffer as pandas's sep=None does (only the
    delimiter is taken: quoting stays CSV's own), so that pandas's fast C parser reads the rest. The Python
    parser, sniffing for itself, took 4.6 s of the 5.6 s `consult support` spent reading a million votes.
    csv.Error when the line holds none of DELIMITERS (a one-column file)."""
    first_line = text.split("\n", 1)[0]
    return csv.Sniffer().sniff(first_line, delimiters=DELIMITERS).delimiter


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
        frame = read_workbook(data, name)
        frame.attrs["fallback_lines"] = 0
    else:
        text, fixed = decode(data)
        try:
            try:
                delimiter = _sniffed_delimiter(text)
            except csv.Error:  # the sniffer found no delimiter: a one-column file, read as plain CSV
                frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
            else:
                frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=delimiter)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, ValueError) as exc:
            raise TableError(f"{name} is not a readable CSV file: {str(exc)[:200]}") from exc
        frame.attrs["fallback_lines"] = fixed
    if frame.empty:
        raise TableError(f"{name} has a header but no rows.")
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.attrs.setdefault("stopped_early", "")
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
