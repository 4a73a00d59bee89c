"""`consult groups` as a Polis user meets it: Polis-shaped files, honest errors, the agree sign checked."""

from __future__ import annotations

import json
import shutil

import pandas as pd
from conftest import shared_data

from consult.cli import main as cli
from consult.intake import polis


def test_a_sign_the_data_contradicts_is_refused_and_the_default_reads_it(tmp_path, capsys):
    source = shared_data("polis", "brexit-consensus")
    assert cli.main(["groups", str(source), "--agree-sign", "-1"]) == 2
    assert "every direction would be flipped" in capsys.readouterr().err
    assert cli.main(["groups", str(source)]) == 0  # read from the data: agree is +1 in this export
    # the API's JSON with neither authors' votes nor agrees counts: it cannot be told, so it must be given
    folder = tmp_path / "api"
    folder.mkdir()
    (folder / "comments.json").write_text(json.dumps([{"statement_id": i, "txt": f"S{i}"} for i in range(3)]))
    (folder / "votes.json").write_text(json.dumps([{"participant_id": p, "statement_id": i, "vote": -1}
                                                    for p in range(3) for i in range(3)]))
    assert cli.main(["groups", str(folder)]) == 2
    assert "give the agree sign" in capsys.readouterr().err
    assert cli.main(["groups", str(folder), "--agree-sign", "-1"]) == 0


def test_consensus_uncertainty_and_text_labels_come_out_polis_shaped(tmp_path, capsys):
    source = shared_data("polis", "bg2050-volunteers")
    export = polis.read_export(source)
    groups = export.groups.dropna().astype(int).map({0: "North", 1: "South", 2: "West", 3: "East"})
    labels = tmp_path / "labels.csv"
    pd.DataFrame({"participant": groups.index, "group": groups.to_numpy()}).to_csv(labels, index=False)
    out, rep, cons, unc = (tmp_path / f"{n}.csv" for n in ("out", "rep", "cons", "unc"))
    assert cli.main(["groups", str(source), "--labels", str(labels), "--out", str(out), "--repness-out", str(rep),
                     "--consensus-out", str(cons), "--uncertainty-out", str(unc), "--excel"]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # --excel: the byte-order mark Excel wants
    written = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert set(written["group"]) - {""} == set(groups.unique())  # text labels kept, and --out honoured
    assert set(pd.read_csv(rep, encoding="utf-8-sig")["group"]) <= set(groups.unique())
    consensus = pd.read_csv(cons, encoding="utf-8-sig")
    assert set(consensus["direction"]) <= {"agree", "disagree"} and len(consensus) > 0
    assert not set(consensus["proposal"]) & polis.zeroed_comments(export)
    uncertain = pd.read_csv(unc, encoding="utf-8-sig")
    assert list(uncertain.columns) == ["proposal", "pass_rate", "seen"] and (uncertain["pass_rate"] > 0.3).all()


def test_empty_and_thin_and_unknown_inputs_say_so(tmp_path, capsys):
    source = shared_data("polis", "london.youth.policing")
    empty = tmp_path / "empty"
    shutil.copytree(source, empty)
    (empty / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n")
    wanted = tmp_path / "groups.csv"
    assert cli.main(["groups", str(empty), "--out", str(wanted)]) == 2
    assert "no votes" in capsys.readouterr().err and not wanted.exists()
    thin = tmp_path / "thin"
    shutil.copytree(source, thin)
    (thin / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,1\n2,x,1,2,-1\n")
    assert cli.main(["groups", str(thin)]) == 0
    printed = capsys.readouterr().out
    assert "Not enough votes to form opinion groups" in printed and "silhouette by k: )" not in printed
    unknown = tmp_path / "unknown"
    shutil.copytree(source, unknown)
    (unknown / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,1\n2,x,99999,2,-1\n")
    assert cli.main(["groups", str(unknown)]) == 2
    assert "comment-id 99999" in capsys.readouterr().err


def test_a_mistyped_folder_is_not_taken_for_a_join_code(tmp_path, capsys):
    database = tmp_path / "never.db"
    assert cli.main(["groups", str(tmp_path / "polis-exprot"), "--db", f"sqlite:///{database}"]) == 2
    assert "no Polis export folder" in capsys.readouterr().err
    assert cli.main(["groups", "DEVO26", "--db", f"sqlite:///{database}"]) == 2
    assert "no database" in capsys.readouterr().err
    assert not database.exists()  # nothing was created by looking


def test_iso_dates_leave_the_representative_statements_exactly_as_with_epoch_milliseconds(tmp_path, capsys):
    """A real conversation written with ISO 8601 dates (as Polis's API archives carry `created`) gives the same
    groups and the same representative statements, entry for entry, as the export with epoch milliseconds."""
    source = shared_data("polis", "bg2050-volunteers")
    iso = tmp_path / "iso"
    shutil.copytree(source, iso)
    for name in ("comments.csv", "votes.csv"):
        frame = pd.read_csv(iso / name, dtype=str, keep_default_na=False)
        stamps = pd.to_datetime(pd.to_numeric(frame["timestamp"]), unit="ms", utc=True)
        frame["timestamp"] = stamps.dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3] + "Z"
        frame.to_csv(iso / name, index=False)
    outputs = []
    for folder in (source, iso):
        rep = tmp_path / f"rep-{folder.name}.csv"
        assert cli.main(["groups", str(folder), "--repness-out", str(rep), "--out", str(tmp_path / "g.csv")]) == 0
        outputs.append(pd.read_csv(rep))
    pd.testing.assert_frame_equal(outputs[0], outputs[1])
    assert len(outputs[0]) > 0
