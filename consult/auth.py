"""Passwords for officers and facilitators: scrypt hashes, constant-time checks, and slowing down guessers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
import time
from dataclasses import dataclass
from functools import cache

from sqlalchemy import delete, select

from consult import db
from consult import schema as s

ROLES = ("officer", "facilitator")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A self-describing scrypt hash: scrypt$n$r$p$salt$hash (base64)."""
    if not password:
        raise ValueError("A password cannot be empty.")
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash; the comparison takes the same time either way."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


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
        if role in ROLES and digest.startswith("scrypt$"):
            found[str(name)] = Account(str(name), role, digest)
    for role in ROLES:
        digest = environ.get(f"CONSULT_{role.upper()}_PASSWORD_HASH", "")
        if digest.startswith("scrypt$") and role not in found:
            found[role] = Account(role, role, digest)
    return found


class Throttle:
    """Slows repeated wrong passwords for one account name: after 3 failures each try waits 2^(n-3) s (max 60 s).

    Counts live in this process; `SharedThrottle` keeps them in the database for several app servers.
    """

    def __init__(self, free_tries: int = 3, max_wait: float = 60.0, clock=time.monotonic) -> None:
        self.free_tries, self.max_wait, self.clock = free_tries, max_wait, clock
        self._failures: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, name: str) -> float:
        """How long before `name` may try again (0 when it may try now)."""
        count, last = self._load(name.lower()[:120])
        if count < self.free_tries:
            return 0.0
        wait = min(self.max_wait, 2.0 ** (count - self.free_tries))
        return max(0.0, last + wait - self.clock())

    def failed(self, name: str) -> None:
        self._add_failure(name.lower()[:120], self.clock())

    def succeeded(self, name: str) -> None:
        self._clear(name.lower()[:120])

    def _load(self, key: str) -> tuple[int, float]:
        with self._lock:
            return self._failures.get(key, (0, 0.0))

    def _add_failure(self, key: str, now: float) -> None:
        with self._lock:
            count, _ = self._failures.get(key, (0, 0.0))
            self._failures[key] = (count + 1, now)

    def _clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class SharedThrottle(Throttle):
    """The same policy with counts in the database, so every app server behind a load balancer sees them."""

    def __init__(self, engine, **kwargs) -> None:
        kwargs.setdefault("clock", time.time)  # wall-clock time: servers share it, monotonic clocks they do not
        super().__init__(**kwargs)
        self.engine = engine

    def _load(self, key: str) -> tuple[int, float]:
        with self.engine.connect() as conn:
            row = conn.execute(select(s.sign_in_failures.c.failures, s.sign_in_failures.c.last_ms)
                               .where(s.sign_in_failures.c.name == key)).first()
        return (0, 0.0) if row is None else (row.failures, row.last_ms / 1000)

    def _add_failure(self, key: str, now: float) -> None:
        table = s.sign_in_failures
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(table).values(name=key, failures=1, last_ms=int(now * 1000))
        # one statement, so two servers counting the same guesser at once both count
        stmt = stmt.on_conflict_do_update(index_elements=["name"], set_={
            "failures": table.c.failures + 1, "last_ms": stmt.excluded.last_ms})
        with db.writing(self.engine) as conn:
            conn.execute(stmt)

    def _clear(self, key: str) -> None:
        with db.writing(self.engine) as conn:
            conn.execute(delete(s.sign_in_failures).where(s.sign_in_failures.c.name == key))


def sign_in(accounts: dict[str, Account], throttle: Throttle, name: str, password: str) -> Account:
    """The account for a correct name and password; raises PermissionError with a message otherwise."""
    name = (name or "").strip()
    wait = throttle.wait_seconds(name)
    if wait > 0:
        raise PermissionError(f"Too many wrong passwords. Try again in {wait:.0f} seconds.")
    account = accounts.get(name)
    # check a dummy hash for unknown names so that timing does not reveal which names exist
    ok = verify_password(password or "", account.password_hash if account else _dummy_hash())
    if not account or not ok:
        throttle.failed(name)
        raise PermissionError("That name and password do not match an account.")
    throttle.succeeded(name)
    return account


@cache
def _dummy_hash() -> str:
    return hash_password("not a real password", salt=b"0123456789abcdef")
