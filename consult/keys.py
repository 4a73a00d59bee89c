"""The server secret, and keyed hashes made with it (pseudonyms in exports; later, the membership roll).

Where the secret comes from, first found wins: the environment (`CONSULT_SECRET_KEY`), Streamlit secrets
(`secret_key`), or `data/secret_key`, generated on first use with owner-only permissions. It is never stored
in the database or written to an export, so an export plus the database plus the join code does not give the
pseudonyms back. Several app servers must share it: set it in the environment or secrets (docs/deploy.md).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from functools import cache
from pathlib import Path

from consult import configuration
from consult.configuration import PROJECT_ROOT

KEY_FILE = PROJECT_ROOT / "data" / "secret_key"
MIN_KEY_LENGTH = 32
_LOCK = threading.Lock()


class SecretKeyError(RuntimeError):
    """The configured secret cannot be used (too short)."""


def _from_secrets_file() -> str:
    return str(configuration.secrets_file().get("secret_key", "") or "").strip()


def _from_key_file(path: Path) -> str:
    with _LOCK:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            # O_EXCL: two processes starting at once cannot both write a different key
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(descriptor, "w") as handle:
                    handle.write(secrets.token_hex(32))
        return path.read_text().strip()


@cache
def server_key() -> bytes:
    """The secret as bytes (read once per process)."""
    configured = os.environ.get("CONSULT_SECRET_KEY", "").strip() or _from_secrets_file()
    value = configured or _from_key_file(Path(os.environ.get("CONSULT_SECRET_KEY_FILE", KEY_FILE)))
    if len(value) < MIN_KEY_LENGTH:
        raise SecretKeyError(f"The server secret must be at least {MIN_KEY_LENGTH} characters "
                        "(CONSULT_SECRET_KEY, secrets' secret_key, or data/secret_key).")
    return value.encode()


def keyed_hasher(purpose: str):
    """`keyed_hash(purpose, ...)` as a function, with the key schedule done once (a roll hashes a million values)."""
    keyed = hmac.new(server_key(), digestmod=hashlib.sha256)

    def digest(*parts: object) -> str:
        one = keyed.copy()
        one.update("\x1f".join([purpose, *map(str, parts)]).encode())
        return one.hexdigest()

    return digest


def keyed_hash(purpose: str, *parts: object) -> str:
    """HMAC-SHA256 of `parts` under the server secret, separated by purpose so one hash never stands in for another."""
    message = "\x1f".join([purpose, *map(str, parts)]).encode()
    return hmac.new(server_key(), message, hashlib.sha256).hexdigest()
