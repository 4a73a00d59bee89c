"""How counts and shares of voters are said in words on the presenter's screen, in the report and on members' pages:
a raw share says how many voters it is a share of ("100% agree" of 11 voters is not "100% agree" of 11,000). Model
estimates for one region carry their interval instead: a region's count could single out the few who voted there."""

from __future__ import annotations


def count_of(number: float, thing: str) -> str:
    """'1 vote', '11 votes', '1,204 votes' (`thing` in the singular, made plural with an s); a typical count such
    as a median is rounded to a whole one ('4.6' -> '5 votes')."""
    number = int(round(number))
    return f"{number:,} {thing}{'' if number == 1 else 's'}"


def share_of_voters(share: float, voters: int) -> str:
    """'100% of 11 voters', '54% of 1,204 voters'."""
    return f"{share:.0%} of {count_of(voters, 'voter')}"
