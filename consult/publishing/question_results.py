"""Structured questions as they leave the system: results by region (`consult questions results`, the officers'
Questions page, the report), cross-tabs, the answers in long format, and the count of ranking questions.

Regional figures are the pooled estimates proposals use (`questions.shares.by_region`); a region where fewer
than the consultation's minimum answered keeps its estimate (it leans on the others, and is marked so) but its
count is blanked. Cross-tabs go through the small-cell rules in `suppression`; the answers export carries keyed
pseudonyms and merges small regions, as the votes export does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from consult import regions, storage
from consult.ballots import scottish_stv
from consult.ballots.preferences import PreferenceProfile
from consult.opinion.names import group_name
from consult.publishing import files, pseudonyms, suppression
from consult.publishing.schemas import SCHEMAS
from consult.questions import shares, words
from consult.questions.kinds import answer_text
from consult.storage import questions as question_store
from consult.storage.questions import Question

ALL_REGIONS = "All regions"
GROUPINGS = {"region": "Region", "local_party": "Local party", "group": "Opinion group"}


def _name(code: str) -> str:
    return regions.region_names().get(code, code)


def _choice_rows(question: Question, answers: pd.DataFrame, baseline: pd.Series, min_cell: int) -> list[dict]:
    spec = question.spec
    head = {"question_id": question.id, "question": question.text, "kind": question.kind}
    rows = []
    measure = "ranked first" if question.kind == "ranking" else "share choosing"
    for row in shares.overall(spec, answers, baseline).itertuples():
        rows.append(head | {"option": row.label, "region": ALL_REGIONS, "measure": measure, "n": row.respondents,
                            "share": row.share, "lower": row.lower, "upper": row.upper, "weighted": row.weighted,
                            "weighted_lower": row.weighted_lower, "weighted_upper": row.weighted_upper,
                            "suppressed": False})
    if not answers.empty:
        for row in shares.by_region(spec, answers, baseline, min_cell=min_cell).itertuples():
            small = row.n < min_cell
            rows.append(head | {"option": row.label, "region": _name(row.region), "measure": f"{measure} (pooled)",
                                "n": None if small and row.n > 0 else row.n, "share": row.estimate,
                                "lower": row.lower, "upper": row.upper, "suppressed": bool(small and row.n > 0)})
    return rows


def _number_rows(question: Question, answers: pd.DataFrame, min_cell: int) -> list[dict]:
    head = {"question_id": question.id, "question": question.text, "kind": question.kind, "option": ""}
    rows = []
    overall = shares.number_summary(answers).iloc[0]
    for measure in ("mean", "median"):
        rows.append(head | {"region": ALL_REGIONS, "measure": measure, "n": overall["n"], "value": overall[measure],
                            "lower": overall["lower"] if measure == "mean" else overall["q1"],
                            "upper": overall["upper"] if measure == "mean" else overall["q3"], "suppressed": False})
    if not answers.empty:
        for row in shares.number_summary(answers, by="region").itertuples():
            small = row.n < min_cell
            rows.append(head | {"region": _name(row.region), "measure": "median", "n": None if small else row.n,
                                "value": None if small else row.median, "lower": None if small else row.q1,
                                "upper": None if small else row.q3, "suppressed": small})
    return rows


def _text_rows(question: Question, answers: pd.DataFrame, min_cell: int) -> list[dict]:
    head = {"question_id": question.id, "question": question.text, "kind": question.kind, "region": ALL_REGIONS,
            "measure": "answers using the word"}
    counted = words.word_counts(answers["answer"].tolist(), top=30)
    total = len(answers)
    return [head | {"option": row.word, "n": row.answers, "share": row.answers / total if total else np.nan,
                    "suppressed": False} for row in counted.itertuples()]


def question_results(engine: Engine, consultation_id: int, question: Question) -> pd.DataFrame:
    """One question's results in the `question-results` columns."""
    consultation = storage.get_consultation(engine, consultation_id)
    answers = question_store.answers_frame(engine, consultation_id, question.id)
    if question.kind == "number":
        rows = _number_rows(question, answers, consultation.min_cell)
    elif question.kind == "free_text":
        rows = _text_rows(question, answers, consultation.min_cell)
    else:
        rows = _choice_rows(question, answers, storage.baseline_for(engine, consultation), consultation.min_cell)
    frame = pd.DataFrame(rows, columns=list(SCHEMAS["question-results"]))
    frame["suppressed"] = frame["suppressed"].fillna(False).astype(bool)
    frame["n"] = frame["n"].astype("Int64")
    return frame


