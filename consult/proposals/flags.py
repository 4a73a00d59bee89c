"""Automatic flags for proposals an officer should look at: abusive language and personal data."""

from __future__ import annotations

import functools
import re

import pandas as pd

# A short list of clear abuse; moderators see the flag and decide (no proposal is hidden automatically).
ABUSIVE_WORDS = frozenset(["idiot", "idiots", "moron", "morons", "scum", "vermin", "traitor", "traitors", "bastard", "bastards", "wanker", "wankers", "twat", "twats", "fuck", "fucking", "fucker", "shit", "shite", "cunt", "cunts", "prick", "pricks", "retard", "retards", "scumbag", "scumbags"])
_WORDS = re.compile(r"[a-z]+")
_DIGITS = re.compile(r"\d")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
UK_PHONE = re.compile(r"(?<!\d)(?:\+44\s?|0)(?:\d\s?){9,10}(?!\d)")
UK_POSTCODE = re.compile(r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)
# "Councillor Jane Smith", "my neighbour John Brown": a title or relation word (any case) before a capitalised
# full name
PRIVATE_NAME = re.compile(
    r"\b(?i:neighbour|neighbor|landlord|boss|colleague|councillor|cllr|mr|mrs|ms|miss|dr)\.?\s+"
    r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")


# a page shows the queue on every click; proposals rarely change, so each text is checked once per process
@functools.lru_cache(maxsize=250_000)
def flags(text: str) -> tuple[str, ...]:
    """Reasons to look at a proposal: 'abusive language', 'email address', 'phone number', 'postcode', 'name'."""
    found = []
    if not ABUSIVE_WORDS.isdisjoint(_WORDS.findall(text.lower())):
        found.append("abusive language")
    # the cheap tests first: most proposals have no "@" and no digit, and skip three slow patterns
    if "@" in text and EMAIL.search(text):
        found.append("email address")
    has_digit = _DIGITS.search(text) is not None
    if has_digit and UK_PHONE.search(text):
        found.append("phone number")
    if has_digit and UK_POSTCODE.search(text):
        found.append("postcode")
    if PRIVATE_NAME.search(text):
        found.append("name of a person")
    return tuple(found)


def describe(found: tuple[str, ...]) -> str:
    """The flags in words for the member who wrote the text: "a phone number and abusive language"."""
    words = {"abusive language": "abusive language", "email address": "an email address",
             "phone number": "a phone number", "postcode": "a postcode", "name of a person": "a person's name"}
    named = [words.get(flag, flag) for flag in found]
    if len(named) <= 1:
        return "".join(named)
    return ", ".join(named[:-1]) + " and " + named[-1]


def flag_table(proposals: pd.DataFrame) -> pd.DataFrame:
    """The proposals (id, body, ...) that carry at least one flag, with a `flags` column."""
    out = proposals.assign(flags=proposals["body"].map(flags))
    return out[out["flags"].map(bool)]


def queue(proposals: pd.DataFrame) -> pd.DataFrame:
    """What needs a moderator: pending proposals and flagged published ones, pending first."""
    flagged = proposals.assign(flags=proposals["body"].map(flags))
    needs = flagged[(flagged["status"] == "pending") | ((flagged["status"] == "published") & flagged["flags"].map(bool))]
    return needs.sort_values(["status", "id"], key=lambda c: c.map({"pending": 0, "published": 1})
                             if c.name == "status" else c).reset_index(drop=True)


def forget_cached_text() -> None:
    """Drop every text remembered by `flags` (after an erasure or a status change: the cache holds members' words)."""
    flags.cache_clear()
