"""Which configuration wins, in one place: the environment, then Streamlit secrets, then the default.

Every entry point (the CLI, the app server, the app's pages, benchmarks) resolves settings here, so `consult
migrate` and the app always agree on the database, the server secret and the proxies they trust. The app passes
the secrets Streamlit loaded (which may come from `~/.streamlit/secrets.toml` as well); everything else reads the
project's `.streamlit/secrets.toml`.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "consult.db"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def secrets_file(path: Path | None = None) -> dict:
    """The secrets file as a dict ({} when there is none)."""
    path = path or SECRETS_FILE
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


def setting(env_name: str, secrets_keys: tuple[str, ...], default: Any = None, *,
            secrets: Mapping | None = None, environ: Mapping[str, str] | None = None) -> Any:
    """The environment variable `env_name` if set and not blank, else the value at `secrets_keys` in the
    secrets, else `default`."""
    environ = os.environ if environ is None else environ
    from_env = str(environ.get(env_name, "")).strip()
    if from_env:
        return from_env
    node: Any = secrets_file() if secrets is None else secrets
    for key in secrets_keys:
        node = node.get(key) if isinstance(node, Mapping) else None
    if node is None or (isinstance(node, str) and not node.strip()):
        return default
    return node.strip() if isinstance(node, str) else node


def database_url(*, secrets: Mapping | None = None, environ: Mapping[str, str] | None = None) -> str:
    """`CONSULT_DATABASE_URL`, else secrets' [connections.consult] url, else the SQLite file in data/."""
    return str(setting("CONSULT_DATABASE_URL", ("connections", "consult", "url"),
                       f"sqlite:///{DEFAULT_SQLITE_PATH}", secrets=secrets, environ=environ))


def trusted_proxies(*, secrets: Mapping | None = None,
                    environ: Mapping[str, str] | None = None) -> tuple[Network, ...]:
    """The proxies whose `X-Forwarded-For` is believed: `CONSULT_TRUSTED_PROXIES` (comma-separated addresses or
    networks), else secrets' `trusted_proxies` (a list or a comma-separated string), else none.

    None by default: a client's own header is never believed unless the deployment names its balancer.
    """
    raw = setting("CONSULT_TRUSTED_PROXIES", ("trusted_proxies",), "", secrets=secrets, environ=environ)
    items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    networks = []
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ValueError(f"trusted_proxies: {item!r} is not an IP address or network") from exc
    return tuple(networks)
