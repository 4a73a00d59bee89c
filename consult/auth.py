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
    """Slows repeated wrong passwords for one account name: after 3 failures each try waits 2^(n-3) s (max 60 s)."""

    def __init__(self, free_tries: int = 3, max_wait: float = 60.0, clock=time.monotonic) -> None:
        self.free_tries, self.max_wait, self.clock = free_tries, max_wait, clock
        self._failures: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, name: str) -> float:
        """How long before `name` may try again (0 when it may try now)."""
        with self._lock:
            count, last = self._failures.get(name.lower(), (0, 0.0))
        if count < self.free_tries:
            return 0.0
        wait = min(self.max_wait, 2.0 ** (count - self.free_tries))
        return max(0.0, last + wait - self.clock())

    def failed(self, name: str) -> None:
        with self._lock:
            count, _ = self._failures.get(name.lower(), (0, 0.0))
            self._failures[name.lower()] = (count + 1, self.clock())

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name.lower(), None)


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
