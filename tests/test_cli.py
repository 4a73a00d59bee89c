"""The consult command line."""

from __future__ import annotations

import re

from consult import storage
from consult.cli import main as cli
from consult.storage import db
from consult.text import embeddings


def test_demo_loads_once_with_if_empty(sqlite_url, capsys):
    assert cli.main(["demo", "--db", sqlite_url, "--if-empty"]) == 0
    assert "join code DEVO26" in capsys.readouterr().out
    assert cli.main(["demo", "--db", sqlite_url, "--if-empty"]) == 0
    assert "already holds" in capsys.readouterr().out
    assert cli.main(["list", "--db", sqlite_url]) == 0
    assert "DEVO26" in capsys.readouterr().out
    # staff pages list consultations newest first and open on the first: the one with the proposals
    assert storage.list_consultations(db.make_engine(sqlite_url))["join_code"].tolist() == ["DEVO26", "MEET26"]


def test_migrate_reports_revision(sqlite_url, capsys):
    assert cli.main(["migrate", "--db", sqlite_url]) == 0
    assert "revision 0016" in capsys.readouterr().out


def test_list_on_empty_database_says_what_to_do(sqlite_url, capsys):
    assert cli.main(["list", "--db", sqlite_url]) == 0
    assert "consult demo" in capsys.readouterr().out


