"""`consult count FILE --method ...`: count any BLT, Pabulib `.pb` or motion CSV file and print its count sheet."""

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
    cnt.add_argument("--seed", type=int, default=0, help="seed for any lot drawn to break a tie (default 0; "
                                                         "it is printed with each draw)")
    cnt.add_argument("--eligible", type=int, help="motion: members eligible (default: the papers in the file)")
    cnt.add_argument("--majority", choices=["simple", "two-thirds"], default="simple", help="motion: majority rule")
    cnt.add_argument("--quorum-share", type=float, help="motion: share of eligible members who must vote, e.g. 0.1")
    cnt.add_argument("--quorum-count", type=int, help="motion: number of papers needed")
    cnt.add_argument("--out", help="CSV or XLSX: for preferential candidate,status,stage; for budgets "
                                   "project_id,selected,cost,...; for a motion one row")
