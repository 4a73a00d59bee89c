"""Staff sign-in: argon2id password hashes, a throttle per account and client address, idle expiry, audit.

Hashes are argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile). Older `scrypt$` hashes from
`consult hash-password` still verify, at any cost parameter, and are upgraded at the next right sign-in: the
app cannot rewrite secrets, so the argon2id hash is kept in the database for as long as the configured hash
stays the one it was made from (`storage.sign_in`).

Throttle: each (name typed, client address) gets 3 free tries; after that every failure doubles the wait, from
1 s up to `MAX_WAIT_SECONDS`. A guesser elsewhere never delays the right password from another address, and
from the same address it waits at most `MAX_WAIT_SECONDS`. Names that are accounts and names that are not are
counted alike (a separate count for made-up names let a guesser tell which names exist from when the waits began);
names are stored only as hashes, since people type passwords into the name field. Each address also has a wider
budget across all names (`ADDRESS_FREE_TRIES`), so inventing names buys no extra guesses and adds few rows.

Password hashing (argon2id, 64 MiB each) runs behind `HASHING`: at most two at a time, a short queue, and
"try again" at once beyond it, so forty sign-ins at once cannot take the server's memory.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import math
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine

from consult.storage import db
from consult.storage import sign_in as sign_in_records
from consult.storage.audit import audit

ROLES = ("officer", "facilitator")
FREE_TRIES = 3  # failures in a row that cost no wait (the fourth try is free too; the fifth waits 1 s)
ADDRESS_FREE_TRIES = 20  # failures from one address across all names before it waits as well
MAX_WAIT_SECONDS = 30.0
DEFAULT_IDLE_MINUTES = 30
_HASHER = PasswordHasher()
_LOG = logging.getLogger(__name__)
_SCRYPT_MAX_N = 2**20  # above this a configured hash is refused rather than allowed to take gigabytes


def hash_password(password: str) -> str:
    """An argon2id hash (self-describing: parameters and salt are in the string)."""
    if not password:
        raise ValueError("A password cannot be empty.")
    return _HASHER.hash(password)


def _verify_scrypt(password: str, stored: str) -> bool:
    scheme, n, r, p, salt, digest = stored.split("$")
    n, r, p = int(n), int(r), int(p)
    if scheme != "scrypt" or not (1 < n <= _SCRYPT_MAX_N and 1 <= r <= 32 and 1 <= p <= 16):
        return False
    expected = base64.b64decode(digest)
    # hashlib's default memory cap (32 MiB) refuses N = 2^17 and above; scrypt needs about 128 * r * N bytes
    actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=n, r=r, p=p,
                            maxmem=129 * r * n * p + 2**20, dklen=len(expected))
    return hmac.compare_digest(actual, expected)


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash (argon2id, or a legacy scrypt$ hash)."""
    try:
        if stored.startswith("$argon2"):
            return _HASHER.verify(stored, password)
        if stored.startswith("scrypt$"):
            return _verify_scrypt(password, stored)
    except (VerifyMismatchError, VerificationError, InvalidHashError, ValueError, TypeError):
        return False
    return False


def needs_rehash(stored: str) -> bool:
    """True for hashes made with older schemes or parameters than today's."""
    if not stored.startswith("$argon2"):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def _usable_hash(digest: str) -> bool:
    return digest.startswith(("$argon2id$", "scrypt$"))


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    password_hash: str


