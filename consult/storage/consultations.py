"""Consultations: join codes, creating and finding them, their phase and settings."""

from __future__ import annotations

import secrets
from typing import Any

import pandas as pd
from sqlalchemy import Engine, bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from consult.storage import changes, db, tallies
from consult.storage import schema as s
from consult.storage.audit import audit
from consult.storage.errors import NotFound, Refused, StoreError
from consult.storage.participants import participant_counts
from consult.storage.plain_reads import fetch_rows
from consult.storage.records import Consultation, now_ms
from consult.storage.scopes import WHOLE_PARTY, Scope
from consult.text.cleaning import clean_text

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread from a screen
PROPOSAL_PHASES = {"collecting"}
VOTING_PHASES = {"collecting", "voting"}
PRESENTABLE_PHASES = {"collecting", "voting", "results", "closed"}  # a draft is not shown to a room


def _new_join_code(rng: secrets.SystemRandom | None = None, length: int = 6) -> str:
    rng = rng or secrets.SystemRandom()
    return "".join(rng.choice(JOIN_CODE_ALPHABET) for _ in range(length))


def normalise_join_code(code: str) -> str:
    """What a member typed, as a join code: upper case, no spaces or dashes, 0/O and 1/I read as the code means."""
    cleaned = "".join(ch for ch in str(code).upper() if ch.isalnum())
    return cleaned.replace("0", "O").replace("1", "I")


def create_consultation(
    engine: Engine,
    *,
    title: str,
    question: str,
    description: str = "",
    phase: str = "collecting",
    moderation: str = "post",
    min_chars: int = 20,
    max_chars: int = 500,
    max_proposals_per_participant: int = 10,
    results_visible: bool = True,
    join_code: str | None = None,
    source: str = "consult",
    actor: str = "system",
    created_ms: int | None = None,
    access: str = "open",
    scope: Scope = WHOLE_PARTY,
) -> Consultation:
    """A new consultation. `scope`: who it is for (regions, local parties; `Scope()` is the whole party)."""
    title, question, description = clean_text(title), clean_text(question), clean_text(description)
    problems = []
    if not title:
        problems.append("a title is required")
    if len(title) > 200:
        problems.append("the title is longer than 200 characters")
    if not question:
        problems.append("a question is required")
    if phase not in s.PHASES:
        problems.append(f"phase must be one of {', '.join(s.PHASES)}")
    if moderation not in s.MODERATION_MODES:
        problems.append("moderation must be 'post' (publish at once) or 'pre' (officer approves first)")
    if not 1 <= min_chars <= max_chars <= 10_000:
        problems.append("proposal length limits must satisfy 1 <= minimum <= maximum <= 10,000")
    if max_proposals_per_participant < 1:
        problems.append("each member must be allowed at least one proposal")
    if access not in s.ACCESS_MODES:
        problems.append("access must be 'open' (anyone with the code), 'members' (verified members only) or "
                        "'mixed'")
    if scope.local_parties and access != "members":
        problems.append("a consultation limited to local parties must be for verified members only (a local party "
                        "is checked against the membership list)")
    if problems:
        raise StoreError("Cannot create the consultation: " + "; ".join(problems) + ".")
    if join_code is not None:
        chosen = "".join(ch for ch in str(join_code).upper() if ch.isalnum())
        if {"0", "1"} & set(chosen):
            # members may type either, but a facilitator must not be surprised by the code on the screen
            raise StoreError(f"A join code has no 0 or 1 (they are misread as O and I from a screen, so {chosen} "
                             f"would become {normalise_join_code(chosen)}). Use {normalise_join_code(chosen)}, or "
                             "choose another code.")
        join_code = normalise_join_code(join_code)
        if not 4 <= len(join_code) <= 12:
            raise StoreError("A join code has 4 to 12 letters and digits.")
    created = created_ms if created_ms is not None else now_ms()
    for _attempt in range(20):
        code = join_code or _new_join_code()
        try:
            with db.writing(engine) as conn:
                new_id = conn.execute(
                    s.consultations.insert().values(
                        join_code=code, title=title, question=question, description=description, phase=phase,
                        moderation=moderation, min_chars=min_chars, max_chars=max_chars,
                        max_proposals_per_participant=max_proposals_per_participant,
                        results_visible=results_visible, source=source, created_ms=created, access=access,
                        **scope.columns(),
                    )
                ).inserted_primary_key[0]
                audit(conn, new_id, actor, "create_consultation", "consultation", new_id, detail=title)
            return get_consultation(engine, new_id)
        except IntegrityError as exc:
            if join_code is not None:
                raise Refused(f"The join code {join_code} is already in use.") from exc
    raise StoreError("Could not find a free join code; try again.")


def delete_consultation(engine: Engine, consultation_id: int) -> None:
    """Remove a consultation and everything in it (an import that failed half-way is rolled back this way)."""
    with db.writing(engine) as conn:
        conn.execute(update(s.proposals).where(s.proposals.c.consultation_id == consultation_id)
                     .values(merged_into_id=None, status="hidden"))
        changes.bump(conn, consultation_id)
        conn.execute(delete(s.consultations).where(s.consultations.c.id == consultation_id))


# read on every member page run: statements built once (building one costs as much as running it on SQLite)
_COLUMNS = [s.consultations.c[name] for name in Consultation.__dataclass_fields__]
_BY_ID = select(*_COLUMNS).where(s.consultations.c.id == bindparam("consultation_id"))
_BY_CODE = select(*_COLUMNS).where(s.consultations.c.join_code == bindparam("join_code"))


