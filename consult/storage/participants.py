"""Participants: registering a member in a consultation, and finding them again by their browser's token."""

from __future__ import annotations

import secrets

from sqlalchemy import ColumnElement, Engine, or_, select
from sqlalchemy.exc import IntegrityError

from consult import regions
from consult.storage import db
from consult.storage import schema as s
from consult.storage.errors import NotFound, Refused, StoreError, integrity_reason, retry_on_disconnect
from consult.storage.records import Participant, now_ms
from consult.storage.scopes import Scope
from consult.text.cleaning import clean_text

MEMBERS_ONLY_NOW = ("This consultation is now for verified party members: verify with your membership number on the "
                    "join page to keep taking part.")


def participant_counts() -> ColumnElement[bool]:
    """The one rule for whose votes and proposals count: everyone's, except that in a members-only consultation
    only verified members count (a consultation switched to members-only mid-way stops counting the unverified
    participants who joined before). The SQL condition needs `participants` and `consultations` in the query."""
    return or_(s.participants.c.verified.is_(True), s.consultations.c.access != "members")


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
            found = conn.execute(
                select(s.consultations.c.access, s.consultations.c.scope_regions,
                       s.consultations.c.scope_local_parties).where(s.consultations.c.id == consultation_id)
            ).first()
            if found is None:
                raise NotFound(f"There is no consultation {consultation_id}.")
            if found.access == "members" and not verified:
                raise Refused("This consultation is for party members: join with your membership number.")
            scope = Scope.stored(found.scope_regions, found.scope_local_parties)
            if not scope.admits(region, constituency):
                raise Refused(scope.refusal(region, constituency, from_roll=False))
            new_id = conn.execute(
                s.participants.insert().values(
                    consultation_id=consultation_id, token=token, region=region, constituency=constituency,
                    verified=verified, channel=channel, external_id=external_id,
                    consented_ms=created, created_ms=created,
                )
            ).inserted_primary_key[0]
    except IntegrityError as exc:
        raise StoreError(f"Could not register the participant: {integrity_reason(exc)}") from exc
    return Participant(new_id, consultation_id, token, region, constituency, verified, channel)


def participant_by_token(engine: Engine, token: str) -> Participant | None:
    """The participant a browser's token belongs to, or None for an unknown token."""
    if not token or len(token) > 64:
        return None
    columns = [s.participants.c[name] for name in Participant.__dataclass_fields__]
    with engine.connect() as conn:
        row = conn.execute(select(*columns).where(s.participants.c.token == token)).first()
    return None if row is None else Participant(*row)