def accounts_from(secrets: dict, environ: dict | None = None) -> dict[str, Account]:
    """Accounts from Streamlit secrets ([accounts.NAME] role, password_hash) or the environment.

    Environment: CONSULT_OFFICER_PASSWORD_HASH and CONSULT_FACILITATOR_PASSWORD_HASH create accounts named
    'officer' and 'facilitator'.
    """
    environ = os.environ if environ is None else environ
    found: dict[str, Account] = {}
    for name, entry in (secrets.get("accounts") or {}).items():
        role = str(entry.get("role", "")).strip()  # no default: an account without a role is no account
        digest = str(entry.get("password_hash", ""))
        if role in ROLES and _usable_hash(digest):
            found[str(name)] = Account(str(name), role, digest)
        else:
            _LOG.warning("staff account %r ignored: it needs role = %s and an argon2id password_hash",
                         str(name)[:40], " or ".join(repr(r) for r in ROLES))
    for role in ROLES:
        digest = environ.get(f"CONSULT_{role.upper()}_PASSWORD_HASH", "")
        if _usable_hash(digest) and role not in found:
            found[role] = Account(role, role, digest)
    return found


def wait_after(failures: int) -> float:
    """Seconds to wait after `failures` wrong passwords in a row: none for the first three, then 1, 2, 4 … 30."""
    return sign_in_records.doubling_wait(failures, FREE_TRIES, MAX_WAIT_SECONDS)


def wait_after_for_address(failures: int) -> float:
    """The address-wide budget: `ADDRESS_FREE_TRIES` failures across all names, then the same doubling."""
    return wait_after(failures - (ADDRESS_FREE_TRIES - FREE_TRIES))


def throttle_key(name: str, client: str | None) -> str:
    """The key for one name typed from one address (the name hashed: it may be a password typed in the wrong box)."""
    typed = hashlib.sha256(name.strip().casefold().encode()).hexdigest()[:24]
    return f"staff|name:{typed}|addr:{(client or 'local')[:64]}"


def address_key(client: str | None) -> str:
    return f"staff|addr:{(client or 'local')[:64]}"


class Throttle:
    """The throttle in this process (tests, a single server without a database)."""

    def __init__(self, clock=time.time) -> None:
        self.clock = clock
        self._rows: dict[str, tuple[int, float, float]] = {}  # key -> failures, next try, last try
        self._lock = threading.Lock()

    def reserve(self, key: str, policy=wait_after) -> float:
        with self._lock:
            failures, next_try, _ = self._rows.get(key, (0, 0.0, 0.0))
            now = self.clock()
            if next_try > now:
                return next_try - now
            self._rows[key] = (failures + 1, now + policy(failures + 1), now)
            return 0.0

    def waiting(self, key: str) -> float:
        """Seconds `key` must still wait (0.0 when it may try), without counting a try."""
        with self._lock:
            return max(0.0, self._rows.get(key, (0, 0.0, 0.0))[1] - self.clock())

    def refund(self, key: str, policy=wait_after) -> None:
        with self._lock:
            failures, _, last = self._rows.get(key, (0, 0.0, 0.0))
            if failures:
                self._rows[key] = (failures - 1, last + policy(failures - 1), last)

    def clear(self, key: str) -> None:
        with self._lock:
            self._rows.pop(key, None)


class SharedThrottle(Throttle):
    """The same policy in the database, so every app server behind a load balancer counts the same tries."""

    def __init__(self, engine: Engine, clock=time.time) -> None:
        super().__init__(clock)
        self.engine = engine

    def reserve(self, key: str, policy=wait_after) -> float:
        return sign_in_records.reserve_try(self.engine, key, policy, clock=lambda: int(self.clock() * 1000))

    def waiting(self, key: str) -> float:
        return sign_in_records.wait_left(self.engine, key, int(self.clock() * 1000))

    def refund(self, key: str, policy=wait_after) -> None:
        sign_in_records.refund_try(self.engine, key, policy)

    def clear(self, key: str) -> None:
        sign_in_records.clear(self.engine, key)


