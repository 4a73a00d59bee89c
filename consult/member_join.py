"""Joining as a verified member (membership number + verifier against the roll), and the join throttles.

The answer to a wrong verifier and to an unknown number is the same message after the same work, so nobody can
find out who is a member. Tries are throttled per client address and per membership number: after five failures in
a row, a wait that doubles up to a minute (a member who mistypes a few times is never locked out for long). Open joins
are throttled per address too, generously, as a whole meeting may share one venue's Wi-Fi.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Engine

from consult import membership, storage
from consult.storage import roll, sign_in

FREE_TRIES = 5
MAX_WAIT_SECONDS = 60.0
OPEN_JOINS_PER_HOUR = 300  # per client address before joins slow down (a hall of 200 on one Wi-Fi is fine)


def verify_wait_after(failures: int) -> float:
    """Seconds to wait after this many failures in a row: none for the first four, then 1, 2, 4 ... up to 60."""
    return 0.0 if failures < FREE_TRIES else min(MAX_WAIT_SECONDS, 2.0 ** (failures - FREE_TRIES))


def open_wait_after(joins: int) -> float:
    return 0.0 if joins <= OPEN_JOINS_PER_HOUR else min(MAX_WAIT_SECONDS, float(joins - OPEN_JOINS_PER_HOUR))


def not_verified_message(label: str) -> str:
    return (f"We could not match that membership number and {label.lower()}. Check both (as on your membership "
            "card or renewal email) and try again.")


def _wait_message(seconds: float) -> str:
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
    throttle_keys = [f"member-join|addr:{(client or 'local')[:64]}", f"member-join|number:{digest[:40]}"]
    for key in throttle_keys:
        wait = sign_in.reserve_try(engine, key, verify_wait_after)
        if wait > 0:
            raise storage.Refused(_wait_message(wait))
    found = roll.find_member(engine, digest, membership.verifier_hash(digest, verifier,
                                                                      verifier_kind(summary.verifier_label)))
    if found is None:
        raise storage.Refused(not_verified_message(summary.verifier_label))
    for key in throttle_keys:
        sign_in.clear(engine, key)
    region, local_party = found
    participant, already = roll.join_verified(engine, consultation.id, digest, region, local_party,
                                              consented=consented)
    return Joined(participant, already)


def check_open_join(engine: Engine, client: str | None) -> None:
    """Refuse (with how long to wait) when one address has made very many joins in the last hour."""
    wait = sign_in.reserve_try(engine, f"open-join|addr:{(client or 'local')[:64]}", open_wait_after)
    if wait > 0:
        raise storage.Refused(_wait_message(wait))
