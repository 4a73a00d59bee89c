"""How a count of voters is said in words, the same on every page, screen and report: a share is never shown
without how many it is a share of ("100% agree" of 11 voters is not "100% agree" of 11,000)."""

from __future__ import annotations


def count_of(number: int, thing: str) -> str:
    """'1 vote', '11 votes', '1,204 votes' (`thing` in the singular, made plural with an s)."""
    number = int(number)
    return f"{number:,} {thing}{'' if number == 1 else 's'}"


def share_of_voters(share: float, voters: int) -> str:
    """'100% of 11 voters', '54% of 1,204 voters'."""
    return f"{share:.0%} of {count_of(voters, 'voter')}"
