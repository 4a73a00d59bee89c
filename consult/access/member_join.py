"""Joining as a verified member (membership number + verifier against the roll), and the join throttles.

The answer to a wrong verifier and to an unknown number is the same message after the same work, so nobody can
find out who is a member. Tries are throttled per client address and per membership number: after five failures, a
wait that doubles up to a minute (a member who mistypes a few times is never locked out for long), and at most
`DAILY_FAILURES_PER_ADDRESS` failures from one address in a day. A right answer takes back only its own try: the
failures other numbers ran up from the same address still count, so a member cannot alternate guesses with their
own number and postcode to keep the count at zero. Open joins are throttled per address too, generously, as a whole
meeting may share one venue's Wi-Fi. Addresses are grouped as `client_address.throttle_group` says (IPv6 by /64).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine

from consult import keys, storage
from consult.access import client_address
from consult.access import roll_file as membership
from consult.storage import roll, sign_in

FREE_TRIES = 5  # tries in a row answered at once; after the fifth failure the next waits 1 s, then 2, 4 ...
MAX_WAIT_SECONDS = 60.0
DAILY_FAILURES_PER_ADDRESS = 100  # a hall of 200 mistyping once or twice each still gets in; a guesser gets 100
# Open joins per network and consultation: the first OPEN_JOINS_FREE come at once, and every participant from that
# network who goes on to vote earns JOINS_PER_ACTIVE more. A hall on one Wi-Fi votes as it joins, so its allowance
# grows with it; a script that makes participants and never votes stops at OPEN_JOINS_FREE, then waits.
OPEN_JOINS_FREE = 100
JOINS_PER_ACTIVE = 2
OPEN_JOINS_CAP = 2_000


def verify_wait_after(failures: int) -> float:
    """Seconds to wait after this many failures in a row: none for the first four, then 1, 2, 4 ... up to 60."""
    return sign_in.doubling_wait(failures, FREE_TRIES - 1, MAX_WAIT_SECONDS)


def daily_wait_after(failures: int) -> float:
    """No wait up to the daily cap, then a day (the key names its day, so the next day starts afresh)."""
    return 0.0 if failures < DAILY_FAILURES_PER_ADDRESS else 86_400.0


def open_allowance(active: int) -> int:
    return min(OPEN_JOINS_CAP, OPEN_JOINS_FREE + JOINS_PER_ACTIVE * active)


def open_wait_after(joins: int, active: int = 0) -> float:
    """Seconds to wait after this many open joins from one network, of which `active` went on to vote."""
    allowance = open_allowance(active)
    return 0.0 if joins <= allowance else min(MAX_WAIT_SECONDS, float(joins - allowance))


def not_verified_message(label: str) -> str:
    return (f"We could not match that membership number and {label.lower()}. Check both (as on your membership "
            "card or renewal email) and try again.")


def _wait_message(seconds: float) -> str:
    if seconds > 3600:
        return ("Too many unsuccessful tries from this network today. Please try again tomorrow, or ask the "
                "organisers to check your membership details.")
    return f"Too many tries from here. Please wait {math.ceil(seconds)} seconds and try again."


@dataclass(frozen=True)
class Joined:
    participant: storage.Participant
    already_joined: bool  # the member had joined before (another device): the same participant, not a new one


def verifier_kind(label: str) -> str:
    return {v: k for k, v in membership.VERIFIER_KINDS.items()}.get(label, "other")


def verify_and_join(engine: Engine, consultation: storage.Consultation, number: str, verifier: str, *,
                    consented: bool, client: str | None,
                    current: storage.Participant | None = None) -> Joined:
    """The member's participant in `consultation` after checking them against the roll, or Refused.

    `current`: the participant this browser already has. An unverified one in this consultation (a supporter in
    a mixed consultation who turns out to be a member) becomes the verified participant; if the member had
    already verified elsewhere, the supporter's participation is erased instead, so one person never counts
    twice from one browser."""
    summary = roll.roll_summary(engine)
    if summary is None:
        raise storage.Refused("No membership list has been loaded yet, so members cannot be checked. Please tell "
                              "the organisers.")
    if not membership.normalise_number(number) or not str(verifier or "").strip():
        raise storage.Refused(f"Enter your membership number and your {summary.verifier_label.lower()}.")
    digest = membership.number_hash(number)
    address = client_address.throttle_group(client)
    day = datetime.now(tz=UTC).date().isoformat()
    throttle_keys = [(f"member-join|addr:{address}", verify_wait_after),
                     (f"member-join|number:{digest[:40]}", verify_wait_after),
                     (f"member-join{sign_in.DAY_KEY_MARK}{day}|addr:{address}", daily_wait_after)]
    for key, policy in throttle_keys:
        wait = sign_in.reserve_try(engine, key, policy)
        if wait > 0:
            raise storage.Refused(_wait_message(wait))
    found = roll.find_member(engine, digest, membership.verifier_hash(digest, verifier,
                                                                      verifier_kind(summary.verifier_label)))
    if found is None:
        raise storage.Refused(not_verified_message(summary.verifier_label))
    for key, policy in throttle_keys:  # this try was right: it no longer counts, and nothing else is wiped
        sign_in.refund_try(engine, key, policy)
    region, local_party = found
    supporter = (current.id if current is not None and not current.verified
                 and current.consultation_id == consultation.id else None)
    participant, already = roll.join_verified(engine, consultation.id, digest, region, local_party,
                                              consented=consented, upgrade_from=supporter)
    if supporter is not None and participant.id != supporter:
        from consult.storage import erasure

        erasure.erase_participant(engine, supporter, actor="member (verified on the same device)",
                                  reason="replaced by the member's verified participation")
    return Joined(participant, already)


def _open_keys(consultation_id: int, client: str | None) -> tuple[str, str]:
    network = client_address.throttle_group(client)
    return f"open-join|c:{consultation_id}|addr:{network}", f"open-active|c:{consultation_id}|addr:{network}"


def check_open_join(engine: Engine, client: str | None, consultation_id: int) -> None:
    """Refuse (with how long to wait) when one network has made more open joins to this consultation than its
    allowance (which grows with how many of them took part)."""
    joins_key, active_key = _open_keys(consultation_id, client)
    active = sign_in.count(engine, active_key)
    wait = sign_in.reserve_try(engine, joins_key, lambda joins: open_wait_after(joins, active))
    if wait > 0:
        raise storage.Refused(_wait_message(wait))


def note_taking_part(engine: Engine, consultation_id: int, client: str | None) -> None:
    """A participant who joined openly from `client` cast their first vote: their network earns more joins."""
    sign_in.reserve_try(engine, _open_keys(consultation_id, client)[1], lambda _: 0.0)


def open_joins_by_network(engine: Engine, consultation_id: int) -> pd.DataFrame:
    """Open joins to this consultation per network over the last hour or so, for officers: a pseudonym of the
    network (never the address), joins, how many went on to vote, and the allowance now. Most joins first."""
    prefix = f"open-join|c:{consultation_id}|addr:"
    joins = sign_in.counts_by_prefix(engine, prefix)
    active = sign_in.counts_by_prefix(engine, f"open-active|c:{consultation_id}|addr:")
    rows = [{"network": "N-" + keys.keyed_hash("network", network)[:8], "joins": n,
             "took_part": int(active.get(network, 0)), "allowance": open_allowance(int(active.get(network, 0)))}
            for network, n in joins.items()]
    frame = pd.DataFrame(rows, columns=["network", "joins", "took_part", "allowance"])
    return frame.sort_values("joins", ascending=False, kind="stable").reset_index(drop=True)
