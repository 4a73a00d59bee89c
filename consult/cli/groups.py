"""`consult groups`: Polis-style opinion groups, representative statements, consensus and uncertainty, from a Polis
export folder or a consultation, or for a grouping given in a file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from consult import storage
from consult.cli.written import write_and_say

REASON_TOO_FEW = "voted on fewer than {n} statements"
REASON_NOT_GROUPED = "not in a group"


def _labels_from_file(path: str, source_ids: dict) -> pd.Series:
    """A given grouping (Polis's own, regions, a survey segment): participant -> group, the group as written
    (numbers stay numbers, so Polis's own group ids are kept; text labels stay text)."""
    from consult.intake import spreadsheets as tables

    given = tables.read_table(path)
    if not {"participant", "group"} <= set(given.columns):
        raise tables.TableError("The labels file needs the columns participant and group.")
    by_name = {name: pid for pid, name in source_ids.items()}
    keys = given["participant"].astype(str).str.strip()
    ids = keys.map(lambda k: by_name.get(k, int(k) if k.lstrip("-").isdigit() else None))
    raw = given["group"].astype(str).str.strip()
    numbers = pd.to_numeric(raw, errors="coerce")
    groups = numbers.astype("Int64") if numbers.notna().all() and (numbers % 1 == 0).all() else raw
    labels = pd.Series(groups.to_numpy(), index=ids)
    labels = labels[labels.index.notna() & (raw.to_numpy() != "")]
    labels.index = labels.index.astype("int64")
    return labels


def _reasons(matrix, labels: pd.Series, min_votes: int) -> pd.Series:
    """Why a participant has no group: too few votes for Polis's clustering, or left out by it."""
    seen = pd.Series(matrix.n_votes, index=matrix.participants)
    reasons = pd.Series("", index=labels.index, dtype=object)
    missing = labels.isna()
    few = missing & (seen.reindex(labels.index).fillna(0) < min_votes)
    reasons[few] = REASON_TOO_FEW.format(n=min_votes)
    reasons[missing & ~few] = REASON_NOT_GROUPED
    return reasons


def _load(args: argparse.Namespace, engine_for: Callable, resolve: Callable):
    """Votes, moderated-out ids, texts and printable participant ids from a Polis folder or a consultation."""
    from consult.intake import polis
    from consult.publishing import pseudonyms
    from consult.storage import db

    source = Path(args.source)
    if source.is_dir():
        export = polis.read_export(source, agree_sign=args.agree_sign)
        votes = polis.participants_votes_frame(export)
        texts = dict(zip(export.comments["comment-id"], export.comments["comment-body"], strict=True))
        return votes, polis.zeroed_comments(export), texts, {p: str(p) for p in votes["participant_id"].unique()}
    if source.exists() or any(mark in args.source for mark in ("/", "\\")) or source.suffix:
        raise polis.PolisFormatError(f"There is no Polis export folder at {args.source}.")
    url = args.db or db.database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        raise storage.NotFound(f"{args.source!r} is not a folder, and there is no database at {url} to look it up "
                               "as a consultation.")
    engine = engine_for(args)
    consultation = resolve(engine, args.source)
    votes = storage.votes_frame(engine, consultation.id)
    proposals = storage.proposals_frame(engine, consultation.id)
    zeroed = set(proposals.loc[(proposals["status"] != "published") | proposals["is_meta"], "id"])
    texts = dict(zip(proposals["id"], proposals["body"], strict=True))
    # a consultation's participants leave as keyed pseudonyms, as in every export
    return votes, zeroed, texts, pseudonyms.pseudonyms(consultation.id, votes["participant_id"])


def _non_negative(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number} is below 0: give 0 for one fit, or a number of subsamples")
    return number


def _fit(args: argparse.Namespace, votes: pd.DataFrame, zeroed, source_ids: dict):
    """(matrix, labels, group sizes, the votes a participant needs, each grouped participant's share of subsample
    runs that agree with their group): given by --labels (no shares), else Polis's groups."""
    from consult.opinion import groups as opinion
    from consult.publishing.group_steadiness import fitted_groups_sentence

    if args.labels:
        labels = _labels_from_file(args.labels, source_ids)
        matrix = opinion.VoteMatrix.from_votes(votes)
        labels = labels.reindex(matrix.participants)
        sizes = labels.dropna().value_counts().sort_index()
        print(f"{len(sizes)} groups given for {int(sizes.sum())} of {len(matrix.participants)} participants")
        return matrix, labels, sizes, 0, pd.Series(dtype=float)
    model = opinion.OpinionGroups(random_state=args.seed, n_resamples=args.resamples,
                                  combine_resamples=args.combine_resamples).fit(votes, zeroed_proposals=zeroed)
    matrix, labels, sizes, min_votes = model.matrix_, model.labels_.astype("Int64"), model.group_sizes(), model.min_votes
    if model.k_ < 2:
        enough = int((matrix.n_votes >= min_votes).sum())
        print(f"Not enough votes to form opinion groups: {enough} of {len(labels)} participants voted on "
              f"{min_votes} or more statements (Polis's rule), and they do not split into two or more groups.")
    else:
        print(f"{model.k_} opinion groups among {int(labels.notna().sum())} of {len(labels)} participants "
              f"(silhouette by k: {', '.join(f'{k}={v:.3f}' for k, v in model.silhouettes_.items())})")
        print(fitted_groups_sentence(model, people="participants"))
    return matrix, labels, sizes, min_votes, model.steadiness_


def _print_groups(sizes: pd.Series, rep: pd.DataFrame, consensus: pd.DataFrame, texts: dict) -> None:
    from consult.text.cleaning import shorten

    for group, size in sizes.items():
        print(f"\ngroup {group}: {size} participants")
        for row in rep[rep["group"] == group].itertuples():
            star = "*" if row.best_agree else " "
            print(f" {star}{row.direction:<8} {row.p_success:5.0%}  {shorten(str(texts.get(row.proposal_id, '')), 90)}")
    if len(consensus):
        print("\nconsensus (agreed or disagreed by most, whatever their group):")
        for row in consensus.itertuples():
            print(f"  {row.direction:<8} {row.p:5.0%}  {shorten(str(texts.get(row.proposal_id, '')), 90)}")


def run_groups(args: argparse.Namespace, engine_for: Callable, resolve: Callable) -> int:
    from consult.opinion import groups as opinion

    votes, zeroed, texts, source_ids = _load(args, engine_for, resolve)
    requested = [o for o in (args.out, args.repness_out, args.consensus_out, args.uncertainty_out, args.gic_out) if o]
    if votes.empty:
        print(f"{args.source}: no votes, so there is nothing to group" +
              ("; no file was written" if requested else ""), file=sys.stderr if requested else sys.stdout)
        return 2 if requested else 0
    matrix, labels, sizes, min_votes, steadiness = _fit(args, votes, zeroed, source_ids)
    grouped = labels.dropna()
    # representative statements on the moderated matrix: moderated-out and meta comments are never shown
    rep = opinion.repness(matrix, grouped, excluded=zeroed) if grouped.nunique() >= 2 else pd.DataFrame(
        columns=["group", "proposal_id", "direction", "rank", "n_success", "n_trials", "p_success", "p_test",
                 "repness", "repness_test", "best_agree"])
    consensus = opinion.consensus(matrix, excluded=zeroed)
    _print_groups(sizes, rep, consensus, texts)
    bom = args.excel
    text_groups = grouped.map(lambda g: isinstance(g, str)).any()
    group_kind = "text" if text_groups else "number"
    if args.out:
        out = pd.DataFrame({"participant": [source_ids.get(p, str(p)) for p in labels.index],
                            "group": labels.reset_index(drop=True),
                            "reason": _reasons(matrix, labels, min_votes).reset_index(drop=True),
                            # share of the subsample runs that put them in this group (empty with --labels)
                            "settled": steadiness.reindex(labels.index).round(3).reset_index(drop=True)})
        write_and_say(out, args.out, {"participant": "text", "group": group_kind, "reason": "text",
                                      "settled": "number"}, bom=bom, first=True)
    if args.repness_out:
        columns = ["group", "proposal", "direction", "rank", "n_success", "n_trials", "p_success", "p_test",
                   "repness", "repness_test", "best_agree"]
        out = rep.rename(columns={"proposal_id": "proposal"})[columns].copy()
        if not text_groups:
            out["group"] = pd.to_numeric(out["group"]).astype("Int64")  # 0, not 0.0
        kinds = {c: ("text" if c == "direction" else "number") for c in columns} | {"group": group_kind}
        write_and_say(out, args.repness_out, kinds, bom=bom)
    if args.consensus_out:
        out = consensus.rename(columns={"proposal_id": "proposal"})[["direction", "proposal", "p", "p_test", "seen"]]
        write_and_say(out, args.consensus_out, {"direction": "text", "proposal": "number", "p": "number",
                                                "p_test": "number", "seen": "number"}, what="consensus statements",
                      bom=bom)
    if args.uncertainty_out:
        out = opinion.uncertainty(matrix, excluded=zeroed).rename(columns={"proposal_id": "proposal"})
        out = out[["proposal", "pass_rate", "seen"]]
        write_and_say(out, args.uncertainty_out, dict.fromkeys(out.columns, "number"), bom=bom)
    if args.gic_out:
        shown = matrix.keep_columns(~matrix.proposals.isin(list(zeroed)))
        gic = opinion.group_informed_consensus(shown, grouped)
        out = pd.DataFrame({"proposal": gic.index, "group_informed_consensus": gic.to_numpy()})
        write_and_say(out, args.gic_out, {"proposal": "number", "group_informed_consensus": "number"}, bom=bom)
    return 0


def add_command(add: Callable[..., argparse.ArgumentParser], engine_for: Callable, resolve: Callable) -> None:
    grp = add("groups", "find opinion groups and their representative statements",
              lambda args: run_groups(args, engine_for, resolve))
    grp.add_argument("source", help="a Polis export folder (CSV, or the API's votes.json and comments.json), or a "
                                    "consultation id or join code")
    grp.add_argument("--out", help="CSV: one row per participant (participant, group, reason when not grouped)")
    grp.add_argument("--repness-out", help="CSV: one row per shown statement (group, proposal, direction, rank, "
                                           "n_success, n_trials, p_success, p_test, repness, repness_test, best_agree)")
    grp.add_argument("--consensus-out", help="CSV: Polis's consensus statements (direction agree or disagree, "
                                             "proposal, p, p_test, seen); moderated-out and meta ones never listed")
    grp.add_argument("--uncertainty-out", help="CSV: statements many passed on (proposal, pass_rate, seen)")
    grp.add_argument("--gic-out", help="CSV: group-informed consensus of every statement not moderated out")
    grp.add_argument("--labels", help="CSV with participant, group: describe this grouping instead of fitting one "
                                      "(group ids as written: Polis's own numbers, or text labels)")
    grp.add_argument("--agree-sign", type=int, choices=[1, -1], default=None,
                     help="the vote value that means agree (default: read from the data, authors' own votes or the "
                          "agrees counts; a sign the data contradicts is refused)")
    grp.add_argument("--excel", action="store_true",
                     help="start each CSV with a byte-order mark so Excel reads it as UTF-8 (default: plain UTF-8)")
    grp.add_argument("--seed", type=int, default=0, help="random_state for clustering (default 0)")
    grp.add_argument("--resamples", type=_non_negative, default=20,
                     help="subsamples the pipeline is re-run on to say how settled the groups are (default 20); 0 to "
                          "skip. The groups are the full data's fit, as Polis computes them")
    grp.add_argument("--combine-resamples", action="store_true",
                     help="let the subsamples' majority decide each participant's group (bagged clustering) instead "
                          "of the full data's fit")
