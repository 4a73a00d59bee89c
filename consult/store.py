"""Reading and writing consultations, participants, proposals and votes: one transaction per action."""

from __future__ import annotations

import functools
import secrets
import time
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, bindparam, delete, func, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from consult import db, regions, tallies
from consult import schema as s
from consult.text import clean_text, dedupe_key

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread from a screen
VOTE_VALUES = {1: "agree", -1: "disagree", 0: "pass"}
PROPOSAL_PHASES = {"collecting"}
VOTING_PHASES = {"collecting", "voting"}
MEMBER_VISIBLE = ("pending", "published")  # a member's own proposal as they can still see it


class StoreError(ValueError):
    """A write that was refused, with a message fit to show the person who tried it."""


class NotFound(StoreError):
    pass


class Refused(StoreError):
    """The action breaks a rule of the consultation (limits, phase, duplicates, moderation)."""


class Unavailable(StoreError):
    """The database connection was lost and did not come back in time; nothing was saved."""


RECONNECT_DELAYS = (0.1, 0.5, 2.0)


def retry_on_disconnect(action):
    """Run a member's write again when the connection drops under it (a restarted or failed-over PostgreSQL).

    A dropped transaction was rolled back by the server, so a retry cannot count twice: the vote upsert and the
    duplicate-text rule make the writes safe to repeat even when the drop came after the commit.
    """
    @functools.wraps(action)
    def wrapper(*args, **kwargs):
        for delay in (*RECONNECT_DELAYS, None):
            try:
                return action(*args, **kwargs)
            except DBAPIError as exc:
                if not exc.connection_invalidated:
                    raise
                if delay is None:
                    raise Unavailable("The database could not be reached, so this was not saved. Your text is "
                                      "still here: please try again in a moment.") from exc
                time.sleep(delay)
        raise AssertionError("unreachable")
    return wrapper


@dataclass(frozen=True)
class Consultation:
    id: int
    join_code: str
    title: str
    question: str
    description: str
    phase: str
    moderation: str
    min_chars: int
    max_chars: int
    max_proposals_per_participant: int
    results_visible: bool
    baseline: str
    source: str
    created_ms: int


@dataclass(frozen=True)
class Participant:
    id: int
    consultation_id: int
    token: str
    region: str
    constituency: str | None
    verified: bool
    channel: str


@dataclass(frozen=True)
class Proposal:
    id: int
    consultation_id: int
    author_id: int | None
    region: str | None
    tier: str
    body: str
    status: str
    created_ms: int


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def init_db(engine: Engine) -> None:
    """Create or migrate the schema and load the reference data (regions, population baseline)."""
    db.upgrade(engine)
    sync_reference_data(engine)


def sync_reference_data(engine: Engine) -> None:
    frame = regions.regions()
    rows = [{"code": r.code, "name": r.name, "is_uk_region": True} for r in frame.itertuples()]
    rows += [{"code": code, "name": name, "is_uk_region": False} for code, name in regions.OTHER_ANSWERS.items()]
    with db.writing(engine) as conn:
        existing = set(conn.execute(select(s.regions.c.code)).scalars())
        new_rows = [row for row in rows if row["code"] not in existing]
        if new_rows:
            conn.execute(s.regions.insert(), new_rows)
        if conn.execute(select(func.count()).where(s.baselines.c.name == "population")).scalar_one() == 0:
            conn.execute(
                s.baselines.insert(),
                [
                    {"name": "population", "region": r.code, "count": float(r.population),
                     "source": "Census 2021 (ONS, NISRA), Scotland's Census 2022 (NRS)"}
                    for r in frame.itertuples()
                ],
            )


# -- consultations ---------------------------------------------------------------------------------------------


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
) -> Consultation:
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
    if problems:
        raise StoreError("Cannot create the consultation: " + "; ".join(problems) + ".")
    if join_code is not None:
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
                        results_visible=results_visible, source=source, created_ms=created,
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
        conn.execute(delete(s.consultations).where(s.consultations.c.id == consultation_id))


def _consultation_from_row(row: Any) -> Consultation:
    return Consultation(**{field: getattr(row, field) for field in Consultation.__dataclass_fields__})


