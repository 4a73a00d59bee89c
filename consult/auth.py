"""Staff sign-in: argon2id password hashes, a throttle per account and client address, idle expiry, audit.

Hashes are argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile). Older `scrypt$` hashes from
`consult hash-password` still verify, at any cost parameter, and are upgraded at the next right sign-in: the
app cannot rewrite secrets, so the argon2id hash is kept in the database for as long as the configured hash
stays the one it was made from (`storage.sign_in`).

Throttle: each (account, client address) gets 3 free tries; after that every failure doubles the wait, from
1 s up to `MAX_WAIT_SECONDS`. A guesser elsewhere never delays the right password from another address, and
from the same address it waits at most `MAX_WAIT_SECONDS`. Unknown account names share one key per address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import os
import threading
import time
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine

from consult.storage import db
from consult.storage import sign_in as sign_in_records
from consult.storage.audit import audit

ROLES = ("officer", "facilitator")
FREE_TRIES = 3
MAX_WAIT_SECONDS = 30.0
DEFAULT_IDLE_MINUTES = 30
UNKNOWN_ACCOUNT = "?"  # the throttle key for names that are not accounts (so made-up names add no rows)
_HASHER = PasswordHasher()
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
        role = str(entry.get("role", "officer"))
        digest = str(entry.get("password_hash", ""))
        if role in ROLES and _usable_hash(digest):
            found[str(name)] = Account(str(name), role, digest)
    for role in ROLES:
        digest = environ.get(f"CONSULT_{role.upper()}_PASSWORD_HASH", "")
        if _usable_hash(digest) and role not in found:
            found[role] = Account(role, role, digest)
    return found


def wait_after(failures: int) -> float:
    """Seconds to wait after `failures` wrong passwords in a row: none for the first three, then 1, 2, 4 … 30."""
    if failures <= FREE_TRIES:
        return 0.0
    return min(MAX_WAIT_SECONDS, 2.0 ** (failures - FREE_TRIES - 1))


def throttle_key(name: str, accounts: dict[str, Account], client: str | None) -> str:
    account = name if name in accounts else UNKNOWN_ACCOUNT
    return f"{account}|{(client or 'local')[:64]}"


class Throttle:
    """The throttle in this process (tests, a single server without a database)."""

    def __init__(self, clock=time.time) -> None:
        self.clock = clock
        self._rows: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def reserve(self, key: str) -> float:
        with self._lock:
            failures, next_try = self._rows.get(key, (0, 0.0))
            now = self.clock()
            if next_try > now:
                return next_try - now
            self._rows[key] = (failures + 1, now + wait_after(failures + 1))
            return 0.0

    def clear(self, key: str) -> None:
        with self._lock:
            self._rows.pop(key, None)


class SharedThrottle(Throttle):
    """The same policy in the database, so every app server behind a load balancer counts the same tries."""

    def __init__(self, engine: Engine, clock=time.time) -> None:
        super().__init__(clock)
        self.engine = engine

    def reserve(self, key: str) -> float:
        return sign_in_records.reserve_try(self.engine, key, wait_after, clock=lambda: int(self.clock() * 1000))

    def clear(self, key: str) -> None:
        sign_in_records.clear(self.engine, key)


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
    key = throttle_key(name, accounts, client)
    wait = throttle.reserve(key)
    if wait > 0:
        _audit(engine, name, accounts, "sign_in_refused", f"throttled; from {client or 'local'}")
        raise PermissionError(wait_message(wait))
    account = accounts.get(name)
    stored = account.password_hash if account else _dummy_hash()
    upgraded = sign_in_records.upgraded_hash(engine, name, stored) if (engine is not None and account) else None
    # a dummy hash is checked for unknown names so that timing does not reveal which names exist
    ok = verify_password(password or "", upgraded or stored)
    if not account or not ok:
        _audit(engine, name, accounts, "sign_in_failed", f"wrong name or password; from {client or 'local'}")
        raise PermissionError("That name and password do not match an account.")
    throttle.clear(key)
    note = ""
    if engine is not None and needs_rehash(upgraded or stored):
        sign_in_records.save_upgraded_hash(engine, name, stored, hash_password(password))
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
        return max(1.0, float(value))
    except (TypeError, ValueError):
        return float(DEFAULT_IDLE_MINUTES)


@cache
def _dummy_hash() -> str:
    return hash_password("not a real password")
