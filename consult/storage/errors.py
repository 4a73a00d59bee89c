"""Why a write was refused, in words fit to show the person who tried it; and retrying after a dropped connection."""

from __future__ import annotations

import functools
import time
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError


class StoreError(ValueError):
    """A write that was refused, with a message fit to show the person who tried it."""


class NotFound(StoreError):
    pass


class Refused(StoreError):
    """The action breaks a rule of the consultation (limits, phase, duplicates, moderation)."""


class HeldForReview(Refused):
    """The text matches a proposal members cannot see (pending or hidden). Saying "already made" would reveal that
    it exists, so the member is told what they would be told of any proposal held for a check."""


class Unavailable(StoreError):
    """The database connection was lost and did not come back in time; nothing was saved."""


RECONNECT_DELAYS = (0.1, 0.5, 2.0)


def retry_on_disconnect(action):
    """Run a member's write again when the connection drops under it (a restarted or failed-over PostgreSQL).

    A dropped transaction was rolled back by the server, so a retry cannot count twice: the vote upsert and the
    duplicate-text rule make the writes safe to repeat even when the drop came after the commit.
    """
    @functools.wraps(action)
    def wrapper(*args, **kwargs):
        for delay in (*RECONNECT_DELAYS, None):
            try:
                return action(*args, **kwargs)
            except DBAPIError as exc:
                if not exc.connection_invalidated:
                    raise
                if delay is None:
                    raise Unavailable("The database could not be reached, so this was not saved. Your text is "
                                      "still here: please try again in a moment.") from exc
                time.sleep(delay)
        raise AssertionError("unreachable")
    return wrapper


def one(conn: Connection, query: Any, what: str) -> Any:
    """The single row `query` finds, or NotFound naming `what`."""
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"That {what} does not exist.")
    return row


def integrity_reason(exc: IntegrityError) -> str:
    text = str(exc.orig).lower()
    if "unique" in text or "duplicate" in text:
        return "it already exists."
    if "foreign key" in text:
        return "it refers to something that does not exist."
    if "check" in text:
        return "a value is outside what is allowed."
    return "the database refused it."