def get_consultation(engine: Engine, consultation_id: int) -> Consultation:
    with engine.connect() as conn:
        row = conn.execute(select(s.consultations).where(s.consultations.c.id == consultation_id)).first()
    if row is None:
        raise NotFound(f"There is no consultation {consultation_id}.")
    return _consultation_from_row(row)


def find_consultation(engine: Engine, join_code: str) -> Consultation:
    code = normalise_join_code(join_code)
    with engine.connect() as conn:
        row = conn.execute(select(s.consultations).where(s.consultations.c.join_code == code)).first()
    if row is None:
        raise NotFound(f"No consultation has the join code {code or '(empty)'}. Check the code and try again.")
    return _consultation_from_row(row)


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
               "max_proposals_per_participant", "results_visible", "baseline"}
    unknown = set(settings) - allowed
    if unknown:
        raise StoreError(f"Unknown settings: {', '.join(sorted(unknown))}.")
    try:
        with db.writing(engine) as conn:
            conn.execute(update(s.consultations).where(s.consultations.c.id == consultation_id).values(**settings))
            audit(conn, consultation_id, actor, "update_settings", "consultation", consultation_id,
                  detail=", ".join(f"{k}={v!r}" for k, v in sorted(settings.items())))
    except IntegrityError as exc:
        raise StoreError("Those settings are not valid (check the length limits and moderation mode).") from exc
    return get_consultation(engine, consultation_id)


# -- participants ----------------------------------------------------------------------------------------------


@retry_on_disconnect
def add_participant(
    engine: Engine,
    consultation_id: int,
    *,
    region: str,
    constituency: str | None = None,
    consented: bool = True,
    channel: str = "online",
    external_id: str | None = None,
    verified: bool = False,
) -> Participant:
    if region not in regions.answer_codes():
        raise StoreError("Choose your region from the list (or 'Prefer not to say').")
    if not consented:
        raise Refused("Please accept the privacy notice to take part.")
    constituency = clean_text(constituency or "")[:120] or None
    created = now_ms()
    token = secrets.token_urlsafe(12)
    try:
        with db.writing(engine) as conn:
            if conn.execute(
                select(s.consultations.c.id).where(s.consultations.c.id == consultation_id)
            ).first() is None:
                raise NotFound(f"There is no consultation {consultation_id}.")
            new_id = conn.execute(
                s.participants.insert().values(
                    consultation_id=consultation_id, token=token, region=region, constituency=constituency,
                    verified=verified, channel=channel, external_id=external_id,
                    consented_ms=created, created_ms=created,
                )
            ).inserted_primary_key[0]
    except IntegrityError as exc:
        raise StoreError(f"Could not register the participant: {_integrity_reason(exc)}") from exc
    return Participant(new_id, consultation_id, token, region, constituency, verified, channel)


def participant_by_token(engine: Engine, token: str) -> Participant | None:
    """The participant a browser's token belongs to, or None for an unknown token."""
    if not token or len(token) > 64:
        return None
    columns = [s.participants.c[name] for name in Participant.__dataclass_fields__]
    with engine.connect() as conn:
        row = conn.execute(select(*columns).where(s.participants.c.token == token)).first()
    return None if row is None else Participant(*row)


# -- proposals -------------------------------------------------------------------------------------------------


def check_proposal_text(body: str, consultation: Consultation) -> list[str]:
    """Problems with a proposal's text under this consultation's limits (empty when it is fine)."""
    text = clean_text(body)
    problems = []
    if not text:
        problems.append("Write your proposal before sending it.")
    elif len(text) < consultation.min_chars:
        problems.append(
            f"Your proposal is {len(text)} characters; please write at least {consultation.min_chars}."
        )
    if len(text) > consultation.max_chars:
        problems.append(
            f"Your proposal is {len(text)} characters; the limit is {consultation.max_chars}. Please shorten it."
        )
    return problems


