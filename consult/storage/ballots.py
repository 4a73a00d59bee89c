"""Secret ballots: create, open (eligibility fixed from the roll), cast (one member, one paper), close.

The secrecy rule lives in `schema_ballots`: a paper and the record that a member voted are written in one
transaction and share nothing but the ballot. Casting holds a shared lock on the ballot row (PostgreSQL) or the
single writer lock (SQLite), and closing takes it exclusively, so a paper cast while the ballot closes is either in
the count or refused, never half-written. One vote per member is the primary key of `ballot_voters`; a second device
racing the first gets "You have already voted". Papers are read only once the ballot has closed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from consult.storage import db, roll
from consult.storage import schema as s
from consult.storage.audit import audit
from consult.storage.errors import Refused, one
from consult.storage.records import Participant, now_ms
from consult.storage.scopes import Scope, split

MOTION_CHOICES = ("for", "against", "abstain")
RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I: read aloud or copied from a phone


@dataclass(frozen=True)
class Option:
    position: int
    label: str
    cost: int | None
    proposal_id: int | None


@dataclass(frozen=True)
class Ballot:
    id: int
    consultation_id: int
    kind: str
    title: str
    description: str
    status: str
    seats: int
    majority: str
    quorum_share: float | None
    quorum_count: int | None
    budget: int | None
    max_approvals: int | None
    scope_regions: tuple[str, ...]
    scope_local_parties: tuple[str, ...]
    eligible_count: int | None
    seed: int
    meeting: bool
    opens_ms: int | None
    closes_ms: int | None
    options: tuple[Option, ...]

    @property
    def scope_text(self) -> str:
        return Scope(self.scope_regions, self.scope_local_parties).text


def receipt_hash(ballot_id: int, receipt: str) -> str:
    """What is published beside a paper: anyone holding the receipt can recompute it; nobody can reverse it."""
    code = receipt.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(f"consult-ballot-{ballot_id}:{code}".encode()).hexdigest()


def _new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(16))  # 80 bits
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def create_ballot(engine: Engine, consultation_id: int, kind: str, title: str, options: list[tuple], *,
                  description: str = "", seats: int = 1, majority: str = "simple", quorum_share: float | None = None,
                  quorum_count: int | None = None, budget: int | None = None, max_approvals: int | None = None,
                  scope_regions: tuple[str, ...] = (), scope_local_parties: tuple[str, ...] = (),
                  meeting: bool = False, seed: int | None = None, opens_ms: int | None = None,
                  closes_ms: int | None = None, actor: str = "") -> int:
    """A draft ballot. `options`: (label, cost or None, proposal id or None) each; a motion has none.
    `opens_ms` / `closes_ms`: a schedule (the draft opens and closes by itself; see `run_schedule`)."""
    title = (title or "").strip()
    if not title:
        raise Refused("A ballot needs a title: the question or the post being filled.")
    if kind not in s.BALLOT_KINDS:
        raise Refused(f"A ballot is a motion, a preferential ballot or a budget, not {kind!r}.")
    labels = [(str(label).strip(), cost, proposal) for label, cost, proposal in options if str(label).strip()]
    if kind != "motion" and len(labels) < 2:
        raise Refused("Give at least two options to choose between.")
    if len({label.casefold() for label, _, _ in labels}) != len(labels):
        raise Refused("Two options have the same name; members could not tell them apart.")
    if kind == "preferential" and not 1 <= seats < len(labels):
        raise Refused(f"Seats must be at least 1 and fewer than the {len(labels)} options.")
    if kind == "budget":
        if not budget or budget <= 0:
            raise Refused("A budget ballot needs the amount to spend (above zero).")
        if any(cost is None or cost < 0 for _, cost, _ in labels):
            raise Refused("Every project needs a cost of zero or more.")
    if majority not in ("simple", "two-thirds"):
        raise Refused("The majority is simple or two-thirds.")
    if quorum_share is not None and not 0 <= quorum_share <= 1:
        raise Refused("A quorum share is between 0 and 1 (0.1 is a tenth of eligible members).")
    if closes_ms is not None and (closes_ms <= now_ms() or (opens_ms is not None and closes_ms <= opens_ms)):
        raise Refused("The closing time must be in the future and after the opening time.")
    with db.writing(engine) as conn:
        one(conn, select(s.consultations.c.id).where(s.consultations.c.id == consultation_id), "consultation")
        ballot_id = conn.execute(insert(s.ballots).values(
            consultation_id=consultation_id, kind=kind, title=title[:300], description=description.strip(),
            seats=seats if kind == "preferential" else 1, majority=majority, quorum_share=quorum_share,
            quorum_count=quorum_count, budget=budget if kind == "budget" else None,
            max_approvals=max_approvals if kind == "budget" else None,
            scope_regions=",".join(scope_regions), scope_local_parties=",".join(scope_local_parties),
            meeting=int(meeting), seed=secrets.randbelow(10**6) if seed is None else seed, created_by=actor,
            opens_ms=opens_ms, closes_ms=closes_ms,
        )).inserted_primary_key[0]
        if labels:
            conn.execute(insert(s.ballot_options), [
                {"ballot_id": ballot_id, "position": i + 1, "label": label[:500],
                 "cost": cost if kind == "budget" else None, "proposal_id": proposal}
                for i, (label, cost, proposal) in enumerate(labels)])
        audit(conn, consultation_id, actor or "officer", "ballot_created", "ballot", ballot_id, detail=title[:200])
    return ballot_id


def get_ballot(engine: Engine, ballot_id: int) -> Ballot:
    with db.reading(engine) as conn:
        row = one(conn, select(s.ballots).where(s.ballots.c.id == ballot_id), "ballot")
        options = conn.execute(select(s.ballot_options).where(s.ballot_options.c.ballot_id == ballot_id)
                               .order_by(s.ballot_options.c.position)).all()
    return Ballot(row.id, row.consultation_id, row.kind, row.title, row.description, row.status, row.seats,
                  row.majority, row.quorum_share, row.quorum_count, row.budget, row.max_approvals,
                  split(row.scope_regions), split(row.scope_local_parties), row.eligible_count, row.seed,
                  bool(row.meeting), row.opens_ms, row.closes_ms,
                  tuple(Option(o.position, o.label, o.cost, o.proposal_id) for o in options))


def list_ballots(engine: Engine, consultation_id: int, statuses: tuple[str, ...] = s.BALLOT_STATUSES) -> pd.DataFrame:
    """id, kind, title, status, eligible_count, voted: the newest first."""
    voted = (select(s.ballot_voters.c.ballot_id, func.count().label("voted"))
             .group_by(s.ballot_voters.c.ballot_id).subquery())
    query = (select(s.ballots.c.id, s.ballots.c.kind, s.ballots.c.title, s.ballots.c.status,
                    s.ballots.c.eligible_count, s.ballots.c.meeting, func.coalesce(voted.c.voted, 0).label("voted"))
             .select_from(s.ballots.outerjoin(voted, voted.c.ballot_id == s.ballots.c.id))
             .where(s.ballots.c.consultation_id == consultation_id, s.ballots.c.status.in_(statuses))
             .order_by(s.ballots.c.id.desc()))
    with db.reading(engine) as conn:
        return pd.DataFrame(conn.execute(query).all(),
                            columns=["id", "kind", "title", "status", "eligible_count", "meeting", "voted"])


def open_ballot(engine: Engine, ballot_id: int, *, actor: str = "", closes_ms: int | None = None) -> int:
    """Fix who may vote (the roll's members in scope, now) and open. Returns the number eligible."""
    ballot = get_ballot(engine, ballot_id)
    if ballot.status != "draft":
        raise Refused("This ballot has already been opened.")
    closes_ms = closes_ms if closes_ms is not None else ballot.closes_ms
    if closes_ms is not None and closes_ms <= now_ms():
        raise Refused("The closing time has already passed: choose a time in the future.")
    query = select(s.members.c.number_hash)
    if ballot.scope_regions:
        query = query.where(s.members.c.region.in_(ballot.scope_regions))
    if ballot.scope_local_parties:
        query = query.where(s.members.c.local_party.in_(ballot.scope_local_parties))
    with db.writing(engine) as conn:
        numbers = list(conn.execute(query).scalars())
        if not numbers:
            raise Refused("No member on the roll is in this ballot's scope: load the membership roll, or widen "
                          "the scope. Ballots are for verified members only.")
        keys = [(ballot_id, roll.member_key(ballot.consultation_id, number)) for number in numbers]
        db.bulk_insert(conn, s.ballot_eligible, ["ballot_id", "member_key"], keys)
        changed = conn.execute(update(s.ballots).where(s.ballots.c.id == ballot_id, s.ballots.c.status == "draft")
                               .values(status="open", eligible_count=len(keys), opened_ms=now_ms(),
                                       closes_ms=closes_ms)).rowcount
        if not changed:
            raise Refused("This ballot has already been opened.")
        audit(conn, ballot.consultation_id, actor or "officer", "ballot_opened", "ballot", ballot_id,
              detail=f"{len(keys)} eligible ({ballot.scope_text})")
    return len(keys)


def close_ballot(engine: Engine, ballot_id: int, *, actor: str = "") -> None:
    with db.writing(engine) as conn:
        row = one(conn, select(s.ballots.c.status, s.ballots.c.consultation_id)
                  .where(s.ballots.c.id == ballot_id).with_for_update(), "ballot")
        if row.status != "open":
            raise Refused("Only an open ballot can be closed.")
        conn.execute(update(s.ballots).where(s.ballots.c.id == ballot_id).values(status="closed", closed_ms=now_ms()))
        audit(conn, row.consultation_id, actor or "officer", "ballot_closed", "ballot", ballot_id)


def run_schedule(engine: Engine, consultation_id: int) -> int:
    """Open the drafts whose opening time has come and close the open ballots whose closing time has passed.
    Pages and the CLI call this before showing ballots (casting refuses after the closing time anyway, so a page
    that is late to call it changes nothing). Returns how many ballots changed."""
    with db.reading(engine) as conn:
        starting = list(conn.execute(select(s.ballots.c.id).where(
            s.ballots.c.consultation_id == consultation_id, s.ballots.c.status == "draft",
            s.ballots.c.opens_ms.is_not(None), s.ballots.c.opens_ms <= now_ms())).scalars())
    opened = 0
    for ballot_id in starting:
        try:
            open_ballot(engine, ballot_id, actor="schedule")
            opened += 1
        except Refused:
            pass  # already opened by another server, or nobody in scope (the officer sees it still a draft)
    with db.writing(engine) as conn:
        due = list(conn.execute(select(s.ballots.c.id).where(
            s.ballots.c.consultation_id == consultation_id, s.ballots.c.status == "open",
            s.ballots.c.closes_ms.is_not(None), s.ballots.c.closes_ms <= now_ms())).scalars())
        for ballot_id in due:
            conn.execute(update(s.ballots).where(s.ballots.c.id == ballot_id, s.ballots.c.status == "open")
                         .values(status="closed", closed_ms=now_ms()))
            audit(conn, consultation_id, "schedule", "ballot_closed", "ballot", ballot_id, detail="closing time")
    return opened + len(due)


def meeting_ballot(engine: Engine, consultation_id: int) -> int | None:
    """The ballot the presenter shows: the newest meeting ballot that is open, else the newest closed one."""
    with db.reading(engine) as conn:
        rows = conn.execute(select(s.ballots.c.id, s.ballots.c.status).where(
            s.ballots.c.consultation_id == consultation_id, s.ballots.c.meeting == 1,
            s.ballots.c.status.in_(("open", "closed"))).order_by(s.ballots.c.id.desc())).all()
    for wanted in ("open", "closed"):
        for row in rows:
            if row.status == wanted:
                return int(row.id)
    return None


def _check_marks(ballot: Ballot, marks: list | str) -> str:
    positions = {o.position for o in ballot.options}
    if ballot.kind == "motion":
        if marks not in MOTION_CHOICES:
            raise Refused("Choose for, against or abstain.")
        return str(marks)
    chosen = [int(m) for m in marks]
    if not chosen:
        raise Refused("Mark at least one option." if ballot.kind == "budget" else "Number at least one option.")
    if len(set(chosen)) != len(chosen) or not set(chosen) <= positions:
        raise Refused("Each option can be numbered once; please check your numbers.")
    if ballot.kind == "budget":
        if ballot.max_approvals and len(chosen) > ballot.max_approvals:
            raise Refused(f"You can back at most {ballot.max_approvals} projects.")
        chosen = sorted(chosen)
    return ",".join(str(c) for c in chosen)


def cast(engine: Engine, ballot_id: int, participant: Participant, marks: list | str) -> str:
    """Record one paper and that this member voted, in one transaction. Returns the receipt code (shown once)."""
    ballot = get_ballot(engine, ballot_id)
    paper = _check_marks(ballot, marks)
    receipt = _new_receipt()
    with db.writing(engine) as conn:
        row = one(conn, select(s.ballots.c.status, s.ballots.c.closes_ms).where(s.ballots.c.id == ballot_id)
                  .with_for_update(read=True), "ballot")
        state = "closed" if row.closes_ms is not None and now_ms() >= row.closes_ms else row.status
        if state != "open":
            raise Refused("This ballot is closed; your vote was not recorded." if state == "closed"
                          else "This ballot has not opened yet.")
        member = conn.execute(select(s.participants.c.member_key, s.participants.c.region,
                                     s.participants.c.constituency)
                              .where(s.participants.c.id == participant.id,
                                     s.participants.c.consultation_id == ballot.consultation_id)).first()
        if member is None or not member.member_key:
            raise Refused("Ballots are for verified members: join with your membership number to vote.")
        eligible = conn.execute(select(s.ballot_eligible.c.member_key).where(
            s.ballot_eligible.c.ballot_id == ballot_id, s.ballot_eligible.c.member_key == member.member_key)).first()
        if eligible is None:
            raise Refused(f"This ballot is for members in {ballot.scope_text} on the roll when it opened.")
        try:
            with conn.begin_nested():
                conn.execute(insert(s.ballot_voters).values(ballot_id=ballot_id, member_key=member.member_key))
        except IntegrityError:
            raise Refused("You have already voted in this ballot; a vote cannot be changed.") from None
        conn.execute(insert(s.ballot_papers).values(
            ballot_id=ballot_id, receipt_hash=receipt_hash(ballot_id, receipt), marks=paper, region=member.region,
            local_party=member.constituency, cast_day=dt.datetime.now(dt.UTC).date().isoformat()))
    return receipt


def has_voted(engine: Engine, ballot_id: int, participant_id: int) -> bool:
    with db.reading(engine) as conn:
        key = conn.execute(select(s.participants.c.member_key).where(s.participants.c.id == participant_id)).scalar()
        if not key:
            return False
        return conn.execute(select(s.ballot_voters.c.member_key).where(
            s.ballot_voters.c.ballot_id == ballot_id, s.ballot_voters.c.member_key == key)).first() is not None


def turnout(engine: Engine, ballot_id: int) -> tuple[int, int]:
    """(voted, eligible): what officers and the room see while a ballot is open."""
    with db.reading(engine) as conn:
        voted = conn.execute(select(func.count()).select_from(s.ballot_voters)
                             .where(s.ballot_voters.c.ballot_id == ballot_id)).scalar_one()
        eligible = conn.execute(select(s.ballots.c.eligible_count).where(s.ballots.c.id == ballot_id)).scalar()
    return int(voted), int(eligible or 0)


def papers(engine: Engine, ballot_id: int) -> pd.DataFrame:
    """receipt_hash, marks, region, local_party of every paper, in receipt-hash order; only after close."""
    ballot = get_ballot(engine, ballot_id)
    if ballot.status != "closed":
        raise Refused("Papers are counted and published only after the ballot closes.")
    with db.reading(engine) as conn:
        rows = conn.execute(select(s.ballot_papers.c.receipt_hash, s.ballot_papers.c.marks,
                                   s.ballot_papers.c.region, s.ballot_papers.c.local_party)
                            .where(s.ballot_papers.c.ballot_id == ballot_id)
                            .order_by(s.ballot_papers.c.receipt_hash)).all()
    return pd.DataFrame(rows, columns=["receipt_hash", "marks", "region", "local_party"])


def find_receipt(engine: Engine, ballot_id: int, receipt: str) -> str | None:
    """The marks on the paper with this receipt, once the ballot has closed (None when no paper has it)."""
    if get_ballot(engine, ballot_id).status != "closed":
        raise Refused("Receipts can be checked once the ballot has closed.")
    with db.reading(engine) as conn:
        return conn.execute(select(s.ballot_papers.c.marks).where(
            s.ballot_papers.c.ballot_id == ballot_id,
            s.ballot_papers.c.receipt_hash == receipt_hash(ballot_id, receipt))).scalar()
