"""Reading CSV files from any tool: the delimiter found as pandas finds it, the rest read by the fast parser."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from consult.intake import spreadsheets

ROWS = [["participant", "proposal", "note"], ["p1", "7", 'said "yes", twice'], ["p2", "8", "two\nlines"],
        ["p3", "9", ""], ["p4", "10", "=1+1"]]


def _csv(delimiter: str) -> bytes:
    def cell(value: str) -> str:
        needs_quotes = any(c in value for c in (delimiter, '"', "\n"))
        return '"' + value.replace('"', '""') + '"' if needs_quotes else value

    return "\n".join(delimiter.join(cell(v) for v in row) for row in ROWS).encode()


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_every_common_delimiter_is_found_and_quoted_cells_read_whole(delimiter):
    frame = spreadsheets.read_table(data=_csv(delimiter), name="votes.csv")
    assert frame.columns.tolist() == ROWS[0]
    assert frame.to_numpy().tolist() == ROWS[1:]


def test_a_comma_file_reads_as_the_sniffing_python_parser_read_it():
    data = _csv(",")
    before = pd.read_csv(io.StringIO(data.decode()), dtype=str, keep_default_na=False, sep=None, engine="python")
    pd.testing.assert_frame_equal(spreadsheets.read_table(data=data, name="votes.csv"), before)


def test_a_one_column_file_and_a_ragged_row():
    # the Python parser's sniffing split the header "response" on its letter s
    one = spreadsheets.read_table(data=b"response\nmore buses\nfewer layers\n", name="answers.csv")
    assert one.columns.tolist() == ["response"] and one["response"].tolist() == ["more buses", "fewer layers"]
    with pytest.raises(spreadsheets.TableError, match="not a readable CSV file: .*Expected 2 fields in line 3"):
        spreadsheets.read_table(data=b"a,b\n1,2\n3,4,5\n", name="ragged.csv")
