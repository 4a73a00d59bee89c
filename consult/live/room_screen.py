"""What the shared screen shows when the facilitator focuses it: a question as a live poll (bars that fill as
answers arrive, or a word cloud), one proposal, the room's leading proposals, and the Q&A; and the rule for when
regional claims ("supported in every region", the regional map) are shown at all.

Reads are cheap (one question's answers, the running proposal totals) so the screen refreshes every 2 s. The HTML
here carries member and staff text escaped (`html.escape`): it is data, never markup.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from consult.questions import shares, words
from consult.storage import questions as question_store
from consult.storage import schema as s
from consult.storage.questions import Question

#: regional claims need this many regions with at least the minimum of people: a map of one region says nothing,
#: and "a majority in every region" from a handful of regions is a claim about regions nobody here is from
MAP_MIN_REGIONS = 2
EVERYWHERE_MIN_REGIONS = 8
UK_REGIONS = 12


@dataclass(frozen=True)
class RegionalClaims:
    map_shown: bool
    everywhere_shown: bool
    why: str  # empty when both are shown


def regional_claims(people_by_region: pd.Series, min_cell: int) -> RegionalClaims:
    """Whether this session is broad enough for the regional map and for "supported in every region", and why not."""
    enough = int((people_by_region >= min_cell).sum())
    if enough >= EVERYWHERE_MIN_REGIONS:
        return RegionalClaims(True, True, "")
    if enough >= MAP_MIN_REGIONS:
        return RegionalClaims(True, False, f"Only {enough} of {UK_REGIONS} regions have {min_cell} or more people "
                                           "taking part, too few to say what is supported in every region: these "
                                           "are the room's own results.")
    return RegionalClaims(False, False, f"A local session: fewer than {MAP_MIN_REGIONS} regions have {min_cell} or "
                                        "more people taking part, so no regional picture is shown. These are the "
                                        "room's own results.")


def poll_counts(engine: Engine, consultation_id: int, question: Question) -> pd.DataFrame:
    """The live count of a question: label, chosen, share (choice kinds); word, answers (free text); for numbers
    one row with the median."""
    answers = question_store.answers_frame(engine, consultation_id, question.id)
    if question.kind == "free_text":
        return words.word_counts(answers["answer"].tolist(), top=30).assign(respondents=len(answers))
    if question.kind == "number":
        summary = shares.number_summary(answers).iloc[0]
        return pd.DataFrame({"label": ["Median"], "value": [summary["median"]], "respondents": [int(summary["n"])]})
    return shares.counts(question.spec, answers).assign(respondents=len(answers))


def proposal_totals(engine: Engine, consultation_id: int, proposal_id: int | None = None, n: int = 5) -> pd.DataFrame:
    """Published proposals with their running agree / disagree / pass totals: one proposal, or the room's `n`
    best supported (net agreement, then votes). Columns: proposal_id, text, agree, disagree, passes."""
    p, t = s.proposals.c, s.proposal_stats.c
    query = (select(p.id.label("proposal_id"), p.body.label("text"), t.agree, t.disagree, t.passes)
             .join(s.proposal_stats, t.proposal_id == p.id)
             .where(p.consultation_id == consultation_id, p.status == "published"))
    if proposal_id is not None:
        query = query.where(p.id == proposal_id)
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    votes = (frame["agree"] + frame["disagree"] + frame["passes"]).clip(lower=1)
    frame = frame.assign(net=(frame["agree"] - frame["disagree"]) / votes, votes=votes)
    frame = frame[frame["votes"] > 0].sort_values(["net", "votes", "proposal_id"], ascending=[False, False, True])
    return frame.head(n).drop(columns=["net", "votes"]).reset_index(drop=True)


def bars_html(counts: pd.DataFrame) -> str:
    """Horizontal bars for a live poll, one per answer label, with the count and percentage beside each; widths
    animate, so the bars fill as answers arrive. The bars share about two thirds of the screen's height, so three
    options fill it as twenty still fit (`--bar`, `--type`: bar height and text size in vh). Labels are escaped."""
    bar = min(11.0, 60.0 / max(len(counts), 1) * 0.62)
    text = min(4.6, max(2.2, bar * 0.5))
    rows = []
    for row in counts.itertuples():
        percent = 100 * float(row.share)
        rows.append(f'<div class="poll-row"><div class="poll-label">{html.escape(str(row.label))}</div>'
                    f'<div class="poll-track" role="img" aria-label="{percent:.0f} percent">'
                    f'<div class="poll-fill" style="width:{percent:.1f}%"></div></div>'
                    f'<div class="poll-figure">{percent:.0f}% <span>({int(row.chosen):,})</span></div></div>')
    return f'<div class="poll" style="--bar:{bar:.2f}vh;--type:{text:.2f}vh">' + "".join(rows) + "</div>"


def word_cloud_html(counted: pd.DataFrame) -> str:
    """Words sized by how many answers use them (largest 9vh, smallest 2.6vh), in alphabetical order so the
    cloud does not jump about as counts change. Words are escaped."""
    if counted.empty:
        return '<div class="cloud"></div>'
    top = counted["answers"].max()
    spans = []
    for row in counted.sort_values("word").itertuples():
        size = 2.6 + 6.4 * (row.answers / top)
        spans.append(f'<span style="font-size:{size:.1f}vh" title="{int(row.answers)} answers">'
                     f"{html.escape(str(row.word))}</span>")
    return '<div class="cloud">' + " ".join(spans) + "</div>"
