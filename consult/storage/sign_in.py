"""Staff sign-in records shared by every app server: attempts per (account, client address), upgraded hashes.

A try is *reserved* before the password is checked: in one transaction the key's row is locked, a wait still
running refuses the try, and otherwise the try is counted as a failure in advance (a right password clears
it afterwards). Parallel guesses therefore take turns and cannot all slip through before the first is counted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlalchemy import Engine, bindparam, delete, select

from consult.storage import db
from consult.storage import schema as s
from consult.storage.plain_reads import fetch_rows
from consult.storage.records import now_ms

IDLE_ROWS_KEPT_MS = 3_600_000  # a key with no try for an hour is forgotten once its wait is over
DAY_ROWS_KEPT_MS = 2 * 86_400_000  # daily counts ("...|day:YYYY-MM-DD") are kept until their day is long over
DAY_KEY_MARK = "|day:"



def doubling_wait(failures: int, free: int, cap_seconds: float) -> float:
    """The one back-off rule every throttle uses: no wait for the first `free` failures in a row, then 1, 2, 4 ...
    seconds, never more than `cap_seconds`."""
    return 0.0 if failures <= free else min(cap_seconds, 2.0 ** (failures - free - 1))

def _placeholder_row(stmt) -> dict:
    return {"key": stmt.excluded.key}  # a no-op update: the row exists, and the lock below does the work


FORGET_EVERY_MS = 60_000  # the clear-out below scans the table: once a minute per process, not on every try
_last_forgotten_ms = [0]


def _forget_idle_rows(conn, stamp: int) -> None:
    if 0 <= stamp - _last_forgotten_ms[0] < FORGET_EVERY_MS:
        return
    _last_forgotten_ms[0] = stamp
    t = s.sign_in_throttle
    daily = t.c.key.contains(DAY_KEY_MARK, autoescape=True)
    conn.execute(delete(t).where(t.c.last_ms < stamp - IDLE_ROWS_KEPT_MS, t.c.next_try_ms <= stamp, ~daily))
    conn.execute(delete(t).where(t.c.last_ms < stamp - DAY_ROWS_KEPT_MS, daily))


# every join and every first vote of an open joiner reserves a try: built once
_LOCKED_ROW = (select(s.sign_in_throttle.c.failures, s.sign_in_throttle.c.next_try_ms)
               .where(s.sign_in_throttle.c.key == bindparam("key")).with_for_update())
_COUNT_TRY = (s.sign_in_throttle.update().where(s.sign_in_throttle.c.key == bindparam("row_key"))
              .values(failures=bindparam("failures"), next_try_ms=bindparam("next_try_ms"),
                      last_ms=bindparam("last_ms")))
_TOUCH = (s.sign_in_throttle.update().where(s.sign_in_throttle.c.key == bindparam("row_key"))
          .values(last_ms=bindparam("last_ms")))


def reserve_try(engine: Engine, key: str, wait_after: Callable[[int], float], *,
                clock: Callable[[], int] = now_ms) -> float:
    """Seconds before `key` may try again (the try is refused), or 0.0 when it may try now (and it is counted).

    `wait_after(failures)` is the policy: seconds to wait after that many failures in a row. The clock (`clock()`,
    milliseconds) is read only once the key's row is locked: read before, a try that waited for the lock would
    compare an older time with the wait its predecessor just set, and be refused for a wait of a few milliseconds
    (20 of 40 simultaneous joins from one hall were).
    """
    t = s.sign_in_throttle
    with db.writing(engine) as conn:
        _forget_idle_rows(conn, clock())
        conn.execute(db.upsert(conn, t, ("key",), _placeholder_row),
                     [{"key": key, "failures": 0, "next_try_ms": 0, "last_ms": clock()}])
        row = conn.execute(_LOCKED_ROW, {"key": key}).one()
        stamp = clock()
        if row.next_try_ms > stamp:
            conn.execute(_TOUCH, {"row_key": key, "last_ms": stamp})
            return (row.next_try_ms - stamp) / 1000
        failures = row.failures + 1
        conn.execute(_COUNT_TRY, {"row_key": key, "failures": failures,
                                  "next_try_ms": stamp + int(wait_after(failures) * 1000), "last_ms": stamp})
    return 0.0


def wait_left(engine: Engine, key: str, stamp: int) -> float:
    """Seconds `key` must still wait at `stamp` (ms), without counting a try or adding a row."""
    t = s.sign_in_throttle
    with engine.connect() as conn:
        next_try = conn.execute(select(t.c.next_try_ms).where(t.c.key == key)).scalar()
    return max(0.0, ((next_try or 0) - stamp) / 1000)


def refund_try(engine: Engine, key: str, wait_after: Callable[[int], float]) -> None:
    """A try reserved under `key` turned out right: it no longer counts, but earlier failures still do.

    Unlike `clear`, this never wipes failures that other tries (another membership number from the same address,
    say) ran up, so a right answer cannot be used to reset a guesser's count.
    """
    t = s.sign_in_throttle
    with db.writing(engine) as conn:
        row = conn.execute(select(t.c.failures, t.c.last_ms).where(t.c.key == key).with_for_update()).first()
        if row is None or row.failures == 0:
            return
        failures = row.failures - 1
        conn.execute(t.update().where(t.c.key == key).values(
            failures=failures, next_try_ms=row.last_ms + int(wait_after(failures) * 1000)))


def count(engine: Engine, key: str) -> int:
    """How many tries `key` has counted (0 for a key never seen or forgotten)."""
    rows = fetch_rows(engine, _FAILURES, {"key": key})
    return int(rows[0][0] or 0) if rows else 0


_FAILURES = select(s.sign_in_throttle.c.failures).where(s.sign_in_throttle.c.key == bindparam("key"))


def counts_by_prefix(engine: Engine, prefix: str) -> dict[str, int]:
    """Counts of every key starting with `prefix`, by the rest of the key."""
    t = s.sign_in_throttle
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.key, t.c.failures).where(t.c.key.startswith(prefix, autoescape=True))).all()
    return {row.key[len(prefix):]: int(row.failures) for row in rows}


def clear(engine: Engine, key: str) -> None:
    """A right password: the key starts afresh."""
    with db.writing(engine) as conn:
        conn.execute(delete(s.sign_in_throttle).where(s.sign_in_throttle.c.key == key))


def fingerprint(configured_hash: str) -> str:
    return hashlib.sha256(configured_hash.encode()).hexdigest()


def upgraded_hash(engine: Engine, name: str, configured_hash: str) -> str | None:
    """The argon2id hash made at an earlier sign-in from this configured hash, if the configuration is unchanged."""
    t = s.staff_password_upgrades
    with engine.connect() as conn:
        row = conn.execute(select(t.c.configured_fingerprint, t.c.password_hash).where(t.c.name == name)).first()
    if row is None or row.configured_fingerprint != fingerprint(configured_hash):
        return None
    return row.password_hash


def _replace_hash(stmt) -> dict:
    return {"configured_fingerprint": stmt.excluded.configured_fingerprint,
            "password_hash": stmt.excluded.password_hash, "updated_ms": stmt.excluded.updated_ms}


def save_upgraded_hash(engine: Engine, name: str, configured_hash: str, new_hash: str) -> None:
    t = s.staff_password_upgrades
    with db.writing(engine) as conn:
        conn.execute(db.upsert(conn, t, ("name",), _replace_hash), [{
            "name": name[:120], "configured_fingerprint": fingerprint(configured_hash), "password_hash": new_hash,
            "updated_ms": now_ms()}])
