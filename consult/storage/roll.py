"""The membership roll in the database: replace it in one transaction, find a member for verification, and
register a verified member as the one participant they are in a consultation.

Verification answers the same way, in about the same time, for an unknown number and a wrong verifier (a
verifier hash is always compared, against a dummy when the number is unknown), so the roll cannot be
enumerated; tries are throttled per client address and per membership number (`storage.sign_in` rows).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, delete, func, select, update

from consult import keys, regions
from consult.storage import changes, db, tallies
from consult.storage import schema as s
from consult.storage.audit import audit
from consult.storage.baselines import MEMBERSHIP
from consult.storage.errors import NotFound, Refused, StoreError
from consult.storage.records import Participant, now_ms
from consult.storage.scopes import Scope

_DUMMY = "0" * 64


@dataclass(frozen=True)
class RollSummary:
    members: int
    verifier_label: str
    loaded_ms: int
    source_name: str


def replace_roll(engine: Engine, rows: pd.DataFrame, *, verifier_label: str, source_name: str = "",
                 actor: str, allow_shrink: bool = False) -> int:
    """Replace the whole roll with `rows` (number_hash, verifier_hash, region, local_party, branch) and the
    membership baseline with its counts by region, in one transaction. Participants stay linked: their link is a
    keyed hash of the (stable) membership number, not a row of this table.

    A file that would remove more than half of the current roll (a one-row test file, an extract of one region) is
    refused unless `allow_shrink` says it is meant: members left off the roll can no longer verify."""
    columns = ["number_hash", "verifier_hash", "region", "local_party", "branch"]
    frame = rows[columns].astype(object)
    records = list(zip(*(frame[c].where(frame[c].notna(), None).tolist() for c in columns), strict=True))
    counts = rows["region"].value_counts()
    with db.writing(engine) as conn:
        current = conn.execute(select(func.count()).select_from(s.members)).scalar_one()
        if not allow_shrink and len(records) < current / 2:
            raise StoreError(f"This file has {len(records):,} members and the current list has {current:,}: loading "
                             "it would remove more than half of the list, so nothing was changed. If that is what "
                             "you mean, load it again with 'replace even if much smaller' (CLI: --replace).")
        conn.execute(delete(s.members))
        db.bulk_insert(conn, s.members, columns, records)
        conn.execute(delete(s.roll_info))
        conn.execute(s.roll_info.insert().values(id=1, verifier_label=verifier_label[:40], members=len(records),
                                                 source_name=source_name[:200], loaded_ms=now_ms()))
        conn.execute(delete(s.baselines).where(s.baselines.c.name == MEMBERSHIP))
        conn.execute(s.baselines.insert(), [
            {"name": MEMBERSHIP, "region": code, "count": float(counts.get(code, 0)),
             "source": f"membership roll ({len(records):,} members)"} for code in regions.region_codes()])
        audit(conn, None, actor, "load_roll", detail=f"{len(records)} members from {source_name[:100]}")
    return len(records)


def roll_summary(engine: Engine) -> RollSummary | None:
    with engine.connect() as conn:
        row = conn.execute(select(s.roll_info)).first()
    return None if row is None else RollSummary(row.members, row.verifier_label, row.loaded_ms, row.source_name)


def members_by_region(engine: Engine) -> pd.Series:
    """Members on the roll per region code (empty when no roll is loaded)."""
    with engine.connect() as conn:
        rows = conn.execute(select(s.members.c.region, func.count()).group_by(s.members.c.region)).all()
    return pd.Series(dict(rows), dtype="int64").rename_axis("region")


def local_parties(engine: Engine) -> list[str]:
    """The local parties the roll names, sorted (for choosing a ballot's scope)."""
    with engine.connect() as conn:
        return sorted(conn.execute(select(s.members.c.local_party).where(s.members.c.local_party.is_not(None))
                                   .distinct()).scalars())


def find_member(engine: Engine, number_digest: str, verifier_digest: str) -> tuple[str, str | None] | None:
    """(region, local party) when the number is on the roll and the verifier matches; else None, after the same
    work either way (one primary-key read and one constant-time comparison)."""
    with engine.connect() as conn:
        row = conn.execute(select(s.members.c.verifier_hash, s.members.c.region, s.members.c.local_party)
                           .where(s.members.c.number_hash == number_digest)).first()
    stored = row.verifier_hash if row is not None else _DUMMY
    matches = hmac.compare_digest(stored.encode(), verifier_digest.encode())
    return (row.region, row.local_party) if row is not None and matches else None


def member_key(consultation_id: int, number_digest: str) -> str:
    return keys.keyed_hash("participant-member", consultation_id, number_digest)


def join_verified(engine: Engine, consultation_id: int, number_digest: str, region: str,
                  local_party: str | None, *, consented: bool,
                  upgrade_from: int | None = None) -> tuple[Participant, bool]:
    """The member's participant in this consultation: the existing one (another device, a second try) or a new
    one with the roll's region, verified. Returns (participant, already_joined).

    `upgrade_from`: the unverified participant this browser already has here (a mixed consultation, where they
    joined as a supporter first). With no verified participant yet, that one becomes the verified one, votes and
    all, with the roll's region, so one person does not take part twice."""
    if not consented:
        raise Refused("Please accept the privacy notice to take part.")
    key = member_key(consultation_id, number_digest)
    columns = [s.participants.c[name] for name in Participant.__dataclass_fields__]
    stamp = now_ms()
    with db.writing(engine) as conn:
        found = conn.execute(select(s.consultations.c.scope_regions, s.consultations.c.scope_local_parties)
                             .where(s.consultations.c.id == consultation_id)).first()
        if found is None:
            raise NotFound(f"There is no consultation {consultation_id}.")
        scope = Scope.stored(found.scope_regions, found.scope_local_parties)
        if not scope.admits(region, local_party):
            raise Refused(scope.refusal(region, local_party, from_roll=True))
        existing = conn.execute(select(*columns).where(s.participants.c.consultation_id == consultation_id,
                                                       s.participants.c.member_key == key)).first()
        if existing is not None:
            return Participant(*existing), True
        if upgrade_from is not None:
            upgraded = conn.execute(
                update(s.participants).where(s.participants.c.id == upgrade_from,
                                             s.participants.c.consultation_id == consultation_id,
                                             s.participants.c.verified.is_(False))
                .values(verified=True, member_key=key, region=region, constituency=local_party)).rowcount
            if upgraded:
                # their proposals carry the region they gave; their votes count under the roll's region now
                conn.execute(update(s.proposals).where(s.proposals.c.author_id == upgrade_from)
                             .values(region=region))
                voted = list(conn.execute(select(s.votes.c.proposal_id)
                                          .where(s.votes.c.participant_id == upgrade_from)).scalars())
                if voted:
                    tallies.rebuild(conn, consultation_id, voted)
                changes.bump(conn, consultation_id)
                row = conn.execute(select(*columns).where(s.participants.c.id == upgrade_from)).one()
                return Participant(*row), False
        token = secrets.token_urlsafe(12)
        new_id = conn.execute(s.participants.insert().values(
            consultation_id=consultation_id, token=token, region=region, constituency=local_party, verified=True,
            channel="online", member_key=key, consented_ms=stamp, created_ms=stamp)).inserted_primary_key[0]
    return Participant(new_id, consultation_id, token, region, local_party, True, "online"), False
