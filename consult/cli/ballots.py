"""`consult count FILE --method ...` (count any BLT, Pabulib `.pb` or motion CSV file and print its count sheet) and
`consult ballots create|open|close|export|list` (the ballot workflow from the command line)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from consult.ballots import count_file
from consult.ballots.preferences import BallotFileError
from consult.publishing import files


def run_count(args: argparse.Namespace) -> int:
    try:
        counted = count_file.count_file(args.file, args.method, seats=args.seats, seed=args.seed,
                                        eligible=args.eligible, majority=args.majority,
                                        quorum_share=args.quorum_share, quorum_count=args.quorum_count)
    except BallotFileError as exc:
        raise ValueError(f"{Path(args.file).name}: {exc}") from None
    print(counted.sheet)
    if args.out:
        numbers = {column: "number" for column in counted.result.columns
                   if counted.result[column].dtype.kind in "iuf"}
        files.write(counted.result, args.out, files.passthrough_schema(counted.result, **numbers), bom=False)
        print(f"\nresult written to {args.out}")
    return 0


def add_command(add: Callable[..., argparse.ArgumentParser]) -> None:
    cnt = add("count", "count a ballot file: BLT (scottish-stv, irv), Pabulib .pb (equal-shares, greedy) or a motion "
                       "CSV with a 'vote' column (motion); prints the count sheet", run_count)
    cnt.add_argument("file", help="the ballot file")
    cnt.add_argument("--method", required=True, choices=count_file.METHODS)
    cnt.add_argument("--seats", type=int, help="seats to fill (default: the BLT file's)")
    cnt.add_argument("--seed", type=int, help="seed for any lot drawn to break a tie: STV prints each draw (default "
                                              "0); for budgets it draws the order exact ties follow (default: "
                                              "project ids in text order, as pabutools)")
    cnt.add_argument("--eligible", type=int, help="motion: members eligible (default: the papers in the file)")
    cnt.add_argument("--majority", choices=["simple", "two-thirds"], default="simple", help="motion: majority rule")
    cnt.add_argument("--quorum-share", type=float, help="motion: share of eligible members who must vote, e.g. 0.1")
    cnt.add_argument("--quorum-count", type=int, help="motion: number of papers needed")
    cnt.add_argument("--out", help="CSV or XLSX: for preferential candidate,status,stage; for budgets "
                                   "project_id,selected,cost,...; for a motion one row")


def _read_options(args: argparse.Namespace) -> list[tuple]:
    """Options from --option (repeatable) and --options-file (one per line; a budget's lines 'name ; cost')."""
    lines = list(args.option or [])
    if args.options_file:
        lines += Path(args.options_file).read_text(encoding="utf-8-sig").splitlines()
    options = []
    for line in lines:
        label, _, cost = line.partition(";")
        if not label.strip():
            continue
        digits = cost.strip().replace(",", "")
        if digits and not digits.isdigit():
            raise ValueError(f"the cost after ';' must be a whole number: {line.strip()}")
        options.append((label.strip(), int(digits) if digits else None, None))
    return options


def run_ballots(args: argparse.Namespace, engine, resolve) -> int:
    from consult.ballots import results
    from consult.publishing import ballot_files
    from consult.storage import ballots

    if args.action == "create":
        consultation = resolve(engine, args.target)
        ballot_id = ballots.create_ballot(
            engine, consultation.id, args.kind, args.title or "", _read_options(args), description=args.description,
            seats=args.seats, majority=args.majority, quorum_share=args.quorum_share, quorum_count=args.quorum_count,
            budget=args.budget, max_approvals=args.max_approvals, scope_regions=tuple(args.region or ()),
            scope_local_parties=tuple(args.local_party or ()), meeting=args.meeting, actor=args.actor)
        print(f"ballot {ballot_id} created as a draft: consult ballots open {ballot_id}")
        return 0
    if args.action == "list":
        consultation_id = resolve(engine, args.target).id
        ballots.run_schedule(engine, consultation_id)
        frame = ballots.list_ballots(engine, consultation_id)
        if frame.empty:
            print("no ballots in this consultation")
        for row in frame.itertuples():
            print(f"{row.id:>5}  {row.status:<7} {row.kind:<13} {int(row.voted):>7,} of "
                  f"{int(row.eligible_count or 0):,} voted  {row.title}")
        return 0
    if not args.target.isdigit():
        raise ValueError(f"give the ballot's number (consult ballots list CONSULTATION shows them), not {args.target}")
    ballot_id = int(args.target)
    if args.action == "open":
        from consult.storage.records import now_ms

        closes = now_ms() + args.minutes * 60_000 if args.minutes else None
        eligible = ballots.open_ballot(engine, ballot_id, actor=args.actor, closes_ms=closes)
        print(f"ballot {ballot_id} open: {eligible:,} members may vote")
        return 0
    if args.action == "close":
        ballots.close_ballot(engine, ballot_id, actor=args.actor)
        ballot = ballots.get_ballot(engine, ballot_id)
        print(results.result(ballot, ballots.papers(engine, ballot_id)).headline)
        return 0
    if not args.out:
        raise ValueError("consult ballots export needs --out FOLDER")
    ballot = ballots.get_ballot(engine, ballot_id)
    papers = ballots.papers(engine, ballot_id)
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    name, data = ballot_files.papers_file(ballot, papers)
    (folder / name).write_bytes(data)
    (folder / f"ballot-{ballot_id}-count.txt").write_text(ballot_files.count_sheet(ballot, papers), encoding="utf-8")
    print(f"wrote {folder / name} ({len(papers):,} papers) and {folder / f'ballot-{ballot_id}-count.txt'}")
    return 0


def add_ballots_command(add: Callable[..., argparse.ArgumentParser], engine_of, resolve) -> None:
    bal = add("ballots", "secret ballots: create a draft, open it (who may vote is fixed from the roll), close it "
                         "(prints the result), export the anonymised papers and the count sheet, or list them",
              lambda args: run_ballots(args, engine_of(args), resolve))
    bal.add_argument("action", choices=["create", "open", "close", "export", "list"])
    bal.add_argument("target", help="create/list: the consultation (id or join code); open/close/export: the ballot")
    bal.add_argument("--kind", choices=["motion", "preferential", "budget"], default="motion")
    bal.add_argument("--title", help="the motion, or the post being filled")
    bal.add_argument("--description", default="")
    bal.add_argument("--option", action="append", help="an option (repeat); a budget's as 'name ; cost'")
    bal.add_argument("--options-file", help="options, one per line (a budget's as 'name ; cost')")
    bal.add_argument("--seats", type=int, default=1)
    bal.add_argument("--budget", type=int)
    bal.add_argument("--max-approvals", type=int)
    bal.add_argument("--majority", choices=["simple", "two-thirds"], default="simple")
    bal.add_argument("--quorum-share", type=float)
    bal.add_argument("--quorum-count", type=int)
    bal.add_argument("--region", action="append", help="limit to members in this region code (repeat)")
    bal.add_argument("--local-party", action="append", help="limit to members of this local party (repeat)")
    bal.add_argument("--meeting", action="store_true", help="show it on the presenter view")
    bal.add_argument("--minutes", type=int, help="open: close by itself after this many minutes")
    bal.add_argument("--out", help="export: folder for the papers file and the count sheet")
    bal.add_argument("--actor", default="cli", help="who is acting (kept in the audit log)")
