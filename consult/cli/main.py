"""The `consult` command: one CLI with subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from consult import storage
from consult.cli import ballots as cli_ballots
from consult.cli import groups as cli_groups
from consult.cli import imports as cli_imports
from consult.cli import members as cli_members
from consult.cli import questions as cli_questions
from consult.cli import responses as cli_responses
from consult.cli import support as cli_support
from consult.storage import db


def _engine(args: argparse.Namespace):
    engine = db.make_engine(args.db)
    storage.init_db(engine)
    return engine


def run_migrate(args: argparse.Namespace) -> int:
    engine = _engine(args)
    print(f"schema at revision {db.current_revision(engine)} on {engine.url.render_as_string(hide_password=True)}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from consult.demo import consultation as demo

    engine = _engine(args)
    if args.if_empty and not storage.list_consultations(engine).empty:
        print("the database already holds a consultation; demo not loaded")
        return 0
    consultation_id = demo.install(engine, seed=args.seed, meeting=True)
    counts = storage.counts(engine, consultation_id)
    consultation = storage.get_consultation(engine, consultation_id)
    print(f"demo consultation {consultation_id} (join code {consultation.join_code}): {counts.participants} "
          f"participants, {counts.proposals} proposals, {counts.votes} votes")
    if args.seed == 2026:
        print("all-member meeting MEET26 (members only): two decided ballots and a budget ballot open to vote in")
    return 0


def run_list(args: argparse.Namespace) -> int:
    engine = _engine(args)
    frame = storage.list_consultations(engine)
    if frame.empty:
        print("no consultations yet: run `consult demo` to load the demo")
        return 0
    for row in frame.itertuples():
        c = storage.counts(engine, row.id)
        print(f"{row.id:>4}  {row.join_code:<8} {row.phase:<10} {c.participants:>7} participants "
              f"{c.proposals:>8} proposals {c.votes:>9} votes  {row.title}")
    return 0


def _resolve_consultation(engine, ref: str) -> storage.Consultation:
    """A consultation by id or join code."""
    if ref.isdigit():
        return storage.get_consultation(engine, int(ref))
    return storage.find_consultation(engine, ref)


def run_import_polis(args: argparse.Namespace) -> int:
    from consult.intake import polis

    engine = _engine(args)
    consultation_id = polis.import_export(engine, args.folder, title=args.title, agree_sign=args.agree_sign)
    c = storage.counts(engine, consultation_id)
    code = storage.get_consultation(engine, consultation_id).join_code
    print(f"imported consultation {consultation_id} (join code {code}): {c.participants} participants, "
          f"{c.proposals} proposals ({c.published} published), {c.votes} current votes")
    return 0


def run_export_polis(args: argparse.Namespace) -> int:
    from consult.publishing import polis_export

    engine = _engine(args)
    consultation = _resolve_consultation(engine, args.consultation)
    for path in polis_export.export_consultation(engine, consultation.id, args.out):
        print(path)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from consult.publishing import exports

    engine = _engine(args)
    consultation = _resolve_consultation(engine, args.consultation)
    try:
        path = exports.export(engine, consultation.id, args.out, moderation=args.moderation)
    except ValueError as exc:
        print(f"consult: {exc}", file=sys.stderr)
        return 2
    what = {".xlsx": "workbook (proposals, votes, participation, themes)", ".html": "report",
            ".htm": "report"}.get(path.suffix.lower(), "published proposals with support, weighted support and "
                                                       "consensus")
    if args.moderation:
        what = "MODERATION export (every proposal, pending and hidden included; not for publication)"
    print(f"wrote the {what} of {consultation.join_code} to {path}")
    return 0


def run_themes(args: argparse.Namespace) -> int:

    from consult import regions as uk
    from consult.intake import spreadsheets as tables
    from consult.themes import incidental_names
    from consult.themes.by_region import theme_by_region
    from consult.themes.model import ThemeModel
    from consult.themes.region_words import region_keywords

    frame = tables.read_table(args.file)
    texts = tables.text_column(frame, args.text_col)
    if frame.attrs.get("fallback_lines"):
        print(f"note: {frame.attrs['fallback_lines']} line(s) were not UTF-8 and were read as Windows-1252")
    regions = tables.text_column(frame, args.region_col, what="regions") if args.region_col else None
    model = ThemeModel(n_themes=args.k, random_state=args.seed,
                       semantic={"auto": "auto", "on": True, "off": False}[args.semantic])
    model.fit(texts.tolist(), None if regions is None else regions.tolist())
    primary = model.assignments_[model.assignments_["rank"] == 1].set_index("text")
    labels = model.themes_.set_index("theme")["label"]
    out = frame.copy()
    out["theme_id"] = primary["theme"].reindex(range(len(frame))).to_numpy()
    out["theme_label"] = out["theme_id"].map(labels)
    out["theme_score"] = primary["score"].reindex(range(len(frame))).round(4).to_numpy()
    from consult.publishing import files

    files.write(out, args.out, files.passthrough_schema(out, theme_id="number", theme_score="number"))
    mode = "semantic + LSA" if model.semantic_in_use_ else "TF-IDF + LSA"
    print(f"{model.k_} themes in {len(frame)} responses ({mode}; wrote {args.out})")
    if model.incidental_names_:
        print(incidental_names.in_words(model.incidental_names_, shown=20))
    print(f"{'id':>4} {'size':>6}  {'label':<34} keywords")
    for row in model.themes_.itertuples():
        print(f"{row.theme:>4} {row.size:>6}  {row.label[:34]:<34} {', '.join(row.keywords[:6])}")
    if regions is not None:
        table = theme_by_region(out["theme_id"], regions, min_cell=args.min_cell)
        wide = table.pivot(index="theme", columns="region", values="count")
        wide.index = [labels.get(t, t) for t in wide.index]
        print(f"\ntheme by region (cells under {args.min_cell} suppressed as '-'):")
        print(wide.to_string(na_rep="-", float_format=lambda v: f"{v:.0f}"))
        flagged = table[table["representation"] != ""]
        for row in flagged.itertuples():
            print(f"  {labels.get(row.theme, row.theme)}: {row.representation}-represented in {row.region_name} "
                  f"(z = {row.z:.1f})")
        print("\nwords a region's responses use more than the rest's (exact test, 5% false discovery; names "
              "mentioned in passing and region names left out):")
        codes = regions.map(lambda value: uk.match_region(value) or uk.UNDISCLOSED)
        written = region_keywords(texts.tolist(), codes, min_texts=args.min_cell,
                                  left_out=incidental_names.not_for_labels(model.name_verdicts_))
        for code, words in written.items():
            if code in uk.region_codes():
                print(f"  {uk.region_name(code)}: {', '.join(words[:6]) if words else 'nothing beyond chance'}")
        _print_distinctive(out["theme_id"], regions, labels.to_dict(), args)
    elif args.regions_out:
        print("consult themes: --regions-out needs --region-col", file=sys.stderr)
        return 2
    return 0


def _print_distinctive(themes, regions, labels: dict, args: argparse.Namespace) -> None:
    """Each region's most distinctive theme in words, and the whole table with --regions-out."""
    from consult import regions as uk
    from consult.cli.written import write_and_say
    from consult.themes.distinctive import distinctive_themes, most_distinctive

    codes = regions.map(lambda value: uk.match_region(value) or uk.UNDISCLOSED)
    table = distinctive_themes(themes.to_numpy(), codes.to_numpy(), labels=labels, min_cell=args.min_cell)
    if table.empty:
        print(f"\nno region has {args.min_cell} or more responses in a UK region: nothing to compare")
    else:
        print("\nwhat is distinctive where (ratio against the rest of the UK, exact 95% interval):")
        for sentence in most_distinctive(table)["sentence"]:
            print(f"  {sentence}")
    if args.regions_out:
        write_and_say(table, args.regions_out, "theme-regions")