@retry_on_disconnect
def add_proposal(
    engine: Engine,
    consultation_id: int,
    *,
    body: str,
    author_id: int | None,
    tier: str = "uk",
    region: str | None = None,
    is_seed: bool = False,
    actor: str | None = None,
) -> Proposal:
    """Save a member's (or a seed) proposal, enforcing phase, length, duplicate and per-member limits."""
    if tier not in s.TIERS:
        raise StoreError(f"Choose what the proposal is about: one of {', '.join(s.TIERS)}.")
    text = clean_text(body)
    created = now_ms()
    with db.writing(engine) as conn:
        consultation = _consultation_from_row(
            _one(conn, select(s.consultations).where(s.consultations.c.id == consultation_id), "consultation")
        )
        if consultation.phase not in PROPOSAL_PHASES and not is_seed:
            raise Refused("This consultation is not taking new proposals at the moment.")
        problems = check_proposal_text(text, consultation)
        if problems:
            raise StoreError(" ".join(problems))
        if author_id is not None:
            # the lock on the author's row makes one member's submissions take turns, so a repeated press
            # (or a callback run twice) finds the first one here
            author = conn.execute(
                select(s.participants.c.region, s.participants.c.consultation_id)
                .where(s.participants.c.id == author_id)
                .with_for_update()
            ).first()
            if author is None or author.consultation_id != consultation_id:
                raise NotFound("You are not registered in this consultation; please join again.")
            region = region or author.region
        key = dedupe_key(text)
        columns = [s.proposals.c[name] for name in Proposal.__dataclass_fields__]
        duplicate = conn.execute(
            select(*columns).where(s.proposals.c.consultation_id == consultation_id, s.proposals.c.dedupe_key == key)
        ).first()
        if duplicate is not None:
            if author_id is not None and duplicate.author_id == author_id and duplicate.status in MEMBER_VISIBLE:
                return Proposal(*duplicate)  # the same member sent the same text again: it is saved once
            raise Refused(
                "This proposal has already been made. Find it in the voting queue and agree with it instead."
            )
        if author_id is not None:
            written = conn.execute(
                select(func.count()).where(
                    s.proposals.c.author_id == author_id, s.proposals.c.consultation_id == consultation_id
                )
            ).scalar_one()
            if written >= consultation.max_proposals_per_participant:
                raise Refused(
                    f"You have reached this consultation's limit of {consultation.max_proposals_per_participant}"
                    " proposals. You can still vote on everyone else's."
                )
        status = "pending" if consultation.moderation == "pre" and not is_seed else "published"
        try:
            new_id = conn.execute(
                s.proposals.insert().values(
                    consultation_id=consultation_id, author_id=author_id, region=region, tier=tier, body=text,
                    dedupe_key=key, status=status, is_seed=is_seed, created_ms=created, updated_ms=created,
                )
            ).inserted_primary_key[0]
        except IntegrityError as exc:  # a concurrent identical proposal won the race
            raise Refused("This proposal has already been made.") from exc
        if actor:
            audit(conn, consultation_id, actor, "add_seed" if is_seed else "add_proposal", "proposal", new_id)
    return Proposal(new_id, consultation_id, author_id, region, tier, text, status, created)


def set_proposal_status(
    engine: Engine, proposal_id: int, status: str, *, actor: str, reason: str = ""
) -> None:
    """Publish, hide or restore (to published) a proposal, with the reason in the audit log."""
    if status not in ("pending", "published", "hidden"):
        raise StoreError("A proposal can be set to pending, published or hidden (merging has its own action).")
    with db.writing(engine) as conn:
        row = _one(conn, select(s.proposals.c.consultation_id, s.proposals.c.status)
                   .where(s.proposals.c.id == proposal_id), "proposal")
        conn.execute(
            update(s.proposals).where(s.proposals.c.id == proposal_id)
            .values(status=status, merged_into_id=None, updated_ms=now_ms())
        )
        audit(conn, row.consultation_id, actor, f"status:{status}", "proposal", proposal_id,
              reason=reason, detail=f"{row.status} -> {status}")


