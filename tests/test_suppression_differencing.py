"""Small cells cannot be undone by subtraction: the attack is tried on every output that publishes a breakdown and
its total (`consult support --out` with `--regions-out`, the report's channel table, the region comparison)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from consult import storage
from consult.cli import main as cli
from consult.publishing import report, suppression

NI = "N92000002"
BIG = ["E12000007", "E12000001", "S92000003", "W92000004"]


def lone_voter_world(engine):
    consultation = storage.create_consultation(engine, title="Differencing", question="Q?", join_code="DIFFOI")
    proposals = [storage.add_proposal(engine, consultation.id, body=f"Proposal number {i} about the regions",
                                      author_id=None, is_seed=True).id for i in range(6)]
    rng = np.random.default_rng(3)
    for region, size in zip(BIG, (40, 14, 25, 12), strict=True):
        for _ in range(size):
            member = storage.add_participant(engine, consultation.id, region=region)
            for pid in proposals:
                storage.cast_vote(engine, member.id, pid, int(rng.choice([1, -1, 0])))
    lone = storage.add_participant(engine, consultation.id, region=NI)
    lone_votes = {pid: (1 if i % 2 else -1) for i, pid in enumerate(proposals)}
    for pid, value in lone_votes.items():
        storage.cast_vote(engine, lone.id, pid, value)
    return consultation, lone_votes


def test_the_lone_voters_votes_cannot_be_recovered_from_the_support_files(sqlite_engine, tmp_path):
    consultation, lone_votes = lone_voter_world(sqlite_engine)
    url = sqlite_engine.url.render_as_string(hide_password=False)
    out, regions_out = tmp_path / "support.csv", tmp_path / "regions.csv"
    assert cli.main(["support", "DIFFOI", "--db", url, "--out", str(out), "--regions-out", str(regions_out)]) == 0
    national = pd.read_csv(out, encoding="utf-8-sig").set_index("proposal")
    cells = pd.read_csv(regions_out, encoding="utf-8-sig")
    for pid, value in lone_votes.items():
        mine = cells[cells["proposal"] == pid]
        assert pd.isna(mine.loc[mine["region"] == NI, "n"]).all()  # the lone voter's own cell is blank
        hidden = mine[mine["n"].isna()]
        # the subtraction: the national count less every published cell is what the blank cells hold together
        left_over = national.loc[pid, "agree"] - mine["agree"].sum()
        assert len(hidden[hidden["region"].isin([NI, *BIG])]) >= 2, "one blank cell would be the difference itself"
        assert left_over >= (1 if value == 1 else 0)  # consistent, but shared with a cell of 12 or more people


def test_one_blank_channel_is_not_given_away_by_the_total(sqlite_engine):
    consultation = storage.create_consultation(sqlite_engine, title="Channels", question="Q?", join_code="CHANOI")
    for _ in range(30):
        storage.add_participant(sqlite_engine, consultation.id, region="E12000007")
    for _ in range(3):  # three members who joined another way
        storage.add_participant(sqlite_engine, consultation.id, region="E12000007", channel="meeting")
    page = report.build(sqlite_engine, consultation.id)
    channel_table = page.split("<h3>By channel</h3>")[1].split("</table>")[0]
    assert ">3<" not in channel_table and ">30<" not in channel_table  # both blanked: 33 - 30 would give 3


def test_breakdown_suppression_rules():
    frame = pd.DataFrame({"proposal": [1, 1, 1, 2, 2, 2], "region": list("ABCABC"),
                          "n": [1, 12, 30, 0, 15, 40], "agree": [1, 6, 20, 0, 5, 30]})
    out = suppression.suppress_breakdown(frame, "proposal", "n", ("agree",), 10)
    assert out["suppressed"].tolist() == [True, True, False, False, False, False]
    assert out["agree"].isna().tolist() == [True, True, False, False, False, False]
