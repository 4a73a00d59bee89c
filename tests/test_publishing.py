"""The publishing layer: every path out of the system applies the same rules (inert cells, keyed pseudonyms,
small cells suppressed, coarse times, declared columns)."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from consult import storage
from consult.cli import main as cli
from consult.publishing import files, polis_export, pseudonyms, report, schemas, suppression, tables
from consult.publishing.cells import FORMULA_STARTS

HOSTILE = ['=HYPERLINK("http://evil.example","click me")', "+44 7700 900123 call now", "-2+3 as a formula",
           "@SUM(A1:A9) is a formula", "\tstarts with a tab character", "\rstarts with a carriage return"]
NI, LONDON, SCOTLAND = "N92000002", "E12000007", "S92000003"


@pytest.fixture
def world(sqlite_engine, sqlite_url):
    engine = sqlite_engine
    consultation = storage.create_consultation(engine, title="Publishing", question="What should change?",
                                               join_code="PUBI23", min_chars=5, max_chars=300,
                                               max_proposals_per_participant=10)
    people = ([storage.add_participant(engine, consultation.id, region=LONDON) for _ in range(14)]
              + [storage.add_participant(engine, consultation.id, region=SCOTLAND) for _ in range(12)]
              + [storage.add_participant(engine, consultation.id, region=NI) for _ in range(5)])
    proposals = [storage.add_proposal(engine, consultation.id, body=body, author_id=people[-1 - i].id)
                 for i, body in enumerate(HOSTILE)]
    for proposal in proposals:  # a phone number is held for a look: an organiser approved them all
        storage.set_proposal_status(engine, proposal.id, "published", actor="officer", reason="checked")
    for person in people:
        for proposal in proposals:
            storage.cast_vote(engine, person.id, proposal.id, 1 if (person.id + proposal.id) % 3 else -1)
    return engine, sqlite_url, consultation, people


def _cells_of_csv(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _cells_of_xlsx(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [c.value for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _live(cells: list[str]) -> list[str]:
    """Text a spreadsheet would run as a formula (a plain number such as -1 is a number, not a formula)."""
    return [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_STARTS) and not _is_number(c)]


def _assert_inert(cells: list[str], where: str) -> None:
    live = _live(cells)
    assert not live, f"{where}: cells a spreadsheet would run: {live[:3]}"
    assert any(c.startswith("'=HYPERLINK") for c in cells), f"{where}: the hostile proposal is missing"


def _everything(engine, consultation_id, tmp_path, url) -> dict[str, list[str]]:
    """Every export path's text cells, keyed by path."""
    out: dict[str, list[str]] = {
        "proposals.csv": _cells_of_csv(tables.proposals_csv(engine, consultation_id)),
        "workbook.xlsx": _cells_of_xlsx(tables.workbook(engine, consultation_id)),
    }
    with zipfile.ZipFile(io.BytesIO(polis_export.polis_zip(engine, consultation_id))) as archive:
        for name in archive.namelist():
            out[f"polis zip {name}"] = _cells_of_csv(archive.read(name))
    for name in ("x.csv", "x.xlsx"):
        assert cli.main(["export", "PUBI23", "--out", str(tmp_path / name), "--db", url]) == 0
    out["consult export x.csv"] = _cells_of_csv((tmp_path / "x.csv").read_bytes())
    out["consult export x.xlsx"] = _cells_of_xlsx((tmp_path / "x.xlsx").read_bytes())
    assert cli.main(["support", "PUBI23", "--out", str(tmp_path / "support.csv"), "--db", url]) == 0
    out["consult support --out"] = _cells_of_csv((tmp_path / "support.csv").read_bytes())
    assert cli.main(["export-polis", "PUBI23", "--out", str(tmp_path / "polis"), "--db", url]) == 0
    out["consult export-polis"] = [c for p in sorted((tmp_path / "polis").iterdir())
                                   for c in _cells_of_csv(p.read_bytes())]
    return out


def test_every_export_path_makes_formula_cells_inert(world, tmp_path):
    engine, url, consultation, _ = world
    for where, cells in _everything(engine, consultation.id, tmp_path, url).items():
        if where.endswith(("votes.csv", "participants-votes.csv", "summary.csv")) or "support" in where:
            assert not _live(cells), where
            continue
        _assert_inert(cells, where)
    themed_in = tmp_path / "responses.csv"
    pd.DataFrame({"response": HOSTILE * 3}).to_csv(themed_in, index=False, quoting=csv.QUOTE_ALL)
    assert cli.main(["themes", str(themed_in), "--text-col", "response", "--k", "2",
                     "--out", str(tmp_path / "themed.csv")]) == 0
    _assert_inert(_cells_of_csv((tmp_path / "themed.csv").read_bytes()), "consult themes --out")