def merge_proposals(engine: Engine, duplicate_id: int, kept_id: int, *, actor: str, reason: str = "") -> int:
    """Merge a duplicate into the kept proposal; its votes move over unless the voter already voted there.

    Returns the number of votes moved.
    """
    if duplicate_id == kept_id:
        raise StoreError("A proposal cannot be merged into itself.")
    with db.writing(engine) as conn:
        dup = _one(conn, select(s.proposals).where(s.proposals.c.id == duplicate_id), "proposal")
        kept = _one(conn, select(s.proposals).where(s.proposals.c.id == kept_id), "proposal")
        if dup.consultation_id != kept.consultation_id:
            raise StoreError("Both proposals must belong to the same consultation.")
        if kept.status == "merged":
            raise StoreError("The proposal to keep has itself been merged; merge into the one it points to.")
        already = select(s.votes.c.participant_id).where(s.votes.c.proposal_id == kept_id)
        movable = conn.execute(
            select(s.votes).where(s.votes.c.proposal_id == duplicate_id, s.votes.c.participant_id.not_in(already))
        ).all()
        if movable:
            conn.execute(
                s.votes.insert(),
                [{"consultation_id": v.consultation_id, "participant_id": v.participant_id, "proposal_id": kept_id,
                  "value": v.value, "updated_ms": v.updated_ms} for v in movable],
            )
        conn.execute(delete(s.votes).where(s.votes.c.proposal_id == duplicate_id))
        # earlier merges into the duplicate now point at the kept proposal
        conn.execute(
            update(s.proposals).where(s.proposals.c.merged_into_id == duplicate_id).values(merged_into_id=kept_id)
        )
        conn.execute(
            update(s.proposals).where(s.proposals.c.id == duplicate_id)
            .values(status="merged", merged_into_id=kept_id, updated_ms=now_ms())
        )
        tallies.rebuild(conn, dup.consultation_id, [duplicate_id, kept_id])
        audit(conn, dup.consultation_id, actor, "merge", "proposal", duplicate_id, reason=reason,
              detail=f"into {kept_id}; {len(movable)} votes moved")
    return len(movable)


