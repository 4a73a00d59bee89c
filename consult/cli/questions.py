"""`consult questions load|list|open|close|results|answers`: structured questions from the command line."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from consult.cli.written import write_and_say


def _load(engine, consultation, path: str, actor: str) -> int:
    from consult.questions.question_file import QuestionFileError, read_questions
    from consult.storage import questions as question_store

    try:
        specs = read_questions(Path(path).read_bytes())
    except QuestionFileError as exc:
        raise ValueError(f"{Path(path).name}: nothing was loaded:\n  " + "\n  ".join(exc.problems)) from None
    ids = question_store.add_questions(engine, consultation.id, specs, actor=actor)
    print(f"loaded {len(ids)} question(s) as drafts into {consultation.join_code}: open them with "
          f"consult questions open {consultation.join_code} --all")
    return 0


def run_questions(args: argparse.Namespace, engine, resolve) -> int:
    from consult.publishing import question_results
    from consult.storage import questions as question_store

    consultation = resolve(engine, args.consultation)
    if args.action == "load":
        if not args.file:
            raise ValueError("consult questions load needs the question file (CSV: kind, text, options, min, max)")
        return _load(engine, consultation, args.file, args.actor)
    listed = question_store.list_questions(engine, consultation.id)
    if args.action == "list":
        counts = question_store.answer_counts(engine, consultation.id)
        if not listed:
            print("no questions in this consultation")
        for question in listed:
            print(f"{question.id:>5}  {question.status:<6} {question.kind:<11} {counts.get(question.id, 0):>6,} "
                  f"answers  {question.text}")
        return 0
    if args.action in ("open", "close"):
        chosen = listed if args.all else [q for q in listed if q.id in set(args.question or ())]
        if not chosen:
            raise ValueError("say which questions: --question N (repeat) or --all")
        for question in chosen:
            question_store.set_status(engine, question.id, "open" if args.action == "open" else "closed",
                                      actor=args.actor)
        print(f"{len(chosen)} question(s) {'opened' if args.action == 'open' else 'closed'}")
        return 0
    if not args.out:
        raise ValueError(f"consult questions {args.action} needs --out FILE.csv (or .xlsx)")
    if args.action == "results":
        write_and_say(question_results.results_table(engine, consultation.id), args.out, "question-results")
    else:
        answers = question_results.answers_table(engine, consultation.id)
        if args.question:
            answers = answers[answers["question_id"].isin(args.question)]
        write_and_say(answers, args.out, "question-answers", what="answers")
    return 0


def add_command(add: Callable[..., argparse.ArgumentParser], engine_of, resolve) -> None:
    que = add("questions", "structured questions: load them from a CSV (kind, text, options, min, max), list, open "
                           "or close them, and write the results by region or every answer in long format",
              lambda args: run_questions(args, engine_of(args), resolve))
    que.add_argument("action", choices=["load", "list", "open", "close", "results", "answers"])
    que.add_argument("consultation", help="consultation id or join code")
    que.add_argument("file", nargs="?", help="load: the question file (CSV)")
    que.add_argument("--question", type=int, action="append", help="open/close/answers: this question's number "
                                                                    "(repeat)")
    que.add_argument("--all", action="store_true", help="open/close: every question of the consultation")
    que.add_argument("--out", help="results: CSV/XLSX of question, option, region, n, share, lower, upper, weighted; "
                                   "answers: one row per answer (pseudonym, region, question, answer)")
    que.add_argument("--actor", default="cli", help="who is acting (kept in the audit log)")
