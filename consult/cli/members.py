"""`consult members load` (the membership roll) and `consult create` (a consultation, with its access mode)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from consult import regions, storage
from consult.access import roll_file as membership


def run_members(args: argparse.Namespace, engine) -> int:
    from consult.intake import spreadsheets as tables
    from consult.storage import roll

    if args.action == "summary":
        summary = roll.roll_summary(engine)
        if summary is None:
            print("no membership roll loaded: consult members load FILE --number-col C --verifier-col C "
                  "--region-col C")
            return 0
        print(f"{summary.members:,} members on the roll (verifier: {summary.verifier_label.lower()}) from "
              f"{summary.source_name or 'a file'}")
        _print_by_region(roll.members_by_region(engine))
        return 0
    if not args.file:
        raise ValueError("Give the roll file: consult members load FILE --number-col C --verifier-col C "
                         "--region-col C.")
    frame = tables.read_table(args.file)
    parsed = membership.read_roll(frame, number_col=args.number_col, verifier_col=args.verifier_col,
                                  region_col=args.region_col, verifier_kind=args.verifier,
                                  local_party_col=args.constituency_col, branch_col=args.branch_col)
    if parsed.rows.empty:
        raise ValueError(f"No row of {args.file} could be loaded; the roll was left as it was.")
    loaded = roll.replace_roll(engine, parsed.rows, verifier_label=membership.VERIFIER_KINDS[args.verifier],
                               source_name=str(args.file), actor=args.actor, allow_shrink=args.replace)
    print(f"{parsed.lines:,} rows: {loaded:,} members loaded, {len(parsed.rejected):,} rejected")
    for line, reason in parsed.rejected[:20]:
        print(f"  line {line}: {reason}")
    if len(parsed.rejected) > 20:
        print(f"  ... and {len(parsed.rejected) - 20:,} more")
    _print_by_region(parsed.by_region())
    return 0


def _print_by_region(counts) -> None:
    names = regions.region_names()
    for code, n in counts.items():
        if n:
            print(f"  {names.get(code, code):<28} {int(n):>9,}")


def run_create(args: argparse.Namespace, engine) -> int:
    chosen_regions = [regions.match_region(name) or name for name in args.region or []]
    scope = storage.Scope.checked(chosen_regions, args.local_party or [])
    made = storage.create_consultation(engine, title=args.title, question=args.question, access=args.access,
                                       join_code=args.join_code, actor=args.actor, scope=scope)
    print(f"created consultation {made.id} ({made.access} access, for {made.scope.text}): members join with the "
          f"code {made.join_code}")
    return 0


def add_commands(add: Callable[..., argparse.ArgumentParser], engine_for: Callable) -> None:
    members = add("members", "the membership roll: load it from CSV/XLSX (only keyed hashes of numbers and "
                             "verifiers are kept), or show what is loaded",
                  lambda args: run_members(args, engine_for(args)))
    members.add_argument("action", choices=["load", "summary"])
    members.add_argument("file", nargs="?", help="load: the roll as CSV or XLSX")
    members.add_argument("--number-col", default="membership_number", help="column with the membership number")
    members.add_argument("--verifier-col", default="postcode", help="column with what members prove it with")
    members.add_argument("--verifier", choices=sorted(membership.VERIFIER_KINDS),
                         default="postcode", help="what the verifier is (default postcode)")
    members.add_argument("--region-col", default="region", help="column with the region (ITL1 code or name)")
    members.add_argument("--constituency-col", help="column with the constituency or local party (optional)")
    members.add_argument("--branch-col", help="column with a workplace or union branch (optional)")
    members.add_argument("--actor", default="cli", help="who is loading (kept in the audit log)")
    members.add_argument("--replace", action="store_true",
                         help="load even if the file would remove more than half of the current roll")
    create = add("create", "create a consultation and print its join code",
                 lambda args: run_create(args, engine_for(args)))
    create.add_argument("--title", required=True)
    create.add_argument("--question", required=True)
    create.add_argument("--access", choices=["open", "members", "mixed"], default="open",
                        help="open: anyone with the code; members: verified members only; mixed: both")
    create.add_argument("--join-code", help="a join code of your choosing (default: one is made up)")
    create.add_argument("--region", action="append", metavar="REGION",
                        help="only members in this region (name or code; repeat for several; default: all)")
    create.add_argument("--local-party", action="append", metavar="NAME",
                        help="only members of this local party on the roll (repeat for several; needs "
                             "--access members)")
    create.add_argument("--actor", default="cli", help="who is creating (kept in the audit log)")