def proposals_written(engine: Engine, participant_id: int) -> int:
    """How many proposals a member has made (against the per-member limit)."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).where(s.proposals.c.author_id == participant_id)).scalar()


def proposals_since(engine: Engine, consultation_id: int, after_id: int,
                    statuses: tuple[str, ...] = ("published", "pending")) -> pd.DataFrame:
    """Proposals (id, body) newer than `after_id`: what a similarity index built earlier has not seen."""
    query = select(s.proposals.c.id, s.proposals.c.body).where(
        s.proposals.c.consultation_id == consultation_id, s.proposals.c.id > after_id,
        s.proposals.c.status.in_(statuses)).order_by(s.proposals.c.id)
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def proposal_author(engine: Engine, proposal_id: int, consultation_id: int) -> int | None:
    """The participant who wrote a proposal of this consultation, or None (unknown proposal, or no author)."""
    with engine.connect() as conn:
        return conn.execute(select(s.proposals.c.author_id).where(
            s.proposals.c.id == proposal_id, s.proposals.c.consultation_id == consultation_id)).scalar()


def get_proposal(engine: Engine, proposal_id: int) -> Proposal:
    columns = [s.proposals.c[name] for name in Proposal.__dataclass_fields__]
    with engine.connect() as conn:
        row = conn.execute(select(*columns).where(s.proposals.c.id == proposal_id)).first()
    if row is None:
        raise NotFound(f"There is no proposal {proposal_id}.")
    return Proposal(*row)


# -- votes -----------------------------------------------------------------------------------------------------


# Votes on one proposal take turns (PostgreSQL row lock; SQLite's single writer does the same): the tally
# refresh reads the other regions' rows, and two members in different regions voting at once would otherwise
# each write a total that misses the other's vote. NO KEY UPDATE leaves foreign-key checks unblocked.
_VOTE_TARGET = (
    select(s.proposals.c.consultation_id, s.proposals.c.status, s.consultations.c.phase)
    .join(s.consultations, s.consultations.c.id == s.proposals.c.consultation_id)
    .where(s.proposals.c.id == bindparam("proposal_id"))
    .with_for_update(key_share=True, of=s.proposals)
)
_VOTER = select(s.participants.c.consultation_id, s.participants.c.region).where(
    s.participants.c.id == bindparam("participant_id"))
_CURRENT_VOTE = select(s.votes.c.value).where(s.votes.c.participant_id == bindparam("participant_id"),
                                              s.votes.c.proposal_id == bindparam("proposal_id"))
_VOTE_EVENT = s.vote_events.insert()
_UPSERTS: dict[str, Any] = {}


def _vote_upsert(dialect: str) -> Any:
    """INSERT ... ON CONFLICT DO UPDATE for the current vote, built once per dialect."""
    if dialect not in _UPSERTS:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(s.votes)
        _UPSERTS[dialect] = stmt.on_conflict_do_update(
            index_elements=["participant_id", "proposal_id"],
            set_={"value": stmt.excluded.value, "updated_ms": stmt.excluded.updated_ms},
        )
    return _UPSERTS[dialect]


@retry_on_disconnect
def cast_vote(engine: Engine, participant_id: int, proposal_id: int, value: int) -> None:
    """Record a vote (+1 agree, -1 disagree, 0 pass): it replaces the current one and is logged as an event."""
    if value not in VOTE_VALUES:
        raise StoreError("A vote is agree (+1), disagree (-1) or pass (0).")
    stamp = now_ms()
    with db.writing(engine) as conn:
        row = conn.execute(_VOTE_TARGET, {"proposal_id": proposal_id}).first()
        if row is None:
            raise NotFound("That proposal no longer exists.")
        if row.status != "published":
            raise Refused("That proposal is not open for votes (it may have been moderated or merged).")
        if row.phase not in VOTING_PHASES:
            raise Refused("Voting is closed in this consultation.")
        voter = conn.execute(_VOTER, {"participant_id": participant_id}).first()
        if voter is None or voter.consultation_id != row.consultation_id:
            raise NotFound("You are not registered in this consultation; please join again.")
        old = conn.execute(_CURRENT_VOTE, {"participant_id": participant_id, "proposal_id": proposal_id}).scalar()
        values = {"consultation_id": row.consultation_id, "participant_id": participant_id,
                  "proposal_id": proposal_id, "value": value}
        conn.execute(_vote_upsert(conn.dialect.name), [values | {"updated_ms": stamp}])
        conn.execute(_VOTE_EVENT, [values | {"created_ms": stamp}])
        tallies.apply_vote(conn, row.consultation_id, proposal_id, voter.region, old, value)


# -- reading frames for analysis -------------------------------------------------------------------------------


def votes_frame(engine: Engine, consultation_id: int, *, published_only: bool = False) -> pd.DataFrame:
    """Current votes: participant_id, proposal_id, value, updated_ms, region (the voter's)."""
    query = (
        select(s.votes.c.participant_id, s.votes.c.proposal_id, s.votes.c.value, s.votes.c.updated_ms,
               s.participants.c.region)
        .join(s.participants, s.participants.c.id == s.votes.c.participant_id)
        .where(s.votes.c.consultation_id == consultation_id)
    )
    if published_only:
        query = query.join(s.proposals, s.proposals.c.id == s.votes.c.proposal_id).where(
            s.proposals.c.status == "published"
        )
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    return frame.astype({"participant_id": "int64", "proposal_id": "int64", "value": "int8"})


def vote_events_frame(engine: Engine, consultation_id: int) -> pd.DataFrame:
    query = select(s.vote_events).where(s.vote_events.c.consultation_id == consultation_id).order_by(
        s.vote_events.c.id
    )
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def proposals_frame(engine: Engine, consultation_id: int, statuses: tuple[str, ...] | None = None) -> pd.DataFrame:
    query = select(
        s.proposals.c.id, s.proposals.c.author_id, s.proposals.c.region, s.proposals.c.tier, s.proposals.c.body,
        s.proposals.c.status, s.proposals.c.merged_into_id, s.proposals.c.is_seed, s.proposals.c.is_meta,
        s.proposals.c.external_id, s.proposals.c.created_ms,
    ).where(s.proposals.c.consultation_id == consultation_id).order_by(s.proposals.c.id)
    if statuses:
        query = query.where(s.proposals.c.status.in_(statuses))
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def participants_frame(engine: Engine, consultation_id: int) -> pd.DataFrame:
    query = select(
        s.participants.c.id, s.participants.c.region, s.participants.c.constituency, s.participants.c.channel,
        s.participants.c.verified, s.participants.c.external_id, s.participants.c.created_ms,
    ).where(s.participants.c.consultation_id == consultation_id).order_by(s.participants.c.id)
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


@dataclass(frozen=True)
class Counts:
    participants: int
    proposals: int
    published: int
    pending: int
    votes: int


def counts(engine: Engine, consultation_id: int) -> Counts:
    """Headline counts in one round trip (cheap enough for a live view)."""
    p, pr, v = s.participants, s.proposals, s.votes
    query = select(
        select(func.count()).where(p.c.consultation_id == consultation_id).scalar_subquery(),
        select(func.count()).where(pr.c.consultation_id == consultation_id).scalar_subquery(),
        select(func.count()).where(pr.c.consultation_id == consultation_id, pr.c.status == "published")
        .scalar_subquery(),
        select(func.count()).where(pr.c.consultation_id == consultation_id, pr.c.status == "pending")
        .scalar_subquery(),
        select(func.count()).where(v.c.consultation_id == consultation_id).scalar_subquery(),
    )
    with engine.connect() as conn:
        return Counts(*conn.execute(query).one())


def participant_votes(engine: Engine, participant_id: int) -> dict[int, int]:
    """proposal_id -> current vote for one participant."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(s.votes.c.proposal_id, s.votes.c.value).where(s.votes.c.participant_id == participant_id)
        ).all()
    return {proposal_id: value for proposal_id, value in rows}


# -- baselines -------------------------------------------------------------------------------------------------


def baseline(engine: Engine, name: str = "population") -> pd.Series:
    """Baseline counts by region code for the 12 regions."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(s.baselines.c.region, s.baselines.c.count).where(s.baselines.c.name == name)
        ).all()
    if not rows:
        raise NotFound(f"There is no baseline called {name!r}.")
    return pd.Series(dict(rows), dtype="float64").reindex(regions.region_codes()).fillna(0.0)


