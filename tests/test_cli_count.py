"""`consult count`: every method on a file, the result file's columns, and a clear refusal of bad files."""

from __future__ import annotations

import csv

from conftest import shared_data

from consult import cli


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_real_ward_is_counted_with_its_sheet_and_result_file(tmp_path, capsys):
    out = tmp_path / "result.csv"
    assert cli.main(["count", str(shared_data("ballots", "edinburgh_2022_ward5.blt")), "--method", "scottish-stv",
                     "--out", str(out)]) == 0
    sheet = capsys.readouterr().out
    assert "SHA-256: " in sheet and "Quota: 2,684" in sheet and "Stage 10:" in sheet
    rows = _rows(out)
    assert list(rows[0]) == ["candidate", "status", "stage"]
    assert sum(r["status"] == "elected" for r in rows) == 4
    assert {r["status"] for r in rows} == {"elected", "excluded"}


def test_irv_and_a_seat_override(tmp_path, capsys):
    ballots = tmp_path / "b.blt"
    ballots.write_text("3 2\n4 1 2 0\n3 2 0\n2 3 2 0\n0\nA\nB\nC\nT\n", encoding="utf-8")
    assert cli.main(["count", str(ballots), "--method", "irv", "--seats", "1"]) == 0
    assert "Elected, in order: B" in capsys.readouterr().out
    assert cli.main(["count", str(ballots), "--method", "irv"]) == 2
    assert "instant-runoff fills one seat" in capsys.readouterr().err


def test_a_budget_by_equal_shares_and_greedy(tmp_path, capsys):
    out = tmp_path / "funded.csv"
    path = shared_data("ballots", "Netherlands_Assen_2024.pb")
    assert cli.main(["count", str(path), "--method", "equal-shares", "--out", str(out)]) == 0
    rows = _rows(out)
    assert list(rows[0])[:3] == ["project_id", "selected", "cost"]
    assert sum(r["selected"] == "1" for r in rows) == 9
    assert cli.main(["count", str(path), "--method", "greedy"]) == 0
    assert "Greedy by approvals" in capsys.readouterr().out


def test_a_motion_file_with_a_quorum(tmp_path, capsys):
    path = tmp_path / "motion.csv"
    path.write_text("receipt,vote\nr1,for\nr2,For\nr3,against\nr4,abstain\n", encoding="utf-8")
    assert cli.main(["count", str(path), "--method", "motion", "--eligible", "50", "--quorum-share", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "Not decided: 4 of 50 eligible members voted, short of the quorum of 5." in out
    path.write_text("receipt,vote\nr1,maybe\n", encoding="utf-8")
    assert cli.main(["count", str(path), "--method", "motion"]) == 2
    assert "line 2: a vote is for, against or abstain" in capsys.readouterr().err


def test_empty_and_wrong_format_files_are_refused(tmp_path, capsys):
    empty = tmp_path / "empty.blt"
    empty.write_text("", encoding="utf-8")
    assert cli.main(["count", str(empty), "--method", "scottish-stv"]) == 2
    assert "empty.blt is empty" in capsys.readouterr().err
    assert cli.main(["count", str(shared_data("ballots", "Netherlands_Assen_2024.pb")), "--method", "irv"]) == 2
    assert "first line must be two numbers" in capsys.readouterr().err
