"""The audit log as a person reads it: who did what, to which object by name, why, and when.

Raw rows say "theme_run nan nan" or "theme 7.0"; this says "Found themes" and "theme “Transport and
connectivity”". Object names are looked up once per table; an object since deleted keeps its number.
"""

from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import Engine

from consult import storage
from consult.storage import responses
from consult.storage import themes as theme_store
from consult.text.cleaning import shorten

ACTIONS = {
    "create_consultation": "Created the consultation", "update_settings": "Changed settings",
    "set_phase": "Changed the phase", "add_proposal": "Added a proposal", "add_seed": "Added a seed proposal",
    "status:published": "Published a proposal", "status:hidden": "Hid a proposal",
    "status:pending": "Sent a proposal back to moderation", "merge": "Merged a duplicate proposal",
    "erase": "Erased a participant on request", "theme_run": "Found themes", "theme_rename": "Renamed a theme",
    "theme_merge": "Merged themes", "theme_split": "Split a theme", "theme_move": "Moved a proposal to a theme",
    "response_draft": "Drafted a response", "response_published": "Published a response",
    "milestone": "Recorded progress on an accepted proposal", "needs_answer": "A proposal now needs an answer",
    "answer_thresholds": "Set what obliges an answer", "load_roll": "Loaded the membership list",
    "save_baseline": "Saved a baseline", "sign_in": "Signed in", "sign_in_failed": "Wrong name or password",
    "sign_in_refused": "Sign-in refused: too many tries",
}
COLUMNS = ["When", "Who", "What", "Which", "Reason", "Detail"]
# codes that details quote, in words
_CODES = {**{code: label.lower() for code, label in responses.STATUS_LABELS.items()},
          "collecting": "collecting proposals", "voting": "voting only", "results": "showing results"}
_CODE = re.compile(r"\b(" + "|".join(sorted(_CODES, key=len, reverse=True)) + r")\b")


def _detail(text: object) -> str:
    return _CODE.sub(lambda m: _CODES[m.group(1)], str(text)) if isinstance(text, str) else ""


def _names(engine: Engine, consultation_id: int | None) -> dict[str, dict[int, str]]:
    if consultation_id is None:
        return {"proposal": {}, "theme": {}}
    proposals = storage.proposals_frame(engine, consultation_id)
    themes = theme_store.themes_frame(engine, consultation_id, include_inactive=True)
    return {"proposal": {int(i): f"proposal #{i} “{shorten(b, 60)}”" for i, b in zip(proposals["id"],
                                                                                    proposals["body"], strict=True)},
            "theme": {int(i): f"theme “{label}”" for i, label in zip(themes["id"], themes["label"], strict=True)}}


def _which(target_type: object, target_id: object, names: dict[str, dict[int, str]],
           consultation_title: str) -> str:
    if not isinstance(target_type, str) or not target_type:
        return ""
    if target_id is None or pd.isna(target_id):
        return target_type
    number = int(target_id)
    if target_type == "consultation":
        return f"“{consultation_title}”"
    if target_type == "participant":
        return "a participant (their details are not kept here)"
    return names.get(target_type, {}).get(number, f"{target_type} #{number}")


def readable_log(engine: Engine, consultation_id: int | None) -> pd.DataFrame:
    """Every audit entry for the consultation (or the system-wide ones for None), newest first, in words."""
    log = storage.audit_frame(engine, consultation_id)
    if log.empty:
        return pd.DataFrame(columns=COLUMNS)
    names = _names(engine, consultation_id)
    title = storage.get_consultation(engine, consultation_id).title if consultation_id is not None else ""
    return pd.DataFrame({
        "When": pd.to_datetime(log["created_ms"], unit="ms", utc=True).dt.strftime("%d %b %Y %H:%M").to_numpy(),
        "Who": log["actor"].to_numpy(),
        "What": log["action"].map(lambda a: ACTIONS.get(a, a.replace("_", " ").capitalize())).to_numpy(),
        "Which": [_which(t, i, names, title) for t, i in zip(log["target_type"], log["target_id"], strict=True)],
        "Reason": log["reason"].fillna("").to_numpy(),
        "Detail": log["detail"].map(_detail).to_numpy(),
    }, columns=COLUMNS)