def save_baseline(engine: Engine, name: str, counts_by_region: pd.Series, *, source: str, actor: str) -> None:
    name = clean_text(name)[:40]
    if not name:
        raise StoreError("Give the baseline a name.")
    unknown = set(counts_by_region.index) - set(regions.region_codes())
    if unknown:
        raise StoreError(f"Unknown regions in the baseline: {', '.join(sorted(map(str, unknown)))}.")
    with db.writing(engine) as conn:
        conn.execute(delete(s.baselines).where(s.baselines.c.name == name))
        conn.execute(s.baselines.insert(), [
            {"name": name, "region": code, "count": float(value), "source": source}
            for code, value in counts_by_region.items()
        ])
        audit(conn, None, actor, "save_baseline", None, None, detail=f"{name}: {source}")


# -- audit -----------------------------------------------------------------------------------------------------


def audit(
    conn: Connection,
    consultation_id: int | None,
    actor: str,
    action: str,
    target_type: str | None = None,
    target_id: int | None = None,
    *,
    reason: str = "",
    detail: str = "",
) -> None:
    """Append to the audit log inside the caller's transaction (so the action and its record commit together)."""
    conn.execute(s.audit_log.insert().values(
        consultation_id=consultation_id, actor=actor[:120], action=action, target_type=target_type,
        target_id=target_id, reason=clean_text(reason), detail=detail, created_ms=now_ms(),
    ))


def audit_frame(engine: Engine, consultation_id: int | None = None) -> pd.DataFrame:
    query = select(s.audit_log).order_by(s.audit_log.c.id.desc())
    if consultation_id is not None:
        query = query.where(s.audit_log.c.consultation_id == consultation_id)
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


# -- helpers ---------------------------------------------------------------------------------------------------


def _one(conn: Connection, query: Any, what: str) -> Any:
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"That {what} does not exist.")
    return row


def _integrity_reason(exc: IntegrityError) -> str:
    text = str(exc.orig).lower()
    if "unique" in text or "duplicate" in text:
        return "it already exists."
    if "foreign key" in text:
        return "it refers to something that does not exist."
    if "check" in text:
        return "a value is outside what is allowed."
    return "the database refused it."
