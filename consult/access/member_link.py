"""How a member's browser keeps them: a signed cookie, and a link that expires.

A participant's token is a credential: whoever presents it *is* that member (their votes, their erase button). It
used to sit in the page address for good, so a link pasted into a chat, a browser history or a screenshot carried
the member with it. Now:
- the browser keeps the member in a cookie (`consult_member`, SameSite=Lax, Secure over HTTPS, 90 days) whose
  value is signed with the server secret, so a reload, a new tab or the next day finds them;
- the address carries a *link token* only as a fallback (browsers that refuse cookies, a dropped connection
  before the cookie was written): the participant's token, an expiry and an HMAC of both; after
  `LINK_TTL_SECONDS` (12 hours; `CONSULT_MEMBER_LINK_TTL_SECONDS`) it opens nothing;
- a raw token in the address is no longer accepted at all.
Signatures are HMAC-SHA256 under the server secret (`keys.keyed_hash`), so they hold across replicas.
"""

from __future__ import annotations

import hmac
import os
import time

from consult import keys

COOKIE_NAME = "consult_member"
COOKIE_MAX_AGE_SECONDS = 90 * 86_400
DEFAULT_LINK_TTL_SECONDS = 12 * 3600
_SEPARATOR = "~"


def link_ttl_seconds() -> int:
    value = os.environ.get("CONSULT_MEMBER_LINK_TTL_SECONDS", "")
    return int(value) if value.strip().isdigit() else DEFAULT_LINK_TTL_SECONDS


def _signature(purpose: str, *parts: object) -> str:
    return keys.keyed_hash(purpose, *parts)[:32]


def link_token(participant_token: str, *, now: float | None = None, ttl_seconds: int | None = None) -> str:
    """The value of `?p=` for this member: valid until now + ttl."""
    expires = int((time.time() if now is None else now) + (link_ttl_seconds() if ttl_seconds is None else ttl_seconds))
    return _SEPARATOR.join([participant_token, str(expires), _signature("member-link", participant_token, expires)])


def token_from_link(value: str, *, now: float | None = None) -> str | None:
    """The participant token a link token vouches for, or None (malformed, forged, or expired)."""
    parts = str(value or "").split(_SEPARATOR)
    if len(parts) != 3 or not parts[1].isdigit() or len(value) > 200:
        return None
    token, expires, signature = parts
    if not hmac.compare_digest(signature, _signature("member-link", token, int(expires))):
        return None
    return token if int(expires) > (time.time() if now is None else now) else None


def cookie_value(participant_token: str) -> str:
    return _SEPARATOR.join([participant_token, _signature("member-cookie", participant_token)])


def token_from_cookie(value: str | None) -> str | None:
    parts = str(value or "").split(_SEPARATOR)
    if len(parts) != 2 or len(value or "") > 200:
        return None
    token, signature = parts
    return token if hmac.compare_digest(signature, _signature("member-cookie", token)) else None


def set_cookie_script(participant_token: str | None, *, secure: bool) -> str:
    """The script that writes (or, with None, deletes) the member cookie in the member's browser. The value is
    made of hex digits, "-", "_" and "~" only, so it needs no escaping."""
    if participant_token is None:
        return f"<script>document.cookie = '{COOKIE_NAME}=; Max-Age=0; Path=/; SameSite=Lax';</script>"
    value = cookie_value(participant_token)
    flags = f"Max-Age={COOKIE_MAX_AGE_SECONDS}; Path=/; SameSite=Lax" + ("; Secure" if secure else "")
    return f"<script>document.cookie = '{COOKIE_NAME}={value}; {flags}';</script>"
