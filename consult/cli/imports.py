"""`consult import`: responses from a form tool's export (CSV or XLSX) into a new consultation, every row
accounted for."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def run_import(args: argparse.Namespace, engine) -> int:
    from consult.intake import form_responses as imports
    from consult.intake import spreadsheets as tables
    from consult.intake import stance_scales as answer_scales
    from consult.publishing import files

    frame = tables.read_table(args.file)
    if frame.attrs.get("stopped_early"):
        print(f"note: {frame.attrs['stopped_early']}")
    if frame.attrs.get("fallback_lines"):
        print(f"note: {frame.attrs['fallback_lines']} line(s) were not UTF-8 and were read as Windows-1252")
    guess = imports.guess_mapping(frame)
    mapping = imports.Mapping(text=args.text_col, region=args.region_col, stance=args.stance_col,
                              respondent=args.respondent_col)
    for role in ("region", "stance", "respondent"):
        taken = {mapping.text, mapping.region, mapping.stance, mapping.respondent} - {None}
        if getattr(mapping, role) is None and getattr(guess, role) not in (None, *taken) and not args.no_guess:
            setattr(mapping, role, getattr(guess, role))
            print(f"{role} column guessed: {getattr(guess, role)!r} (give --{role}-col to choose, --no-guess for none)")
    if mapping.stance:
        table, scale = answer_scales.answer_mapping(frame[mapping.stance])
        print(f"stance answers read as {scale.describe() if scale else 'words'}:")
        for row in table.head(20).itertuples():
            print(f"  {row.answer[:40]!r:44} x{row.count:<5} {row.reading}")
    report = imports.import_form_responses(engine, frame, mapping, title=args.title or Path(args.file).stem,
                                      long_answer_chars=args.flag_over, actor="cli")
    print(f"imported as consultation {report.consultation_id}")
    for line in report.summary():
        print(line)
    if args.rejected_out:
        notes = report.notes_frame()
        files.write(notes, args.rejected_out, files.passthrough_schema(notes, row="number"))
        print(f"wrote every rejected or flagged row with the reason to {args.rejected_out}")
    return 0


def add_command(add: Callable[..., argparse.ArgumentParser], engine_for: Callable) -> None:
    cmd = add("import", "create a consultation from a form tool's export (CSV or XLSX): each response a proposal, "
                        "with its region and the respondent's own support", lambda args: run_import(args, engine_for(args)))
    cmd.add_argument("file", help="CSV or XLSX file")
    cmd.add_argument("--text-col", required=True, help="the column holding the responses")
    cmd.add_argument("--region-col", help="the column holding each respondent's region (any common spelling)")
    cmd.add_argument("--stance-col", help="agree/disagree, Likert words or a 1-5 / 1-7 / 0-10 support scale")
    cmd.add_argument("--respondent-col", help="a membership number or respondent id (repeats are rejected)")
    cmd.add_argument("--no-guess", action="store_true", help="do not guess the columns not given")
    cmd.add_argument("--title", help="title of the new consultation (default: the file name)")
    cmd.add_argument("--flag-over", type=int, default=2_000,
                     help="flag answers longer than this many characters (kept whole; default 2000)")
    cmd.add_argument("--rejected-out", help="CSV or XLSX: every rejected or flagged row, what happened and why")