def results_table(engine: Engine, consultation_id: int) -> pd.DataFrame:
    """Every question's results, one tidy long table."""
    frames = [question_results(engine, consultation_id, question)
              for question in question_store.list_questions(engine, consultation_id)]
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=list(SCHEMAS["question-results"]))
    return pd.concat(frames, ignore_index=True)


def results_csv(engine: Engine, consultation_id: int) -> bytes:
    return files.csv_bytes(results_table(engine, consultation_id), "question-results")


def answers_csv(engine: Engine, consultation_id: int) -> bytes:
    return files.csv_bytes(answers_table(engine, consultation_id), "question-answers")


def _groups(engine: Engine, consultation_id: int) -> pd.Series:
    from consult.storage import group_history

    votes = storage.votes_frame(engine, consultation_id, published_only=True)
    if votes.empty:
        return pd.Series(dtype=float)
    return group_names(group_history.current_groups(engine, consultation_id, votes).labels_)


def group_names(labels: pd.Series) -> pd.Series:
    """Opinion-group labels (participant id -> 0, 1, ...; NaN when not grouped) as the cross-tabs name them."""
    return labels.dropna().astype(int).map(group_name)


def crosstab_table(engine: Engine, consultation_id: int, question: Question, by: str,
                   groups: pd.Series | None = None) -> pd.DataFrame:
    """Answers by region, local party or opinion group (`GROUPINGS`), small cells blanked (`suppression`);
    `groups` (participant id -> group name) saves fitting the opinion groups again for each question."""
    if by not in GROUPINGS:
        raise ValueError(f"cross-tabs are by one of: {', '.join(GROUPINGS)}")
    answers = question_store.answers_frame(engine, consultation_id, question.id)
    columns = list(SCHEMAS["question-crosstab"])
    if answers.empty or question.kind in ("number", "free_text"):
        return pd.DataFrame(columns=columns)
    if by == "region":
        answers = answers.assign(region=answers["region"].map(_name))
    if by == "group":
        groups = _groups(engine, consultation_id) if groups is None else groups
        answers = answers.assign(group=answers["participant_id"].map(groups))
    table = shares.crosstab(question.spec, answers, by)
    if table.empty:
        return pd.DataFrame(columns=columns)
    table = suppression.suppress_breakdown(table, by="label", count="respondents", also=("chosen",),
                                           min_cell=storage.get_consultation(engine, consultation_id).min_cell)
    table["share"] = table["share"].mask(table["suppressed"])
    table = table.rename(columns={by: "group", "label": "option"})
    table.insert(0, "by", GROUPINGS[by])
    table.insert(0, "question", question.text)
    table.insert(0, "question_id", question.id)
    return table[columns]


def answers_table(engine: Engine, consultation_id: int) -> pd.DataFrame:
    """Every counted answer in long format: pseudonym, region (small regions merged), question, answer in words
    and as stored (`answer_code`)."""
    answers = question_store.answers_frame(engine, consultation_id)
    columns = list(SCHEMAS["question-answers"])
    if answers.empty:
        return pd.DataFrame(columns=columns)
    by_id = {q.id: q for q in question_store.list_questions(engine, consultation_id)}
    people = answers.drop_duplicates("participant_id")["region"].value_counts()
    small = suppression.small_regions(people, storage.get_consultation(engine, consultation_id).min_cell)
    table = pd.DataFrame({
        "participant": answers["participant_id"].map(pseudonyms.pseudonyms(consultation_id, answers["participant_id"])),
        "region": answers["region"], "question_id": answers["question_id"],
        "question": answers["question_id"].map(lambda q: by_id[q].text),
        "kind": answers["question_id"].map(lambda q: by_id[q].kind),
        "answer": [answer_text(by_id[q].spec, a) for q, a in zip(answers["question_id"], answers["answer"], strict=True)],
        "answer_code": answers["answer"],
    })
    table = suppression.suppress_region_column(table, "region", small)
    table["region"] = table["region"].map(_name)
    return table[columns]


def ranking_count(engine: Engine, consultation_id: int, question: Question, seed: int = 0):
    """A ranking question counted as a preferential ballot would be (instant-runoff, the Scottish rules for one
    seat: `ballots.scottish_stv`), and Borda points beside it. None when nobody has ranked anything yet."""
    answers = question_store.answers_frame(engine, consultation_id, question.id)
    if answers.empty:
        return None
    profile = PreferenceProfile.from_rankings(question.options, 1, shares.rankings(question.spec, answers),
                                              title=question.text)
    return scottish_stv.count(profile, seed=seed, method="irv"), shares.borda_points(question.spec, answers)


