"""`consult responses ...`: official responses from the command line (import, export, queue, thresholds)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from consult import storage
from consult.storage import responses


def run_responses(args: argparse.Namespace, engine, consultation: storage.Consultation) -> int:
    from consult.intake import spreadsheets as tables
    from consult.publishing import files
    from consult.publishing import tables as published
    from consult.responses import workflow as answers

    if args.action == "export":
        path = published.responses_file(engine, consultation.id, args.out)
        print(f"wrote the responses of {consultation.join_code} to {path}: fill in status and response, then "
              f"`consult responses import {consultation.join_code} {path}`")
        return 0
    if args.action == "import":
        if not args.file:
            raise ValueError("Give the file to import: consult responses import CONSULTATION FILE.")
        report = answers.apply_responses_workbook(engine, consultation.id, tables.read_table(args.file), actor=args.actor,
                                          publish=args.publish)
        print(f"{report.rows} rows: {report.applied} applied as drafts, {len(report.rejected)} not applied"
              + (f"; {report.published} published" if args.publish else ""))
        if report.held_back:
            print(f"not published (a decision needs a response text): {', '.join(map(str, report.held_back))}")
        for item in report.rejected[:20]:
            print(f"  line {item['line']}: proposal {item['proposal'] or '(blank)'}: {item['reason']}")
        if args.rejected_out and report.rejected:
            frame = report.rejected_frame()
            files.write(frame, args.rejected_out, files.passthrough_schema(frame, line="number"))
            print(f"wrote the rows not applied to {args.rejected_out}")
        return 0 if not report.rejected else 1
    if args.action == "thresholds":
        rules = responses.Thresholds(args.min_supporters, args.everywhere, args.region_share)
        responses.set_thresholds(engine, consultation.id, rules, actor=args.actor)
    new = answers.refresh_queue(engine, consultation.id)
    waiting = responses.needs_answer(engine, consultation.id)
    print(f"{new} proposals newly need an answer; {len(waiting)} waiting in all")
    for row in waiting.head(20).itertuples():
        print(f"  #{row.proposal_id} waited {row.waited_days:.1f} days: {row.obliged_reason}")
    return 0


def add_command(add: Callable[..., argparse.ArgumentParser], engine_for: Callable, resolve: Callable) -> None:
    def run(args: argparse.Namespace) -> int:
        if args.action == "export" and not args.out:
            raise ValueError("Give --out FILE.csv or FILE.xlsx for the export.")
        engine = engine_for(args)
        return run_responses(args, engine, resolve(engine, args.consultation))

    cmd = add("responses", "official responses to proposals: export the working file, import it back, see the "
                           "queue of proposals that need an answer, set the thresholds that oblige one", run)
    cmd.add_argument("action", choices=["export", "import", "queue", "thresholds"])
    cmd.add_argument("consultation", help="consultation id or join code")
    cmd.add_argument("file", nargs="?", help="import: the CSV/XLSX with proposal, status, response")
    cmd.add_argument("--out", help="export: FILE.csv or FILE.xlsx")
    cmd.add_argument("--publish", action="store_true", help="import: publish the applied responses at once")
    cmd.add_argument("--rejected-out", help="import: write the rows not applied, with reasons, to this CSV/XLSX")
    cmd.add_argument("--actor", default="cli", help="who is acting (kept in the audit log)")
    cmd.add_argument("--min-supporters", type=int, help="thresholds: at least this many agree votes")
    cmd.add_argument("--everywhere", type=float,
                     help="thresholds: a majority in every region at least this likely (e.g. 0.8)")
    cmd.add_argument("--region-share", type=float,
                     help="thresholds: at least this share of some region's voters agree (e.g. 0.7)")