def test_no_export_carries_a_raw_id_or_the_old_salt(world, tmp_path):
    engine, url, consultation, people = world
    exported = _everything(engine, consultation.id, tmp_path, url)
    old_salt = f"{consultation.join_code}:{consultation.created_ms}"
    old_names = {"P" + hashlib.sha256(f"{old_salt}:{p.id}".encode()).hexdigest()[:12] for p in people}
    every_cell = {c for cells in exported.values() for c in cells}
    assert old_salt not in every_cell and not old_names & every_cell
    votes = tables.votes_table(engine, consultation.id)
    assert votes["participant"].str.fullmatch(r"P[0-9a-f]{16}").all()
    # Polis ids are numbered in keyed order: neither the database ids nor their order
    numbers = pseudonyms.export_numbers(consultation.id, [p.id for p in people])
    assert sorted(numbers.values()) == list(range(len(people)))
    assert [numbers[p.id] for p in people] != sorted(numbers.values())
    assert cli.main(["groups", "PUBI23", "--out", str(tmp_path / "groups.csv"), "--db", url]) == 0
    groups = pd.read_csv(tmp_path / "groups.csv", dtype=str)
    assert groups["participant"].str.fullmatch(r"P[0-9a-f]{16}").all()


def test_pseudonyms_need_the_server_secret(world, monkeypatch):
    engine, _, consultation, people = world
    before = pseudonyms.pseudonym(consultation.id, people[0].id)
    from consult import keys

    monkeypatch.setenv("CONSULT_SECRET_KEY", "another-secret-of-at-least-thirty-two-characters")
    keys.server_key.cache_clear()
    try:
        assert pseudonyms.pseudonym(consultation.id, people[0].id) != before
    finally:
        monkeypatch.undo()
        keys.server_key.cache_clear()
    assert pseudonyms.pseudonym(consultation.id, people[0].id) == before


def test_no_export_carries_a_sub_minimum_regional_cell(world, tmp_path, capsys):
    engine, url, consultation, _ = world
    participation, test = tables.participation_table(engine, consultation.id)
    ni = participation.set_index("region").loc[NI]
    assert ni["suppressed"] and pd.isna(ni["participants"]) and pd.isna(ni["ratio"])
    # secondary suppression: with the total shown, one blank cell could be worked out, so the next is blank too
    assert int(participation["suppressed"].sum()) == 2
    book = openpyxl.load_workbook(io.BytesIO(tables.workbook(engine, consultation.id)))
    rows = {r[1]: r for r in book["Participation by region"].iter_rows(values_only=True)}
    assert rows["Northern Ireland"][2] is None
    assert "Northern Ireland" not in set(tables.votes_table(engine, consultation.id)["region"])
    assert "Northern Ireland" not in set(tables.proposals_table(engine, consultation.id)["author_region"])
    page = report.build(engine, consultation.id)
    assert "<td>Northern Ireland</td><td>fewer than 10</td>" in page
    assert cli.main(["support", "PUBI23", "--db", url]) == 0
    ni_line = next(line for line in capsys.readouterr().out.splitlines() if "Northern Ireland" in line)
    assert "<10" in ni_line and " 5 " not in ni_line


def test_polis_votes_are_one_row_per_vote_at_day_resolution(world, tmp_path):
    engine, _, consultation, people = world
    storage.cast_vote(engine, people[0].id, int(storage.proposals_frame(engine, consultation.id)["id"].iloc[0]), 0)
    paths = polis_export.export_consultation(engine, consultation.id, tmp_path)
    votes = pd.read_csv(paths[1])
    assert (votes["timestamp"] % polis_export.DAY_MS == 0).all()
    assert not votes.duplicated(["voter-id", "comment-id"]).any()
    assert len(votes) == len(storage.votes_frame(engine, consultation.id))


def test_undeclared_columns_and_raw_ids_are_refused():
    with pytest.raises(schemas.SchemaError, match="undeclared"):
        files.csv_bytes(pd.DataFrame({"participant": ["P" + "0" * 16], "region": ["x"], "proposal_id": [1],
                                      "vote": ["agree"], "participant_id": [7]}), "votes")
    with pytest.raises(schemas.SchemaError, match="pseudonyms"):
        files.csv_bytes(pd.DataFrame({"participant": ["17"], "region": ["x"], "proposal_id": [1],
                                      "vote": ["agree"]}), "votes")


def test_suppression_rules():
    counts = pd.Series({"a": 50, "b": 5, "c": 12, "d": 0})
    assert list(suppression.suppressed_cells(counts, 10)) == [False, True, True, False]
    assert list(suppression.suppressed_cells(counts, 10, total_published=False)) == [False, True, False, False]
    assert suppression.small_regions(pd.Series({"a": 50, "b": 3, "c": 11}), 10) == {"b", "c"}
    assert suppression.small_regions(pd.Series({"a": 50, "b": 3, "c": 8}), 10) == {"b", "c"}
    assert suppression.small_regions(pd.Series({"a": 50, "b": 12}), 10) == set()
    assert suppression.suppress_count(5) is None and suppression.suppress_count(0) == 0


def test_headers_from_a_users_own_file_are_made_inert_too(tmp_path):
    """`consult themes --out` writes the user's columns back: a header can carry a formula as well as a cell."""
    from consult.publishing import files

    frame = pd.DataFrame({'=HYPERLINK("http://evil.example")': ["text"], "@SUM(A1)": ["=1+1"], "plain": ["ok"]})
    path = files.write(frame, tmp_path / "out.csv", files.passthrough_schema(frame))
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("\"'=HYPERLINK") and ",'@SUM(A1)," in header
    book = files.write(frame, tmp_path / "out.xlsx", files.passthrough_schema(frame))
    first_row = [c.value for c in next(openpyxl.load_workbook(book).active.iter_rows())]
    assert all(not str(value).startswith(("=", "@")) for value in first_row)