def _with_interval(share: float, lower: float, upper: float) -> str:
    if share != share:  # NaN
        return "–"
    return f"{share:.0%} ({lower:.0%}–{upper:.0%})"


def _crosstab_view(table: pd.DataFrame, labels: list[str]) -> pd.DataFrame | None:
    """A cross-tab as the report shows it: a row per group, a column per answer (share), blank where suppressed."""
    if table.empty:
        return None
    wide = table.assign(cell=[("" if suppressed or share != share else f"{share:.0%}")
                              for share, suppressed in zip(table["share"], table["suppressed"], strict=True)])
    view = wide.pivot_table(index="group", columns="option", values="cell", aggfunc="first", sort=True)
    view = view.reindex(columns=[label for label in labels if label in view.columns]).reset_index()
    respondents = wide.groupby("group")["respondents"].max()
    view.insert(1, "Answered", [("" if pd.isna(n) else f"{int(n):,}") for n in view["group"].map(respondents)])
    return view.rename(columns={"group": ""})


def _figure(value: float) -> str:
    """A number as a reader wants it: whole numbers whole, others to one decimal place (80.5, not 80.5419)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def report_sections(engine: Engine, consultation_id: int, groups: pd.Series | None = None) -> list[dict]:
    """Each question that has answers, ready for the report: its text, kind, respondents, an overall table (share
    with its 95% interval, and weighted to the baseline), the share agreeing by region for the agree scale
    (pooled estimates; counts under the minimum said as such), cross-tabs of the answers by region and by opinion
    group (small cells blanked), and for rankings the instant-runoff winner. `groups` (`group_names` of groups
    the caller has fitted already) saves fitting them again."""
    sections = []
    min_cell = storage.get_consultation(engine, consultation_id).min_cell
    for question in question_store.list_questions(engine, consultation_id, statuses=("open", "closed")):
        results = question_results(engine, consultation_id, question)
        overall = results[results["region"] == ALL_REGIONS]
        if overall.empty or not overall["n"].fillna(0).max():
            continue
        section = {"text": question.text, "kind": question.kind, "respondents": int(overall["n"].max()),
                   "overall": None, "regions": None, "crosstabs": [], "note": ""}
        if question.kind in ("number", "free_text"):
            section["overall"] = pd.DataFrame({
                "Measure": (overall["measure"].map({"mean": "Mean (95% interval)",
                                                    "median": "Median (quartiles)"}).fillna(overall["measure"])
                            if question.kind == "number" else overall["option"]),
                "Value": [f"{_figure(v)} ({_figure(lo)}–{_figure(hi)})" for v, lo, hi in
                          zip(overall["value"], overall["lower"], overall["upper"], strict=True)]
                if question.kind == "number" else [f"{int(n):,} answers" for n in overall["n"]]})
        else:
            section["overall"] = pd.DataFrame({
                "Answer": overall["option"],
                "Share (95% interval)": [_with_interval(*v) for v in zip(overall["share"], overall["lower"],
                                                                         overall["upper"], strict=True)],
                "Weighted to the baseline": [_with_interval(*v) for v in zip(
                    overall["weighted"], overall["weighted_lower"], overall["weighted_upper"], strict=True)]})
            headline = shares.AGREEING_LABEL if question.kind == "agree_scale" else None
            if headline:
                regional = results[(results["region"] != ALL_REGIONS) & (results["option"] == headline)]
                section["regions"] = pd.DataFrame({
                    "Region": regional["region"],
                    "Answered": [f"fewer than {min_cell}" if suppressed else f"{int(n):,}" for n, suppressed in
                                 zip(regional["n"].fillna(0), regional["suppressed"], strict=True)],
                    "Share agreeing, pooled (95% interval)": [_with_interval(*v) for v in zip(
                        regional["share"], regional["lower"], regional["upper"], strict=True)]})
        if question.kind not in ("number", "free_text"):
            labels = shares.answer_labels(question.spec)
            groups = _groups(engine, consultation_id) if groups is None else groups
            for by in ("region", "group"):
                view = _crosstab_view(crosstab_table(engine, consultation_id, question, by, groups), labels)
                if view is not None:
                    section["crosstabs"].append({"by": GROUPINGS[by], "table": view})
        if question.kind == "ranking":
            counted = ranking_count(engine, consultation_id, question)
            if counted is not None:
                section["note"] = (f"Counted as a one-seat preferential ballot (instant-runoff, the Scottish rules): "
                                   f"{', '.join(counted[0].elected)} wins. Borda points: " + ", ".join(
                                       f"{row.label} {row.borda_points}" for row in counted[1].itertuples()) + ".")
        sections.append(section)
    return sections
