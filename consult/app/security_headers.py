"""Security headers on every HTTP response of the app server (Streamlit has no setting for them).

`consult.app.serve` wraps Streamlit's ASGI app in `SecurityHeaders` before uvicorn serves it. The policy allows
only this origin for everything a page loads or connects to (so a proposal, title or file name that slipped
through as markup still could not fetch a tracking image or send data elsewhere), forbids other sites from framing
the app (clickjacking), stops MIME sniffing and keeps the address (which may carry a member's link) out of
Referer headers. Scripts and styles keep 'unsafe-inline' / 'unsafe-eval': Streamlit's frontend and plotly.js
need them.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-src 'self' blob: data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


class SecurityHeaders:
    """ASGI middleware: adds `HEADERS` to every HTTP response that does not set them itself."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message.get("type") == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message = dict(message, headers=[*message.get("headers", []),
                                                 *[(n, v) for n, v in HEADERS if n not in present]])
            await send(message)

        await self.app(scope, receive, send_with_headers)
