"""Reading other tools' exports and writing safe spreadsheets."""

from __future__ import annotations

import pandas as pd
import pytest

from consult.intake import spreadsheets as tables
from consult.publishing.cells import neutralise


def test_csv_xlsx_and_mixed_encodings(tmp_path):
    frame = tables.read_table(data=b"id,response\n1,Buses\n2,Trains\n", name="a.csv")
    assert frame["response"].tolist() == ["Buses", "Trains"]
    mixed = "id,response\n1,café in Bangor\n".encode() + "2,na\u00efve tax\n".encode("cp1252")
    frame = tables.read_table(data=mixed, name="mixed.csv")
    assert frame["response"].tolist() == ["café in Bangor", "naïve tax"] and frame.attrs["fallback_lines"] == 1
    path = tmp_path / "b.xlsx"
    pd.DataFrame({"response": ["Rail", "Tax"], "region": ["Wales", "Scotland"]}).to_excel(path, index=False)
    assert tables.read_table(path)["region"].tolist() == ["Wales", "Scotland"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [(b"", "e.csv", "empty"), (b"   \n", "e.csv", "empty"), (b"id,response\n", "h.csv", "no rows"),
     (b"PK\x03\x04broken", "x.xlsx", "not a readable Excel"), (b'a,b\n"1,2\n', "q.csv", "not a readable CSV")],
)
def test_bad_files_say_what_is_wrong(data, name, message):
    with pytest.raises(tables.TableError, match=message):
        tables.read_table(data=data, name=name)


def test_columns_are_checked():
    frame = pd.DataFrame({"id": ["1", "2", "3"], "text": ["a b", "c d", ""], "blank": ["", "", ""]})
    with pytest.raises(tables.TableError, match="no column 'response'.*'id', 'text'"):
        tables.text_column(frame, "response")
    with pytest.raises(tables.TableError, match="holds numbers"):
        tables.text_column(frame, "id")
    with pytest.raises(tables.TableError, match="is empty"):
        tables.text_column(frame, "blank")
    assert tables.text_column(frame, "text").tolist() == ["a b", "c d", ""]


def test_formula_cells_are_neutralised():
    frame = pd.DataFrame({"text": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "fine"], "n": [1, 2, 3, 4, 5]})
    out = neutralise(frame)
    assert out["text"].tolist() == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "fine"]
    assert out["n"].tolist() == [1, 2, 3, 4, 5]


def test_a_workbook_formatted_far_past_its_data_is_read_row_by_row_and_stops(tmp_path):
    """A 2.7 MB workbook whose formatting ran far down the sheet kept `consult import` busy for 15 minutes at 1 GB;
    the sheet is now streamed and ends after a run of empty rows."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Your idea", "Region", "Region"])
    sheet.append(["Buses run by the region", "Wales", "x"])
    sheet.append([None, None, None])  # a blank row inside the data keeps its place
    sheet.append(["A Welsh bank", 4.0, None])
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    for _ in range(30_000):  # styled but empty cells: what a formatted column looks like
        cell = WriteOnlyCell(sheet, value="")
        cell.font = bold
        sheet.append([cell, cell, cell])
    sheet.append(["Stray note far below", None, None])
    path = tmp_path / "formatted.xlsx"
    book.save(path)
    frame = tables.read_table(path)
    assert list(frame.columns) == ["Your idea", "Region", "Region.1"]
    assert frame["Your idea"].tolist() == ["Buses run by the region", None, "A Welsh bank"]
    assert frame["Region"].tolist() == ["Wales", None, "4"]
    # the note far below was not read, and the reader says so instead of dropping it silently
    assert "reading stopped at row" in frame.attrs["stopped_early"] and "delete the empty rows" in frame.attrs[
        "stopped_early"]
