"""Reading, importing and exporting Polis export folders."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from conftest import shared_data

from consult import storage
from consult.cli import main as cli
from consult.intake import polis
from consult.publishing import polis_export
from consult.publishing.cells import neutralise_cell
from consult.storage import visibility


def _tiny_export(folder, votes_rows, comments_extra=""):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,comment-body\n"
        "1000,x,0,0,1,0,1,false,true,Seed statement about buses\n"
        "2000,x,1,1,0,1,-1,false,false,Moderated out statement\n"
        "3000,x,2,1,0,0,1,true,false,Meta statement about the process\n" + comments_extra
    )
    (folder / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n" + votes_rows)
    return folder


def test_latest_vote_wins_by_millisecond_timestamp(tmp_path):
    # written out of order: the later timestamp (1500) must win even though it comes first in the file
    folder = _tiny_export(tmp_path / "ex", "1500,x,0,5,-1\n1200,x,0,5,1\n1100,x,1,5,1\n")
    export = polis.read_export(folder)
    current = export.votes.set_index(["voter-id", "comment-id"])["vote"]
    assert current[(5, 0)] == -1 and len(export.votes) == 2 and len(export.events) == 3
    assert polis.zeroed_comments(export) == {1, 2}


def test_import_keeps_moderation_seed_meta_and_the_event_log(sqlite_engine, tmp_path):
    folder = _tiny_export(tmp_path / "ex", "1500,x,0,5,-1\n1200,x,0,5,1\n1100,x,1,5,1\n")
    consultation_id = polis.import_export(sqlite_engine, folder)
    proposals = storage.proposals_frame(sqlite_engine, consultation_id).set_index("external_id")
    assert proposals.loc["0", "is_seed"] and proposals.loc["1", "status"] == "hidden"
    assert proposals.loc["2", "is_meta"]
    votes = storage.votes_frame(sqlite_engine, consultation_id)
    assert sorted(votes["value"]) == [-1, 1]
    assert len(storage.vote_events_frame(sqlite_engine, consultation_id)) == 3


def test_never_moderated_comments_are_imported_as_pending(sqlite_engine, tmp_path):
    folder = _tiny_export(tmp_path / "ex", "1500,x,0,5,1\n",
                          comments_extra="4000,x,3,2,0,0,0,false,false,Never moderated: ring Jo on 07700 900123\n")
    consultation_id = polis.import_export(sqlite_engine, folder)
    status = storage.proposals_frame(sqlite_engine, consultation_id).set_index("external_id")["status"]
    assert status.to_dict() == {"0": "published", "1": "hidden", "2": "published", "3": "pending"}
    seen = visibility.visible_proposals(sqlite_engine, consultation_id)["body"].tolist()
    assert not any("Never moderated" in body for body in seen)


def test_real_export_round_trip(sqlite_engine, tmp_path):
    source = shared_data("polis", "brexit-consensus")
    consultation_id = polis.import_export(sqlite_engine, source)
    export = polis.read_export(source)
    counts = storage.counts(sqlite_engine, consultation_id)
    assert counts.votes == len(export.votes) and counts.proposals == len(export.comments)
    polis_export.export_consultation(sqlite_engine, consultation_id, tmp_path / "out")
    again = polis.read_export(tmp_path / "out")
    assert len(again.votes) == len(export.votes)
    bodies = storage.proposals_frame(sqlite_engine, consultation_id)["body"]
    assert sorted(again.comments["comment-body"]) == sorted(bodies.map(neutralise_cell))  # inert in a spreadsheet
    assert again.participants_votes is not None and "group-id" in again.participants_votes


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda f: (f / "votes.csv").unlink(), "votes.csv is missing"),
        (lambda f: (f / "comments.csv").write_text("id,text\n1,hello\n"), "lacks the column"),
        (lambda f: (f / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,7\n"),
         "not -1, 0 or 1"),
        (lambda f: (f / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\nsoon,x,0,1,1\n"),
         "votes.csv line 2: timestamp 'soon' is neither"),
        (lambda f: (f / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n1,x,zero,1,1\n"),
         "votes.csv comment-id holds a value that is not a number"),
        (lambda f: (f / "comments.csv").write_bytes(b"\xff\xfe\x00garbage"), "readable|lacks"),
        (lambda f: (f / "comments.csv").write_text(
            "comment-id,author-id,moderated,comment-body\n0,1,1,first\n0,2,1,again\n"), "more than once"),
    ],
)
def test_broken_exports_say_what_is_wrong(tmp_path, damage, message):
    folder = _tiny_export(tmp_path / "ex", "1,x,0,1,1\n")
    damage(folder)
    with pytest.raises(polis.PolisFormatError, match=message):
        polis.read_export(folder)


def test_not_a_folder(tmp_path):
    with pytest.raises(polis.PolisFormatError, match="not a folder"):
        polis.read_export(tmp_path / "nothing")


def test_groups_cli_writes_one_row_per_participant(tmp_path, capsys):
    source = shared_data("polis", "brexit-consensus")
    out = tmp_path / "groups.csv"
    assert cli.main(["groups", str(source), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 opinion groups" in printed and "group 0" in printed
    assert "Found again on 20 subsamples" in printed and "participants" in printed
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")  # plain UTF-8 for tools (--excel adds the mark)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["participant", "group", "reason", "settled"]
    assert len(frame) == polis.read_export(source).votes["voter-id"].nunique()
    # how settled each grouped participant's group is: a share of the subsample runs, blank for the ungrouped
    settled = pd.to_numeric(frame.loc[frame["group"] != "", "settled"])
    assert settled.between(0.0, 1.0).all() and (settled == 1.0).mean() > 0.5
    assert (frame.loc[frame["group"] == "", "settled"] == "").all()
    assert set(frame["group"]) == {"0", "1", ""}
    # every participant without a group says why
    assert (frame.loc[frame["group"] == "", "reason"] != "").all() and (frame.loc[frame["group"] != "", "reason"]
                                                                        == "").all()
    assert "fewer than 7" in " ".join(frame["reason"])


def test_import_and_export_cli(tmp_path, sqlite_url, capsys):
    source = shared_data("polis", "london.youth.policing")
    copy = tmp_path / "ex"
    shutil.copytree(source, copy)
    assert cli.main(["import-polis", str(copy), "--db", sqlite_url]) == 0
    assert "imported consultation 1" in capsys.readouterr().out
    assert cli.main(["export-polis", "1", "--out", str(tmp_path / "back"), "--db", sqlite_url]) == 0
    assert (tmp_path / "back" / "participants-votes.csv").is_file()
    assert cli.main(["groups", "1", "--db", sqlite_url]) == 0
    assert cli.main(["import-polis", str(tmp_path / "missing"), "--db", sqlite_url]) == 2
    assert "not a folder" in capsys.readouterr().err


@pytest.mark.parametrize("created", ["1731488710861", "1731488710", "2024-11-13T09:05:10.861000Z",
                                     "2024-11-13T09:05:10.861", "2024-11-13T10:05:10.861+01:00"])
def test_every_vintage_of_polis_timestamp_is_read(tmp_path, created):
    """Epoch ms, epoch s, ISO 8601 with Z, without a zone and with an offset: all the same instant (to the s)."""
    import json

    folder = tmp_path / "api"
    folder.mkdir()
    (folder / "comments.json").write_text(json.dumps([{"statement_id": 0, "txt": "Buses", "created": created,
                                                        "moderated": 1}, {"statement_id": 1, "txt": "Trams"}]))
    (folder / "votes.json").write_text(json.dumps([{"participant_id": 5, "statement_id": 0, "vote": 1,
                                                     "modified": created}]))
    export = polis.read_export(folder)
    assert export.comments["timestamp"].iloc[0] // 1000 == 1731488710
    assert export.comments["timestamp"].iloc[1] == 0  # a missing field is 0, not an error
    csv_folder = _tiny_export(tmp_path / "csv", f"{created},x,0,5,1\n")
    assert polis.read_export(csv_folder).events["timestamp"].iloc[0] // 1000 == 1731488710


def test_an_unreadable_date_names_the_file_line_and_field(tmp_path):
    import json

    folder = tmp_path / "api"
    folder.mkdir()
    (folder / "comments.json").write_text(json.dumps([{"statement_id": 0, "txt": "a", "created": 1},
                                                       {"statement_id": 1, "txt": "b", "created": "last Tuesday"}]))
    (folder / "votes.json").write_text(json.dumps([{"participant_id": 5, "statement_id": 0, "vote": 1}]))
    with pytest.raises(polis.PolisFormatError, match=r"comments.json record 2: created 'last Tuesday'"):
        polis.read_export(folder)


def test_groups_cli_reproduces_polis_with_one_fit_and_refuses_a_negative_count(tmp_path, capsys):
    # bg2050-volunteers: one fit, as Polis computes it, gives Polis's own groups exactly; the default combines
    # twenty subsamples and moves the three of Polis's eight-person minority that most subsamples put elsewhere
    from sklearn.metrics import adjusted_rand_score

    source = shared_data("polis", "bg2050-volunteers")
    theirs = polis.read_export(source).groups.dropna()
    found = {}
    for resamples in ("0", "20"):
        out = tmp_path / f"groups{resamples}.csv"
        assert cli.main(["groups", str(source), "--resamples", resamples, "--out", str(out)]) == 0
        frame = pd.read_csv(out, dtype={"participant": str})
        found[resamples] = frame.dropna(subset=["group"]).set_index("participant")["group"]
    assert "as Polis computes them" in capsys.readouterr().out
    for resamples, expected in (("0", 1.0), ("20", 0.7)):
        labels = found[resamples]
        labels.index = labels.index.astype(int)
        both = labels.index.intersection(theirs.index)
        assert len(both) > 100
        assert adjusted_rand_score(theirs[both], labels[both]) >= expected
    with pytest.raises(SystemExit) as stopped:
        cli.main(["groups", str(source), "--resamples", "-1"])
    assert stopped.value.code == 2 and "-1 is below 0" in capsys.readouterr().err