def get_consultation(engine: Engine, consultation_id: int) -> Consultation:
    rows = fetch_rows(engine, _BY_ID, {"consultation_id": consultation_id})
    if not rows:
        raise NotFound(f"There is no consultation {consultation_id}.")
    return Consultation.from_values(rows[0])


def find_consultation(engine: Engine, join_code: str) -> Consultation:
    code = normalise_join_code(join_code)
    rows = fetch_rows(engine, _BY_CODE, {"join_code": code})
    if not rows:
        raise NotFound(f"No consultation has the join code {code or '(empty)'}. Check the code and try again.")
    return Consultation.from_values(rows[0])


def list_consultations(engine: Engine) -> pd.DataFrame:
    query = select(s.consultations).order_by(s.consultations.c.created_ms.desc(), s.consultations.c.id.desc())
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def set_phase(engine: Engine, consultation_id: int, phase: str, *, actor: str) -> Consultation:
    if phase not in s.PHASES:
        raise StoreError(f"Unknown phase {phase!r}: use one of {', '.join(s.PHASES)}.")
    with db.writing(engine) as conn:
        old = conn.execute(
            select(s.consultations.c.phase).where(s.consultations.c.id == consultation_id)
        ).scalar_one_or_none()
        if old is None:
            raise NotFound(f"There is no consultation {consultation_id}.")
        conn.execute(update(s.consultations).where(s.consultations.c.id == consultation_id).values(phase=phase))
        audit(conn, consultation_id, actor, "set_phase", "consultation", consultation_id, detail=f"{old} -> {phase}")
    return get_consultation(engine, consultation_id)


def update_settings(engine: Engine, consultation_id: int, *, actor: str, **settings: Any) -> Consultation:
    allowed = {"title", "question", "description", "moderation", "min_chars", "max_chars",
               "max_proposals_per_participant", "results_visible", "baseline", "min_cell", "access"}
    unknown = set(settings) - allowed
    if unknown:
        raise StoreError(f"Unknown settings: {', '.join(sorted(unknown))}.")
    try:
        with db.writing(engine) as conn:
            current = conn.execute(select(s.consultations.c.access, s.consultations.c.scope_local_parties)
                                   .where(s.consultations.c.id == consultation_id)).first()
            if current is None:
                raise NotFound(f"There is no consultation {consultation_id}.")
            before = current.access
            if settings.get("access", before) != "members" and current.scope_local_parties:
                raise StoreError("This consultation is limited to local parties, which only verified members can "
                                 "show: widen it to whole regions (or the whole party) before letting others join.")
            conn.execute(update(s.consultations).where(s.consultations.c.id == consultation_id).values(**settings))
            audit(conn, consultation_id, actor, "update_settings", "consultation", consultation_id,
                  detail=", ".join(f"{k}={v!r}" for k, v in sorted(settings.items())))
            if settings.get("access", before) != before:
                # who counts changed (participants.participant_counts): the running tallies and every cache follow
                # at once
                tallies.rebuild(conn, consultation_id)
                changes.bump(conn, consultation_id)
    except IntegrityError as exc:
        raise StoreError("Those settings are not valid (check the length limits, moderation mode and access).") \
            from exc
    return get_consultation(engine, consultation_id)


def set_scope(engine: Engine, consultation_id: int, scope: Scope, *, actor: str) -> Consultation:
    """Limit who may join to `scope` (or widen it). Narrowing is refused while anyone who counts and is outside the
    new scope has joined: every counted participant of a consultation is always in its scope."""
    with db.writing(engine) as conn:
        access = conn.execute(select(s.consultations.c.access).where(s.consultations.c.id == consultation_id)
                              ).scalar_one_or_none()
        if access is None:
            raise NotFound(f"There is no consultation {consultation_id}.")
        if scope.local_parties and access != "members":
            raise StoreError("A consultation limited to local parties must be for verified members only (a local "
                             "party is checked against the membership list): switch who may join first.")
        joined = conn.execute(
            select(s.participants.c.region, s.participants.c.constituency, func.count())
            .join(s.consultations, s.consultations.c.id == s.participants.c.consultation_id)
            .where(s.participants.c.consultation_id == consultation_id, participant_counts())
            .group_by(s.participants.c.region, s.participants.c.constituency)).all()
        outside = sum(n for region, local_party, n in joined if not scope.admits(region, local_party))
        if outside:
            raise Refused(f"{outside:,} {'person' if outside == 1 else 'people'} outside {scope.text} "
                          f"{'has' if outside == 1 else 'have'} already joined, so the consultation cannot be "
                          "limited to it now. Limit it before sharing the code, or run a new consultation.")
        conn.execute(update(s.consultations).where(s.consultations.c.id == consultation_id).values(**scope.columns()))
        audit(conn, consultation_id, actor, "set_scope", "consultation", consultation_id, detail=scope.text[:200])
    return get_consultation(engine, consultation_id)


def find_presentable(engine: Engine, join_code: str) -> Consultation:
    """The consultation a presenter screen may show: open or closed, never a draft (which answers as unknown)."""
    consultation = find_consultation(engine, join_code)
    if consultation.phase not in PRESENTABLE_PHASES:
        raise NotFound(f"No consultation has the join code {consultation.join_code}. Check the code and try again.")
    return consultation
