"""Writing a command's result table and saying so: one line per file, the same wording from every command."""

from __future__ import annotations

import pandas as pd

from consult.publishing import files


def write_and_say(frame: pd.DataFrame, path: str, schema: str | dict[str, str], *, what: str = "rows",
                  bom: bool = True, first: bool = False) -> None:
    """Write `frame` to `path` (CSV or XLSX by its suffix, cells made spreadsheet-safe) and print what was written;
    `first` puts a blank line before, to separate the files from the printed results."""
    files.write(frame, path, schema, bom=bom)
    print(f"{chr(10) if first else ''}wrote {len(frame)} {what} to {path}")