class HashingGate:
    """At most `workers` password hashes at once and at most `queue` more waiting; others are refused at once."""

    def __init__(self, workers: int = 2, queue: int = 6, wait_seconds: float = 10.0) -> None:
        self.workers, self.queue, self.wait_seconds = workers, queue, wait_seconds
        self._slots = threading.BoundedSemaphore(workers)
        self._lock = threading.Lock()
        self._inside = 0

    @contextmanager
    def slot(self):
        with self._lock:
            if self._inside >= self.workers + self.queue:
                raise PermissionError(BUSY_MESSAGE)
            self._inside += 1
        try:
            if not self._slots.acquire(timeout=self.wait_seconds):
                raise PermissionError(BUSY_MESSAGE)
            try:
                yield
            finally:
                self._slots.release()
        finally:
            with self._lock:
                self._inside -= 1


BUSY_MESSAGE = "Many people are signing in at this moment. Please try again in a few seconds."
HASHING = HashingGate()


def wait_message(seconds: float) -> str:
    whole = max(1, math.ceil(seconds))
    return f"Too many wrong passwords from here. Try again in {whole} second{'s' if whole != 1 else ''}."


def sign_in(accounts: dict[str, Account], throttle: Throttle, name: str, password: str, *,
            client: str | None = None, engine: Engine | None = None) -> Account:
    """The account for a correct name and password; raises PermissionError with a message otherwise.

    With `engine`, every try is in the audit log (unknown names are not written down: people type passwords
    into the name field) and an old-style hash is upgraded to argon2id after a right password.
    """
    name = (name or "").strip()
    by_address, by_name = (address_key(client), wait_after_for_address), (throttle_key(name, client), wait_after)
    # the address is looked at first (without counting), so once its budget is spent invented names add no rows
    wait = throttle.waiting(by_address[0]) or throttle.reserve(*by_name) or throttle.reserve(*by_address)
    if wait > 0:
        _audit(engine, name, accounts, "sign_in_refused", f"throttled; from {client or 'local'}")
        raise PermissionError(wait_message(wait))
    account = accounts.get(name)
    stored = account.password_hash if account else _dummy_hash()
    upgraded = sign_in_records.upgraded_hash(engine, name, stored) if (engine is not None and account) else None
    # a dummy hash is checked for unknown names so that timing does not reveal which names exist
    with HASHING.slot():
        ok = verify_password(password or "", upgraded or stored)
    if not account or not ok:
        _audit(engine, name, accounts, "sign_in_failed", f"wrong name or password; from {client or 'local'}")
        raise PermissionError("That name and password do not match an account.")
    throttle.clear(by_name[0])
    throttle.refund(*by_address)
    note = ""
    if engine is not None and needs_rehash(upgraded or stored):
        with HASHING.slot():
            new_hash = hash_password(password)
        sign_in_records.save_upgraded_hash(engine, name, stored, new_hash)
        note = "; password hash upgraded to argon2id (update the configured hash with `consult hash-password`)"
    _audit(engine, name, accounts, "sign_in", f"{account.role}; from {client or 'local'}{note}")
    return account


def _audit(engine: Engine | None, name: str, accounts: dict[str, Account], action: str, detail: str) -> None:
    if engine is None:
        return
    actor = name if name in accounts else "(unknown account name)"
    with db.writing(engine) as conn:
        audit(conn, None, actor, action, "account", None, detail=detail)


def session_expired(last_seen: float | None, now: float, idle_minutes: float = DEFAULT_IDLE_MINUTES) -> bool:
    """True when a staff session has been idle longer than `idle_minutes`."""
    return last_seen is not None and now - last_seen > idle_minutes * 60


def idle_minutes(secrets: dict, environ: dict | None = None) -> float:
    """CONSULT_STAFF_IDLE_MINUTES, else secrets' staff_idle_minutes, else 30."""
    environ = os.environ if environ is None else environ
    value = environ.get("CONSULT_STAFF_IDLE_MINUTES") or secrets.get("staff_idle_minutes") or DEFAULT_IDLE_MINUTES
    try:
        return max(0.1, float(value))  # six seconds at the least: a zero would sign everyone out at once
    except (TypeError, ValueError):
        return float(DEFAULT_IDLE_MINUTES)


@cache
def _dummy_hash() -> str:
    return hash_password("not a real password")
