"""How counts and shares of voters are said in words on the presenter's screen, in the report and on members' pages:
a raw share says how many voters it is a share of ("100% agree" of 11 voters is not "100% agree" of 11,000). Model
estimates for one region carry their interval instead: a region's count could single out the few who voted there.
The chance of a majority in every region says when it is still a rough figure (`all_regions_chance`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def count_of(number: float, thing: str) -> str:
    """'1 vote', '11 votes', '1,204 votes' (`thing` in the singular, made plural with an s); a typical count such
    as a median is rounded to a whole one ('4.6' -> '5 votes')."""
    number = int(round(number))
    return f"{number:,} {thing}{'' if number == 1 else 's'}"


def share_of_voters(share: float, voters: int) -> str:
    """'100% of 11 voters', '54% of 1,204 voters'."""
    return f"{share:.0%} of {count_of(voters, 'voter')}"


#: votes in a region after which the regional model's figure for it rests on its own votes (the default minimum cell)
OWN_VOTES = 10
#: the chance of a majority in every region is a firm figure once at least this share of the regions have OWN_VOTES
#: votes or more on the proposal (`RegionalSupport` counts them: `regions_with_own_votes`). Before that it rests on
#: the model's caution about how far a region with few votes may differ, and it runs low: in
#: `benchmarks/bench_regional.py --scenarios` (four shapes of member-level truth, median 1, 5 and 20 votes a cell,
#: 12 seeds) forecasts with no region at 10 votes were off by 0.21 (a forecast of 0.49 came true 70% of the time),
#: with 1-5 regions by 0.10, and with 6 or more by 0.02 over all shapes together (0.03-0.07 shape by shape, where
#: twice the bins' standard error is 0.03-0.05). Votes alone cannot tell a small region that differs from one that
#: does not (`benchmarks/regional_identifiability.py`), so the figure is said with its caveat rather than made to
#: look surer.
FIRM_REGION_SHARE = 0.5


def all_regions_firm(regions_with_own_votes: int | np.ndarray, n_regions: int) -> bool | np.ndarray:
    """Whether "a majority in all regions" is a firm figure, from how many regions have OWN_VOTES+ votes on the
    proposal (a number, or an array of them)."""
    return regions_with_own_votes >= FIRM_REGION_SHARE * n_regions


def all_regions_caveat(regions_with_own_votes: int, n_regions: int = 12) -> str:
    """'' for a firm figure, else 'rough: only 3 of 12 regions have 10+ votes' (or 'rough: no region has 10+
    votes yet')."""
    if all_regions_firm(regions_with_own_votes, n_regions):
        return ""
    count = int(regions_with_own_votes)
    if count == 0:
        return f"rough: no region has {OWN_VOTES}+ votes yet"
    return f"rough: only {count} of {n_regions} regions {'has' if count == 1 else 'have'} {OWN_VOTES}+ votes"


def all_regions_chance(probability: float, regions_with_own_votes: int, n_regions: int = 12, *,
                       brief: bool = False) -> str:
    """'a majority in all 12 regions 91% likely', and while fewer than half the regions have OWN_VOTES votes on
    the proposal, '... 40% likely (rough: only 3 of 12 regions have 10+ votes)'. `brief`, for a line under a
    "Supported in every region" heading on a shared screen, where every line must fit: 'majority everywhere 91%
    likely', '... (rough)'."""
    if brief:
        said = f"majority everywhere {probability:.0%} likely"
        return said if all_regions_firm(regions_with_own_votes, n_regions) else f"{said} (rough)"
    return f"a majority in all {n_regions} regions {chance_with_caveat(probability, regions_with_own_votes, n_regions)}"


def chance_with_caveat(probability: float, regions_with_own_votes: int, n_regions: int = 12) -> str:
    """'91% likely', or '40% likely (rough: only 3 of 12 regions have 10+ votes)': for a cell under a heading
    that already says what is likely."""
    caveat = all_regions_caveat(regions_with_own_votes, n_regions)
    return f"{probability:.0%} likely" + (f" ({caveat})" if caveat else "")
