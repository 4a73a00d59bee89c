"""Representative statements chosen as Polis chooses them (../shared/notes/methods.md 7b), worked out by hand."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import shared_data

from consult.cli import main as cli
from consult.intake import polis
from consult.opinion import groups as opinion
from consult.opinion.repness import _group_stats, select_statements


def _stats(group: list[tuple[int, int, int]], rest: list[tuple[int, int, int]]):
    g, r = np.array(group, dtype=float), np.array(rest, dtype=float)
    return _group_stats(g[:, 0], g[:, 1], g[:, 2], r[:, 0], r[:, 1], r[:, 2])


# (agrees, disagrees, seen) for the group, then for everyone else, statements A, B, C, D in order
GROUP = [(18, 2, 20), (19, 1, 20), (15, 5, 20), (2, 17, 20)]
REST = [(19, 1, 20), (20, 0, 20), (2, 18, 20), (16, 3, 20)]
A, B, C, D = range(4)


def test_the_hand_worked_case():
    stats = _stats(GROUP, REST)
    # A and B: the group agrees, but no more than everyone else (not sufficient); C and D are sufficient
    assert list(stats.qualifies) == [False, False, True, True]
    # best agree: A is accepted first (pat > 1.2816) with ra < 1, so a newcomer needs a larger pa * pat:
    # B (0.909 x 4.15 = 3.77) beats A (0.864 x 3.71 = 3.20); C (0.727 x 2.40 = 1.75) does not beat B
    chosen, best_agree = select_statements(stats, excluded=np.zeros(4, bool))
    assert best_agree == B
    # list: [best agree] + sufficient by metric, then agrees before disagrees; B's direction is disagree
    # (rat < rdt: everyone else agreed with it even more), so C (agree) leads, then B, then D
    assert chosen == [C, B, D]
    assert not stats.agree_way[B] and stats.agree_way[C] and not stats.agree_way[D]


def test_moderated_out_statements_are_never_chosen():
    stats = _stats(GROUP, REST)
    excluded = np.array([False, True, False, False])  # B moderated out: A stays the best agree
    chosen, best_agree = select_statements(stats, excluded=excluded)
    assert best_agree == A and B not in chosen and chosen == [C, A, D]


def test_with_nothing_sufficient_only_the_best_agree_or_the_best_is_shown():
    stats = _stats(GROUP[:2], REST[:2])
    assert select_statements(stats, excluded=np.zeros(2, bool)) == ([B], B)
    silent = _stats([(0, 0, 3), (1, 1, 3)], [(5, 5, 12), (4, 6, 12)])  # nobody agrees more than half
    chosen, best_agree = select_statements(silent, excluded=np.zeros(2, bool))
    assert best_agree is None and len(chosen) == 1


def test_repness_rows_carry_the_statistics_and_exclude_moderated(tmp_path):
    rows = []
    for person in range(40):
        group = person < 20
        for proposal in range(6):
            value = 1 if (group == (proposal % 2 == 0)) else -1
            rows.append((person, proposal, value, "UNDISCLOSED"))
    votes = pd.DataFrame(rows, columns=["participant_id", "proposal_id", "value", "region"])
    matrix = opinion.VoteMatrix.from_votes(votes)
    labels = pd.Series([0] * 20 + [1] * 20, index=range(40), dtype=float)
    rep = opinion.repness(matrix, labels, excluded={0, 1})
    assert not set(rep["proposal_id"]) & {0, 1}
    assert set(rep.columns) >= {"group", "proposal_id", "direction", "rank", "n_success", "n_trials", "p_success",
                                "p_test", "repness", "repness_test", "best_agree"}
    first = rep[rep["group"] == 0].sort_values("rank").iloc[0]
    assert first["direction"] == "agree" and first["n_success"] == 20 and first["n_trials"] == 20


def _json_folder(tmp_path, agree_value: int):
    comments = [{"statement_id": 0, "txt": "Buses run by the region", "moderated": 1, "is_meta": False},
                {"statement_id": 1, "txt": "Keep things as they are", "moderated": -1, "is_meta": False}]
    votes = [{"participant_id": 7, "statement_id": 0, "vote": -agree_value, "modified": 100},
             {"participant_id": 7, "statement_id": 0, "vote": agree_value, "modified": 200},  # changed: latest wins
             {"participant_id": 8, "statement_id": 1, "vote": agree_value, "modified": 150}]
    (tmp_path / "comments.json").write_text(json.dumps(comments))
    (tmp_path / "votes.json").write_text(json.dumps(votes))
    return tmp_path


@pytest.mark.parametrize("agree_value", [1, -1])
def test_json_reader_takes_the_sign_and_the_latest_vote(tmp_path, agree_value):
    export = polis.read_export(_json_folder(tmp_path, agree_value), agree_sign=agree_value)
    latest = export.votes.set_index(["voter-id", "comment-id"])["vote"]
    assert latest[(7, 0)] == 1 and latest[(8, 1)] == 1  # agree = +1 inside consult, whatever the source used
    assert len(export.events) == 3 and polis.zeroed_comments(export) == {1}
    wrong = polis.read_export(tmp_path, agree_sign=-agree_value)
    assert wrong.votes.set_index(["voter-id", "comment-id"])["vote"][(7, 0)] == -1


def test_json_reader_says_what_is_wrong(tmp_path):
    (tmp_path / "votes.json").write_text("[{\"participant_id\": 1}]")
    (tmp_path / "comments.json").write_text("not json")
    with pytest.raises(polis.PolisFormatError, match="not readable JSON"):
        polis.read_export(tmp_path)


def test_labels_give_polis_own_consensus_and_lists(tmp_path, capsys):
    source = shared_data("polis", "bg2050-volunteers")
    export = polis.read_export(source)
    groups = export.groups.dropna().astype(int)
    labels = tmp_path / "labels.csv"
    pd.DataFrame({"participant": groups.index, "group": groups.to_numpy()}).to_csv(labels, index=False)
    out, rep = tmp_path / "gic.csv", tmp_path / "rep.csv"
    assert cli.main(["groups", str(source), "--labels", str(labels), "--gic-out", str(out),
                     "--repness-out", str(rep)]) == 0
    ours = pd.read_csv(out).set_index("proposal")["group_informed_consensus"]
    theirs = pd.to_numeric(export.comments.set_index("comment-id")["group-informed-consensus"])
    common = theirs.index.intersection(ours.index)
    assert len(common) > 300 and np.abs(ours[common] - theirs[common]).max() < 1e-9
    assert not set(ours.index) & polis.zeroed_comments(export)  # moderated-out comments are not listed
    shown = pd.read_csv(rep, dtype={"group": str})
    assert set(shown["group"]) <= {str(g) for g in groups.unique()}  # Polis's own ids, written "0" not "0.0"
    assert not set(shown["proposal"].astype(int)) & polis.zeroed_comments(export)  # moderated-out never shown
    assert (shown.groupby("group")["best_agree"].sum() <= 1).all()
    assert "2 groups given" in capsys.readouterr().out
