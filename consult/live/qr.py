"""Join links and their QR codes."""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit, urlunsplit


def join_url(base_url: str, join_code: str) -> str:
    """The link members open: the app's address with ?join=CODE (any path or query on the base is dropped)."""
    parts = urlsplit(base_url if "://" in base_url else f"http://{base_url}")
    return urlunsplit((parts.scheme, parts.netloc, "/", urlencode({"join": join_code}), ""))


def is_local_address(url: str) -> bool:
    """True for an address only this machine can open (localhost, 127.x, ::1, 0.0.0.0): a QR code with it is
    useless to phones in the room."""
    import ipaddress

    host = (urlsplit(url if "://" in url else f"http://{url}").hostname or "").lower()
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def qr_png(url: str, *, scale: int = 10) -> bytes:
    """A PNG QR code for `url` (error correction M, quiet zone included)."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=4, dark="#111111", light="#ffffff")
    return buffer.getvalue()
