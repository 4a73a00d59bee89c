"""`consult count`: every method on a file, the result file's columns, and a clear refusal of bad files."""

from __future__ import annotations

import csv

from conftest import shared_data

from consult.cli import main as cli


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


def test_the_ballot_workflow_from_the_command_line(sqlite_url, sqlite_engine, tmp_path, capsys):
    import pandas as pd

    from consult import storage
    from consult.storage import ballots, roll

    numbers = [f"n{i}" for i in range(5)]
    roll.replace_roll(sqlite_engine, pd.DataFrame({"number_hash": numbers, "verifier_hash": ["v"] * 5,
                                                   "region": ["W92000004"] * 5, "local_party": ["Cardiff"] * 5,
                                                   "branch": [None] * 5}), verifier_label="Postcode", actor="t")
    consultation = storage.create_consultation(sqlite_engine, title="T", question="Q", join_code="CLIB22")
    members = [roll.join_verified(sqlite_engine, consultation.id, n, "W92000004", "Cardiff", consented=True)[0]
               for n in numbers]
    options = tmp_path / "projects.txt"
    options.write_text("Bus shelter ; 300\nPark bench ; 100\nLibrary hours ; 700\n", encoding="utf-8")
    db = ["--db", sqlite_url]
    assert cli.main(["ballots", "create", "CLIB22", "--kind", "budget", "--title", "Cardiff fund", "--budget", "1000",
                     "--options-file", str(options), "--local-party", "Cardiff", *db]) == 0
    ballot_id = int(capsys.readouterr().out.split()[1])
    assert cli.main(["ballots", "open", str(ballot_id), *db]) == 0
    assert "5 members may vote" in capsys.readouterr().out
    for member, marks in zip(members, [[1, 2], [2], [3], [1, 3], [1]], strict=True):
        ballots.cast(sqlite_engine, ballot_id, member, marks)
    assert cli.main(["ballots", "list", "CLIB22", *db]) == 0
    assert "5 of 5 voted  Cardiff fund" in capsys.readouterr().out
    assert cli.main(["ballots", "close", str(ballot_id), *db]) == 0
    assert capsys.readouterr().out.startswith("Funded by equal shares")
    out = tmp_path / "published"
    assert cli.main(["ballots", "export", str(ballot_id), "--out", str(out), *db]) == 0
    papers = out / f"ballot-{ballot_id}.pb"
    assert papers.exists() and "SHA-256" in (out / f"ballot-{ballot_id}-count.txt").read_text(encoding="utf-8")
    assert cli.main(["count", str(papers), "--method", "equal-shares"]) == 0
    assert cli.main(["ballots", "open", "CLIB22", *db]) == 2
    assert "give the ballot's number" in capsys.readouterr().err
