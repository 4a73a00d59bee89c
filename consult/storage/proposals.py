"""Proposals: checking and saving a member's proposal under the consultation's rules, and reading them for staff."""

from __future__ import annotations

from sqlalchemy import Engine, bindparam, func, select
from sqlalchemy.exc import IntegrityError

from consult.proposals.flags import flags
from consult.storage import db, visibility
from consult.storage import schema as s
from consult.storage.audit import audit
from consult.storage.consultations import PROPOSAL_PHASES
from consult.storage.errors import HeldForReview, NotFound, Refused, StoreError, retry_on_disconnect
from consult.storage.participants import MEMBERS_ONLY_NOW
from consult.storage.plain_reads import fetch_rows
from consult.storage.records import Consultation, Proposal, now_ms
from consult.text.cleaning import clean_text, dedupe_key


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


HELD_MESSAGE = "Thank you. Your proposal will appear once an organiser has checked it."


# a member's proposal is saved in one transaction of these reads and the insert: built once (a statement costs as
# much to build as to run on SQLite)
_CONSULTATION = select(*[s.consultations.c[name] for name in Consultation.__dataclass_fields__]).where(
    s.consultations.c.id == bindparam("consultation_id"))
_LOCKED_AUTHOR = (select(s.participants.c.region, s.participants.c.consultation_id, s.participants.c.verified)
                  .where(s.participants.c.id == bindparam("author_id")).with_for_update())
_SAME_TEXT = select(*[s.proposals.c[name] for name in Proposal.__dataclass_fields__]).where(
    s.proposals.c.consultation_id == bindparam("consultation_id"), s.proposals.c.dedupe_key == bindparam("dedupe_key"))
_WRITTEN_HERE = select(func.count()).where(s.proposals.c.author_id == bindparam("author_id"),
                                           s.proposals.c.consultation_id == bindparam("consultation_id"))
_NEW_PROPOSAL = s.proposals.insert()


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
    """Save a member's (or a seed) proposal, enforcing phase, length, duplicate and per-member limits.

    A proposal is held as pending until an organiser looks when the consultation pre-moderates, and also when
    `moderation.flags` finds abusive language or personal data in it (an email, a phone number, a postcode, a
    name): such text never goes live to every member first and gets flagged afterwards."""
    if tier not in s.TIERS:
        raise StoreError(f"Choose what the proposal is about: one of {', '.join(s.TIERS)}.")
    text = clean_text(body)
    created = now_ms()
    with db.writing(engine) as conn:
        found = conn.execute(_CONSULTATION, {"consultation_id": consultation_id}).first()
        if found is None:
            raise NotFound("That consultation does not exist.")
        consultation = Consultation.from_row(found)
        if consultation.phase not in PROPOSAL_PHASES and not is_seed:
            raise Refused("This consultation is not taking new proposals at the moment.")
        problems = check_proposal_text(text, consultation)
        if problems:
            raise StoreError(" ".join(problems))
        if author_id is not None:
            # the lock on the author's row makes one member's submissions take turns, so a repeated press
            # (or a callback run twice) finds the first one here
            author = conn.execute(_LOCKED_AUTHOR, {"author_id": author_id}).first()
            if author is None or author.consultation_id != consultation_id:
                raise NotFound("You are not registered in this consultation; please join again.")
            if consultation.access == "members" and not author.verified:
                raise Refused(MEMBERS_ONLY_NOW)
            region = region or author.region
        key = dedupe_key(text)
        duplicate = conn.execute(_SAME_TEXT, {"consultation_id": consultation_id, "dedupe_key": key}).first()
        if duplicate is not None:
            if author_id is not None and duplicate.author_id == author_id and duplicate.status in visibility.OWN_STATUSES:
                return Proposal(*duplicate)  # the same member sent the same text again: it is saved once
            if duplicate.status != visibility.PUBLIC_STATUS:
                raise HeldForReview(HELD_MESSAGE)
            raise Refused(
                "This proposal has already been made. Find it in the voting queue and agree with it instead."
            )
        if author_id is not None:
            written = conn.execute(_WRITTEN_HERE, {"author_id": author_id,
                                                   "consultation_id": consultation_id}).scalar_one()
            if written >= consultation.max_proposals_per_participant:
                raise Refused(
                    f"You have reached this consultation's limit of {consultation.max_proposals_per_participant}"
                    " proposals. You can still vote on everyone else's."
                )
        status = "pending" if not is_seed and (consultation.moderation == "pre" or flags(text)) else "published"
        try:
            new_id = conn.execute(_NEW_PROPOSAL, {
                "consultation_id": consultation_id, "author_id": author_id, "region": region, "tier": tier,
                "body": text, "dedupe_key": key, "status": status, "is_seed": is_seed, "created_ms": created,
                "updated_ms": created}).inserted_primary_key[0]
        except IntegrityError as exc:  # a concurrent identical proposal won the race
            raise Refused("This proposal has already been made.") from exc
        if actor:
            audit(conn, consultation_id, actor, "add_seed" if is_seed else "add_proposal", "proposal", new_id)
    return Proposal(new_id, consultation_id, author_id, region, tier, text, status, created)


# read on every run of the propose page: built once
_WRITTEN = select(func.count()).where(s.proposals.c.author_id == bindparam("participant_id"))
_AUTHOR = select(s.proposals.c.author_id).where(s.proposals.c.id == bindparam("proposal_id"),
                                                s.proposals.c.consultation_id == bindparam("consultation_id"))


def proposals_written(engine: Engine, participant_id: int) -> int:
    """How many proposals a member has made (against the per-member limit)."""
    return fetch_rows(engine, _WRITTEN, {"participant_id": participant_id})[0][0]


def proposal_author(engine: Engine, proposal_id: int, consultation_id: int) -> int | None:
    """The participant who wrote a proposal of this consultation, or None (unknown proposal, or no author)."""
    rows = fetch_rows(engine, _AUTHOR, {"proposal_id": proposal_id, "consultation_id": consultation_id})
    return rows[0][0] if rows else None


def get_proposal(engine: Engine, proposal_id: int) -> Proposal:
    """Any proposal, whatever its status: for staff. Member pages use `visibility.visible_proposal`."""
    columns = [s.proposals.c[name] for name in Proposal.__dataclass_fields__]
    with engine.connect() as conn:
        row = conn.execute(select(*columns).where(s.proposals.c.id == proposal_id)).first()
    if row is None:
        raise NotFound(f"There is no proposal {proposal_id}.")
    return Proposal(*row)
