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

from sqlalchemy import Engine

from consult import client_address, membership, storage
from consult.storage import roll, sign_in

FREE_TRIES = 5
MAX_WAIT_SECONDS = 60.0
DAILY_FAILURES_PER_ADDRESS = 100  # a hall of 200 mistyping once or twice each still gets in; a guesser gets 100
OPEN_JOINS_PER_HOUR = 300  # per client address before joins slow down (a hall of 200 on one Wi-Fi is fine)


def verify_wait_after(failures: int) -> float:
    """Seconds to wait after this many failures in a row: none for the first four, then 1, 2, 4 ... up to 60."""
    return 0.0 if failures < FREE_TRIES else min(MAX_WAIT_SECONDS, 2.0 ** (failures - FREE_TRIES))


def daily_wait_after(failures: int) -> float:
    """No wait up to the daily cap, then a day (the key names its day, so the next day starts afresh)."""
    return 0.0 if failures < DAILY_FAILURES_PER_ADDRESS else 86_400.0


def open_wait_after(joins: int) -> float:
    return 0.0 if joins <= OPEN_JOINS_PER_HOUR else min(MAX_WAIT_SECONDS, float(joins - OPEN_JOINS_PER_HOUR))


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
                    consented: bool, client: str | None) -> Joined:
    """The member's participant in `consultation` after checking them against the roll, or Refused."""
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
    participant, already = roll.join_verified(engine, consultation.id, digest, region, local_party,
                                              consented=consented)
    return Joined(participant, already)


def check_open_join(engine: Engine, client: str | None) -> None:
    """Refuse (with how long to wait) when one address has made very many joins in the last hour."""
    key = f"open-join|addr:{client_address.throttle_group(client)}"
    wait = sign_in.reserve_try(engine, key, open_wait_after)
    if wait > 0:
        raise storage.Refused(_wait_message(wait))
