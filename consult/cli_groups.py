"""`consult groups`: Polis-style opinion groups, representative statements and consensus, from a Polis export
folder or a consultation, or for a grouping given in a file."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from consult import storage


def run_groups(args: argparse.Namespace, engine_for: Callable, resolve: Callable) -> int:
    from pathlib import Path

    import pandas as pd

    from consult import opinion, polis, tables
    from consult.publishing import files, pseudonyms
    from consult.text import shorten

    if Path(args.source).is_dir():
        export = polis.read_export(args.source, agree_sign=args.agree_sign)
        votes = polis.participants_votes_frame(export)
        zeroed = polis.zeroed_comments(export)
        texts = dict(zip(export.comments["comment-id"], export.comments["comment-body"], strict=True))
        source_ids = {pid: str(pid) for pid in votes["participant_id"].unique()}
    else:
        engine = engine_for(args)
        consultation = resolve(engine, args.source)
        votes = storage.votes_frame(engine, consultation.id)
        proposals = storage.proposals_frame(engine, consultation.id)
        zeroed = set(proposals.loc[(proposals["status"] != "published") | proposals["is_meta"], "id"])
        texts = dict(zip(proposals["id"], proposals["body"], strict=True))
        # a consultation's participants leave as keyed pseudonyms, as in every export
        source_ids = pseudonyms.pseudonyms(consultation.id, votes["participant_id"])
    if votes.empty:
        print("no votes yet: there is nothing to group")
        return 0
    if args.labels:
        # a given grouping (Polis's own, regions, a survey segment) instead of fitting groups
        given = tables.read_table(args.labels)
        if not {"participant", "group"} <= set(given.columns):
            raise tables.TableError("The labels file needs the columns participant and group.")
        by_name = {name: pid for pid, name in source_ids.items()}
        keys = given["participant"].astype(str).str.strip()
        ids = keys.map(lambda k: by_name.get(k, int(k) if k.lstrip("-").isdigit() else None))
        labels = pd.Series(pd.to_numeric(given["group"], errors="coerce").to_numpy(), index=ids).dropna()
        labels = labels[labels.index.notna()]
        labels.index = labels.index.astype("int64")
        matrix = opinion.VoteMatrix.from_votes(votes)
        sizes = labels.reindex(matrix.participants).dropna().astype(int).value_counts().sort_index()
        print(f"{len(sizes)} groups given for {int(sizes.sum())} of {len(matrix.participants)} participants")
    else:
        model = opinion.OpinionGroups(random_state=args.seed).fit(votes, zeroed_proposals=zeroed)
        matrix, labels, sizes = model.matrix_, model.labels_, model.group_sizes()
        print(f"{model.k_} opinion groups among {int(labels.notna().sum())} of {len(labels)} participants "
              f"(silhouette by k: {', '.join(f'{k}={v:.3f}' for k, v in model.silhouettes_.items())})")
    # representative statements on the moderated matrix: moderated-out and meta comments are never shown
    rep = opinion.repness(matrix, labels, excluded=zeroed)
    for group, size in sizes.items():
        print(f"\ngroup {group}: {size} participants")
        for row in rep[rep["group"] == group].itertuples():
            star = "*" if row.best_agree else " "
            print(f" {star}{row.direction:<8} {row.p_success:5.0%}  {shorten(str(texts.get(row.proposal_id, '')), 90)}")
    if args.out and not args.labels:
        out = pd.DataFrame({"participant": [source_ids.get(p, str(p)) for p in labels.index],
                            "group": labels.astype("Int64").reset_index(drop=True)})
        files.write(out, args.out, {"participant": "text", "group": "number"})
        print(f"\nwrote {len(out)} rows to {args.out}")
    if args.repness_out:
        columns = ["group", "proposal", "direction", "rank", "n_success", "n_trials", "p_success", "p_test",
                   "repness", "repness_test", "best_agree"]
        out = rep.rename(columns={"proposal_id": "proposal"})[columns]
        files.write(out, args.repness_out, {c: ("text" if c == "direction" else "number") for c in columns})
        print(f"wrote {len(out)} rows to {args.repness_out}")
    if args.consensus_out:
        gic = opinion.group_informed_consensus(matrix, labels)
        out = pd.DataFrame({"proposal": gic.index, "group_informed_consensus": gic.to_numpy()})
        files.write(out, args.consensus_out, {"proposal": "number", "group_informed_consensus": "number"})
        print(f"wrote {len(out)} rows to {args.consensus_out}")
    return 0


def add_command(add: Callable[..., argparse.ArgumentParser], engine_for: Callable, resolve: Callable) -> None:
    grp = add("groups", "find opinion groups and their representative statements",
              lambda args: run_groups(args, engine_for, resolve))
    grp.add_argument("source", help="a Polis export folder (CSV, or the API's votes.json and comments.json), or a "
                                    "consultation id or join code")
    grp.add_argument("--out", help="CSV to write with one row per participant: participant, group")
    grp.add_argument("--repness-out", help="CSV: one row per shown statement (group, proposal, direction, rank, "
                                           "n_success, n_trials, p_success, p_test, repness, repness_test, best_agree)")
    grp.add_argument("--consensus-out", help="CSV: proposal, group_informed_consensus")
    grp.add_argument("--labels", help="CSV with participant, group: describe this grouping instead of fitting one")
    grp.add_argument("--agree-sign", type=int, choices=[1, -1], default=1,
                     help="the vote value that means agree in the source (1: Polis CSV exports; -1: Polis's API)")
    grp.add_argument("--seed", type=int, default=0, help="random_state for clustering (default 0)")
