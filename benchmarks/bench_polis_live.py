"""Opinion groups in a live conversation: how much they flicker from one update to the next, fresh or carried over.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_polis_live.py [--updates 40] [FOLDER ...]

FOLDER: more Polis export folders beside the shared ones. Each conversation's vote events are replayed in the
order they were cast; the groups are computed after every 1/updates of the events, either afresh each time
("fresh": OpinionGroups() with no memory) or as the app does, one GroupHistory carried from update to update
("carried": consult.opinion.carry_over). Per conversation:
- k changes: how often the number of groups changed between consecutive updates;
- renamed: the mean share of the participants grouped in both of two consecutive updates whose group number
  changed (what an officer sees: "Group 2" holding other people);
- ARI < 0.8: the share of consecutive updates whose groups agree by less than 0.8 (names aside);
- vs Polis: adjusted Rand index of the last update's groups to the groups Polis published (participants-votes.csv),
  and "vs fresh": the last update's groups against a fresh fit of all the votes.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from benchmarks import polis_sets  # noqa: E402
from benchmarks.common import row  # noqa: E402
from consult import regions  # noqa: E402
from consult.intake import polis  # noqa: E402
from consult.opinion import groups as opinion  # noqa: E402
from consult.opinion.carry_over import GroupHistory  # noqa: E402
from consult.opinion.resampling import mean_agreement  # noqa: E402


def votes_up_to(events: pd.DataFrame, count: int) -> pd.DataFrame:
    """The current votes after the first `count` events (the latest per voter and comment)."""
    latest = events.iloc[:count].drop_duplicates(["voter-id", "comment-id"], keep="last")
    return pd.DataFrame({"participant_id": latest["voter-id"].to_numpy(), "proposal_id": latest["comment-id"].to_numpy(),
                         "value": latest["vote"].to_numpy(dtype="int8"), "region": regions.UNDISCLOSED})


def replay(events: pd.DataFrame, zeroed: set, updates: int, history: GroupHistory | None) -> list[pd.Series]:
    """Each update's groups (participant -> group number), in order."""
    answers = []
    for update in range(1, updates + 1):
        votes = votes_up_to(events, int(round(len(events) * update / updates)))
        model = opinion.OpinionGroups(n_resamples=0, history=history).fit(votes, zeroed_proposals=zeroed)
        answers.append(model.labels_.dropna().astype(int))
    return answers


def flicker(answers: list[pd.Series]) -> tuple[int, float, float]:
    """k changes, mean renamed share, share of consecutive updates agreeing by less than 0.8."""
    k_changes = sum(a.nunique() != b.nunique() for a, b in zip(answers, answers[1:], strict=False) if len(a) and len(b))
    renamed, low = [], []
    for before, after in zip(answers, answers[1:], strict=False):
        common = before.index.intersection(after.index)
        if len(common) and before.nunique() > 1:
            renamed.append(float((before[common] != after[common]).mean()))
            low.append(mean_agreement(before, [after]) < 0.8)
    return k_changes, float(np.mean(renamed)), float(np.mean(low))


def agreement(truth: pd.Series | None, labels: pd.Series) -> str:
    from sklearn.metrics import adjusted_rand_score

    if truth is None:
        return "-"
    common = truth.dropna().index.intersection(labels.index)
    return f"{adjusted_rand_score(truth[common], labels[common]):.3f}" if len(common) else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=40)
    parser.add_argument("folders", nargs="*", type=Path, help="more Polis export folders")
    args = parser.parse_args(argv)
    folders = polis_sets.folders(list(args.folders))
    if not folders:
        return 0
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores); {args.updates} updates a conversation")
    widths = (24, 9, 11, 10, 11, 10, 10)
    print(row("conversation", "groups", "k changes", "renamed", "ARI < 0.8", "vs Polis", "vs fresh", widths=widths))
    for folder in folders:
        export = polis.read_export(folder)
        zeroed = polis.zeroed_comments(export)
        events = export.events.sort_values("timestamp", kind="stable")
        everything = opinion.OpinionGroups(n_resamples=0).fit(polis.participants_votes_frame(export),
                                                              zeroed_proposals=zeroed).labels_.dropna()
        for kind, history in (("fresh", None), ("carried", GroupHistory())):
            answers = replay(events, zeroed, args.updates, history)
            k_changes, renamed, low = flicker(answers)
            print(row(folder.name if kind == "fresh" else "", kind, k_changes, f"{renamed:.1%}", f"{low:.0%}",
                      agreement(export.groups, answers[-1]), agreement(everything, answers[-1]), widths=widths))
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
