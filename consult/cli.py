"""The `consult` command: one CLI with subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from consult import db, store


def _engine(args: argparse.Namespace):
    engine = db.make_engine(args.db)
    store.init_db(engine)
    return engine


def run_migrate(args: argparse.Namespace) -> int:
    engine = _engine(args)
    print(f"schema at revision {db.current_revision(engine)} on {engine.url.render_as_string(hide_password=True)}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from consult import demo

    engine = _engine(args)
    if args.if_empty and not store.list_consultations(engine).empty:
        print("the database already holds a consultation; demo not loaded")
        return 0
    consultation_id = demo.install(engine, seed=args.seed)
    counts = store.counts(engine, consultation_id)
    consultation = store.get_consultation(engine, consultation_id)
    print(f"demo consultation {consultation_id} (join code {consultation.join_code}): {counts.participants} "
          f"participants, {counts.proposals} proposals, {counts.votes} votes")
    return 0


def run_list(args: argparse.Namespace) -> int:
    engine = _engine(args)
    frame = store.list_consultations(engine)
    if frame.empty:
        print("no consultations yet: run `consult demo` to load the demo")
        return 0
    for row in frame.itertuples():
        c = store.counts(engine, row.id)
        print(f"{row.id:>4}  {row.join_code:<8} {row.phase:<10} {c.participants:>7} participants "
              f"{c.proposals:>8} proposals {c.votes:>9} votes  {row.title}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="consult", description="Policy consultation and devolution toolkit.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        child = sub.add_parser(name, help=help_text, description=help_text)
        child.add_argument("--db", default=None,
                           help="database URL (default: CONSULT_DATABASE_URL, secrets, or data/consult.db)")
        child.set_defaults(run=run)
        return child

    add("migrate", "create or upgrade the database schema", run_migrate)
    demo = add("demo", "load the demo devolution consultation", run_demo)
    demo.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    demo.add_argument("--if-empty", action="store_true", help="do nothing when a consultation already exists")
    add("list", "list the consultations in the database with their counts", run_list)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except store.StoreError as exc:
        print(f"consult {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
