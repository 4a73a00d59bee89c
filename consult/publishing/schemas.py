"""The declared columns of every export, and the one function every table passes through on its way out.

A column's kind decides what `publish` does to it: `text` and `region` cells are made inert for
spreadsheets; `participant` columns must hold pseudonyms (never a database id); `time` columns must already
be coarsened. A frame whose columns differ from its declaration is refused, so a new column (say, a raw id)
cannot slip into an export unnoticed.
"""

from __future__ import annotations

import re

import pandas as pd

from consult.publishing import pseudonyms
from consult.publishing.cells import neutralise

TEXT, NUMBER, REGION, PARTICIPANT, ID, TIME = "text", "number", "region", "participant", "id", "time"

_ANALYSIS = ["agree", "disagree", "passes", "votes", "support", "support_low", "support_high", "weighted_support",
             "weighted_low", "weighted_high", "prob_all", "expected_weakest", "consensus_rank", "weakest_support",
             "weakest_lower",
             "divisiveness", "regions_with_enough", "regions_with_own_votes", "consensus"]

SCHEMAS: dict[str, dict[str, str]] = {
    "proposals": {
        "proposal_id": ID, "text": TEXT, "status": TEXT, "tier": TEXT, "author_region": REGION, "theme_id": ID,
        "theme": TEXT, "theme_score": NUMBER, **{c: NUMBER for c in _ANALYSIS},
        "weakest_region": REGION, "strongest_region": REGION, "response_status": TEXT, "response": TEXT,
    },
    # the officers' working file of responses (drafts included): `consult responses export`, the Responses page
    "responses": {
        "proposal": ID, "text": TEXT, "status": TEXT, "response": TEXT, "referred_to": TEXT, "decided_by": TEXT,
        "published_status": TEXT, "published_response": TEXT, "needs_answer_because": TEXT,
    },
    "votes": {"participant": PARTICIPANT, "region": REGION, "proposal_id": ID, "vote": TEXT},
    "participation": {
        "region": REGION, "name": REGION, "participants": NUMBER, "sample_share": NUMBER, "baseline_share": NUMBER,
        "ratio": NUMBER, "share_low": NUMBER, "share_high": NUMBER, "suppressed": NUMBER, "ratio_at_most": NUMBER,
    },
    "themes": {"id": ID, "label": TEXT, "keywords": TEXT, "size": NUMBER},
    "membership": {
        "region": REGION, "name": REGION, "population_share": NUMBER, "members": NUMBER, "member_share": NUMBER,
        "members_per_population": NUMBER, "participants": NUMBER, "participant_share": NUMBER,
        "participants_per_member": NUMBER,
    },
    "groups": {"participant": PARTICIPANT, "group": NUMBER},
    "support": {
        "proposal": ID, "body": TEXT, "consensus_rank": NUMBER, "support": NUMBER, "lower": NUMBER,
        "upper": NUMBER, "weighted_support": NUMBER, "weighted_lower": NUMBER, "weighted_upper": NUMBER,
        "prob_all": NUMBER, "expected_weakest": NUMBER, "weakest_region": REGION, "weakest_support": NUMBER,
        "weakest_lower": NUMBER,
        "strongest_region": REGION, "divisiveness": NUMBER, "votes": NUMBER, "agree": NUMBER,
        "regions_with_enough": NUMBER, "regions_with_own_votes": NUMBER, "consensus": NUMBER, "baseline": TEXT,
    },
    "support-regions": {
        "proposal": ID, "region": REGION, "region_name": REGION, "n": NUMBER, "agree": NUMBER, "estimate": NUMBER,
        "lower": NUMBER, "upper": NUMBER, "leans_on_pooling": NUMBER,
    },
    "theme-regions": {
        "region": REGION, "region_name": REGION, "theme_id": ID, "theme_label": TEXT, "n": NUMBER, "share": NUMBER,
        "rest_share": NUMBER, "ratio": NUMBER, "lower": NUMBER, "upper": NUMBER, "clear_lower": NUMBER,
        "few_texts": NUMBER, "region_texts": NUMBER, "detectable": NUMBER,
    },
    "polis-comments": {
        "timestamp": TIME, "datetime": TIME, "comment-id": ID, "author-id": ID, "agrees": NUMBER,
        "disagrees": NUMBER, "moderated": NUMBER, "is-meta": TEXT, "is-seed": TEXT, "comment-body": TEXT,
    },
    # structured questions: the results by region (`consult questions results`), answers in long format, cross-tabs
    "question-results": {
        "question_id": ID, "question": TEXT, "kind": TEXT, "option": TEXT, "region": REGION, "measure": TEXT,
        "n": NUMBER, "share": NUMBER, "lower": NUMBER, "upper": NUMBER, "weighted": NUMBER,
        "weighted_lower": NUMBER, "weighted_upper": NUMBER, "value": NUMBER, "suppressed": NUMBER,
    },
    "question-answers": {
        "participant": PARTICIPANT, "region": REGION, "question_id": ID, "question": TEXT, "kind": TEXT,
        "answer": TEXT, "answer_code": TEXT,
    },
    "question-crosstab": {
        "question_id": ID, "question": TEXT, "by": TEXT, "group": TEXT, "option": TEXT, "respondents": NUMBER,
        "chosen": NUMBER, "share": NUMBER, "suppressed": NUMBER,
    },
    "polis-votes": {"timestamp": TIME, "datetime": TIME, "comment-id": ID, "voter-id": ID, "vote": NUMBER},
}

_PSEUDONYM = re.compile(rf"^{pseudonyms.PREFIX}[0-9a-f]{{{pseudonyms.LENGTH}}}$")


class SchemaError(ValueError):
    """An export whose columns or contents break its declaration: a bug, refused before anything is written."""


def publish(frame: pd.DataFrame, schema: str | dict[str, str]) -> pd.DataFrame:
    """Check `frame` against its declared columns and make its cells safe to open; returns a new frame.

    `schema` is a name in SCHEMAS, or a mapping (column -> kind) for tables the user brought (their own file).
    Extra columns named like `polis-participant-votes` comment columns are declared by the caller.
    """
    declared = SCHEMAS[schema] if isinstance(schema, str) else schema
    if list(frame.columns) != list(declared):
        extra = [c for c in frame.columns if c not in declared]
        missing = [c for c in declared if c not in frame.columns]
        raise SchemaError(f"export {schema if isinstance(schema, str) else '(custom)'} does not match its "
                          f"declaration: undeclared {extra}, missing {missing}")
    for column, kind in declared.items():
        if kind == PARTICIPANT:
            values = frame[column].dropna().astype(str)
            if not values.map(lambda v: bool(_PSEUDONYM.match(v))).all():
                raise SchemaError(f"column {column!r} must hold pseudonyms, not raw participant ids")
    return neutralise(frame)