def run_hash_password(args: argparse.Namespace) -> int:
    import getpass

    from consult.access import staff_sign_in as auth

    password = sys.stdin.readline().rstrip("\n") if args.stdin else getpass.getpass("New password: ")
    if len(password) < 10:
        print("consult hash-password: use at least 10 characters", file=sys.stderr)
        return 2
    print(auth.hash_password(password))
    return 0


def run_erase(args: argparse.Namespace) -> int:
    from consult.publishing import pseudonyms
    from consult.storage import erasure

    engine = _engine(args)
    consultation = _resolve_consultation(engine, args.consultation)
    participant_id = pseudonyms.find_participant(engine, consultation.id, args.pseudonym)
    if participant_id is None:
        print(f"consult erase: no participant of {consultation.join_code} has the pseudonym {args.pseudonym}",
              file=sys.stderr)
        return 2
    done = erasure.erase_participant(engine, participant_id, actor=args.actor, reason=args.reason,
                                     remove_proposals=args.remove_proposals)
    print(f"erased {args.pseudonym}: {done.votes_removed} votes removed, {done.proposals_anonymised} proposals "
          f"anonymised, {done.proposals_removed} removed ({done.votes_on_removed_proposals} votes on them)")
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
    imp = add("import-polis", "create a consultation from a Polis export folder", run_import_polis)
    imp.add_argument("folder", help="folder holding comments.csv and votes.csv")
    imp.add_argument("--title", help="title for the new consultation (default: the export's topic)")
    imp.add_argument("--agree-sign", type=int, choices=[1, -1], default=None,
                     help="the vote value that means agree (default: read from the data: authors' own votes or "
                          "the agrees counts; 1 for a CSV export that shows neither)")
    exp = add("export-polis", "write a consultation as a Polis export folder", run_export_polis)
    exp.add_argument("consultation", help="consultation id or join code")
    exp.add_argument("--out", required=True, help="folder to write")
    cli_support.add_command(add, _engine, _resolve_consultation)
    ex = add("export", "export a consultation: proposals with their analysis (.csv), the whole workbook (.xlsx) or the "
                 "report (.html)",
             run_export)
    ex.add_argument("consultation", help="consultation id or join code")
    ex.add_argument("--out", required=True, help="FILE.csv (proposals), FILE.xlsx (workbook) or FILE.html (the report)")
    ex.add_argument("--moderation", action="store_true",
                    help="every proposal whatever its status (pending, hidden, merged), to a CSV whose first line "
                         "says so; the other exports carry published proposals only")
    thm = add("themes", "find themes in any consultation export (CSV or XLSX)", run_themes)
    thm.add_argument("file", help="CSV or XLSX file")
    thm.add_argument("--text-col", required=True, help="the column holding the responses")
    thm.add_argument("--region-col", help="a column holding each respondent's region")
    thm.add_argument("--k", type=int, help="number of themes (default: chosen automatically)")
    thm.add_argument("--semantic", choices=["auto", "on", "off"], default="auto",
                     help="static word embeddings beside TF-IDF (default auto: when installed)")
    thm.add_argument("--min-cell", type=int, default=10, help="smallest region cell shown (default 10)")
    thm.add_argument("--seed", type=int, default=0)
    thm.add_argument("--regions-out", help="CSV or XLSX: each region's themes over- and under-represented against "
                     "the rest of the UK (ratio with an exact 95%% interval)")
    thm.add_argument("--out", required=True, help="CSV or XLSX to write: the input plus theme_id, theme_label, theme_score")
    hp = add("hash-password", "print a password hash for a staff account (put it in secrets or the environment)",
             run_hash_password)
    hp.add_argument("--stdin", action="store_true", help="read the password from standard input")
    cli_groups.add_command(add, _engine, _resolve_consultation)
    era = add("erase", "erase a participant on request: votes and registration removed, proposals anonymised",
              run_erase)
    era.add_argument("consultation", help="consultation id or join code")
    era.add_argument("pseudonym", help="the participant's pseudonym in the votes export (P followed by 12 hex digits)")
    era.add_argument("--reason", required=True, help="why (kept in the audit log)")
    era.add_argument("--actor", default="cli", help="who is erasing (kept in the audit log)")
    era.add_argument("--remove-proposals", action="store_true",
                     help="also remove their proposals and the votes on them, rather than keep them without an author")
    cli_responses.add_command(add, _engine, _resolve_consultation)
    cli_members.add_commands(add, _engine)
    cli_imports.add_command(add, _engine)
    cli_ballots.add_command(add)
    cli_ballots.add_ballots_command(add, _engine, _resolve_consultation)
    cli_questions.add_command(add, _engine, _resolve_consultation)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (storage.StoreError, ValueError, OSError) as exc:
        print(f"consult {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