def test_store_errors_become_messages_not_tracebacks(sqlite_url, capsys, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise storage.Refused("nope, and here is why")

    monkeypatch.setattr(storage, "list_consultations", refuse)
    assert cli.main(["list", "--db", sqlite_url]) == 2
    assert "nope, and here is why" in capsys.readouterr().err


def test_support_command_prints_participation_and_consensus(sqlite_url, tmp_path, capsys):
    assert cli.main(["demo", "--db", sqlite_url]) == 0
    out = tmp_path / "support.csv"
    assert cli.main(["support", "DEVO26", "--db", sqlite_url, "--top", "3", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "London" in printed and "supported in every region" in printed
    import pandas as pd

    frame = pd.read_csv(out)
    assert {"proposal", "consensus_rank", "support", "lower", "upper", "weighted_support",
            "weakest_region"} <= set(frame.columns)
    assert frame["consensus_rank"].tolist() == list(range(1, len(frame) + 1))
    assert frame["expected_weakest"].round(9).is_monotonic_decreasing


def test_themes_command_on_a_file_with_regions(tmp_path, capsys):
    import pandas as pd

    from consult.demo import consultation as demo

    data = demo.generate(seed=9, n_participants=300, n_proposals=500)
    source = tmp_path / "responses.csv"
    data.proposals[["external_id", "body", "region"]].to_csv(source, index=False)
    out = tmp_path / "themed.csv"
    assert cli.main(["themes", str(source), "--text-col", "body", "--region-col", "region", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "themes in 500 responses" in printed and "theme by region" in printed
    # each UK region by name: its distinctive words, or that none is beyond chance (never its commonest words)
    assert "words a region's responses use more than the rest's" in printed
    assert "  Wales: " in printed and "E12000007:" not in printed
    if embeddings.available():  # the demo's members name their towns in passing: the run says which it left out
        assert "Names mentioned in passing, left out of the themes:" in printed
    themed = pd.read_csv(out)
    assert list(themed.columns[-3:]) == ["theme_id", "theme_label", "theme_score"] and len(themed) == 500


def test_themes_command_writes_what_is_distinctive_where(tmp_path, capsys):
    import pandas as pd

    from consult import regions
    from consult.demo import consultation as demo

    data = demo.generate(seed=9, n_participants=300, n_proposals=500)
    source = tmp_path / "responses.csv"
    frame = data.proposals[["body", "region"]].copy()
    frame["region"] = frame["region"].map(regions.region_name)  # free-spelled names, as exports hold them
    frame.to_csv(source, index=False)
    regions_out = tmp_path / "regions.csv"
    assert cli.main(["themes", str(source), "--text-col", "body", "--region-col", "region", "--out",
                     str(tmp_path / "themed.csv"), "--regions-out", str(regions_out)]) == 0
    printed = capsys.readouterr().out
    assert "what is distinctive where" in printed and "London" in printed
    table = pd.read_csv(regions_out)
    assert {"region", "theme_id", "theme_label", "n", "share", "ratio", "lower", "upper"} <= set(table.columns)
    assert (table["lower"] <= table["ratio"]).all() and (table["ratio"] <= table["upper"]).all()
    assert table["region"].isin(regions.region_codes()).all()
    assert cli.main(["themes", str(source), "--text-col", "body", "--out", str(tmp_path / "t.csv"),
                     "--regions-out", str(regions_out)]) == 2
    assert "needs --region-col" in capsys.readouterr().err


def test_themes_command_errors(tmp_path, capsys):
    source = tmp_path / "r.csv"
    source.write_text("id,body\n1,Buses\n")
    assert cli.main(["themes", str(source), "--text-col", "text", "--out", str(tmp_path / "o.csv")]) == 2
    assert "no column 'text'" in capsys.readouterr().err
    assert cli.main(["themes", str(source), "--text-col", "id", "--out", str(tmp_path / "o.csv")]) == 2
    assert "holds numbers" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert cli.main(["themes", str(empty), "--text-col", "body", "--out", str(tmp_path / "o.csv")]) == 2
    assert "empty" in capsys.readouterr().err


def test_support_on_any_votes_file(tmp_path, capsys):
    import pandas as pd

    regions_cycle = ["North East", "E12000007", "wales", "Narnia"]
    rows = [{"who": f"m{i}", "idea": f"p{p}", "where": "Scotland" if i < 5 else regions_cycle[i % 4],
             "stance": ["agree", "disagree", "pass", "1", "-1"][(i + p) % 5]}
            for i in range(60) for p in range(4)]
    rows.append({"who": "m0", "idea": "p0", "where": "North East", "stance": "maybe"})  # unreadable: skipped
    source = tmp_path / "votes.csv"
    pd.DataFrame(rows).to_csv(source, index=False)
    out, cells = tmp_path / "out.csv", tmp_path / "regions.csv"
    assert cli.main(["support", str(source), "--participant-col", "who", "--proposal-col", "idea",
                     "--region-col", "where", "--vote-col", "stance", "--out", str(out),
                     "--regions-out", str(cells)]) == 0
    printed = capsys.readouterr().out
    unknown = sum(row["where"] == "Narnia" for row in rows)
    # three regions hold 10+ voters: the chance of a majority in all 12 is marked rough
    assert re.search(r"P\(all\) +\d+%\* support", printed)
    assert "* rough: fewer than half the regions have 10+ votes on it" in printed
    assert f"241 rows: 240 votes read, 1 unreadable votes skipped, {unknown} unknown regions" in printed
    frame = pd.read_csv(out)
    assert {"proposal", "consensus_rank", "support", "lower", "upper", "weighted_support",
            "weakest_region"} <= set(frame.columns)
    assert sorted(frame["proposal"]) == ["p0", "p1", "p2", "p3"] and sorted(frame["consensus_rank"]) == [1, 2, 3, 4]
    by_region = pd.read_csv(cells)
    assert {"proposal", "region", "n", "agree", "estimate", "lower", "upper"} <= set(by_region.columns)
    assert len(by_region) == 4 * 12
    scotland = by_region[by_region["region"] == "S92000003"]
    assert scotland["n"].isna().all() and scotland["estimate"].notna().all()  # 5 voters: counts suppressed
    assert by_region["estimate"].between(0, 1).all()
    assert cli.main(["support", str(source), "--vote-col", "nope"]) == 2
    assert "There is no participant column 'participant'" in capsys.readouterr().err  # says which, and the flag


def test_support_on_a_votes_file_weights_to_the_baseline_asked_for_and_names_it(tmp_path, capsys, sqlite_url):
    """--baseline was printed but ignored for files (population was used whatever it said)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(3)
    rows = [{"participant": f"m{i}", "proposal": f"p{p}", "region": "London" if i < 60 else "Wales",
             "vote": 1 if rng.random() < (0.85 if i < 60 else 0.15) else -1} for i in range(80) for p in range(20)]
    source = tmp_path / "votes.csv"
    pd.DataFrame(rows).to_csv(source, index=False)
    all_wales = tmp_path / "wales_heavy.csv"
    from consult import regions

    pd.DataFrame({"region": regions.region_codes(),  # every region must be listed: Wales with most people
                  "count": [900 if code == "W92000004" else 10 for code in regions.region_codes()]}
                 ).to_csv(all_wales, index=False)
    weighted = {}
    for baseline in ("population", str(all_wales)):
        out = tmp_path / f"out-{len(weighted)}.csv"
        assert cli.main(["support", str(source), "--baseline", baseline, "--out", str(out), "--db", sqlite_url]) == 0
        printed = capsys.readouterr().out
        name = "population" if baseline == "population" else "wales_heavy.csv"
        assert f"participation against the {name} baseline" in printed
        assert f"weighted to the {name} baseline" in printed
        frame = pd.read_csv(out)
        assert set(frame["baseline"]) == {name}
        weighted[name] = float(frame["weighted_support"].mean())
    # London agrees, Wales disagrees: a baseline that is mostly Wales must pull the weighted figure down
    assert weighted["wales_heavy.csv"] < weighted["population"] - 0.2
    assert cli.main(["support", str(source), "--baseline", "membership", "--db", sqlite_url]) == 2
    assert "There is no baseline called 'membership'" in capsys.readouterr().err


def test_import_command_on_a_messy_form_export(sqlite_url, tmp_path, capsys):
    import pandas as pd
    from messy_form import write_messy_csv

    path = write_messy_csv(tmp_path)
    notes_path = tmp_path / "notes.csv"
    code = cli.main(["import", str(path), "--db", sqlite_url, "--text-col",
                     "What should a regional assembly be able to decide?", "--title", "Form export",
                     "--rejected-out", str(notes_path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "62 rows in: 59 accepted, 3 rejected" in out
    assert "rejected, empty response: 2" in out and "rejected, respondent appears more than once: 1" in out
    assert "region column guessed: 'Where do you live?'" in out
    assert "a 1-5 scale" in out and "2 accepted rows had an answer that could not be read" in out
    assert "'Atlantis' ×1" in out and "1 answer is longer than 2,000 characters" in out
    notes = pd.read_csv(notes_path)
    assert set(notes["row"]) == {7, 11, 32, 15, 21, 13, 23, 25}
    cells = notes.astype(str).to_numpy().ravel()
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)  # no cell a spreadsheet would run
    assert "Form export" in storage.list_consultations(db.make_engine(sqlite_url))["title"].tolist()


def test_import_command_errors(sqlite_url, tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_text("a,b\n")
    assert cli.main(["import", str(empty), "--db", sqlite_url, "--text-col", "a"]) == 2
    assert "consult import:" in capsys.readouterr().err
    path = tmp_path / "ok.csv"
    path.write_text("answer\nBuses\n")
    assert cli.main(["import", str(path), "--db", sqlite_url, "--text-col", "missing"]) == 2
    assert "not in the file" in capsys.readouterr().err
