"""A ranked-ballot profile: who stands, how many seats, and the ballots (each a ranking with a weight).

Rankings are tuples of candidate indexes (0-based), most preferred first; a weight counts identical papers, as a
BLT line does. `check` says in words what is wrong with a profile before any count starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


class BallotFileError(ValueError):
    """A ballot file or profile that cannot be counted, with the reason in words."""


@dataclass(frozen=True)
class PreferenceProfile:
    candidates: tuple[str, ...]
    seats: int
    rankings: np.ndarray  # int16, one row per distinct paper, padded with -1
    weights: np.ndarray  # int64 papers per row
    withdrawn: frozenset[int] = field(default_factory=frozenset)
    title: str = ""

    @property
    def paper_count(self) -> int:
        return int(self.weights.sum())

    @classmethod
    def from_rankings(cls, candidates: list[str] | tuple[str, ...], seats: int,
                      rankings: list[tuple[int, ...]] | list[list[int]], weights: list[int] | None = None,
                      title: str = "", withdrawn: frozenset[int] = frozenset()) -> PreferenceProfile:
        """Build from Python lists; each ranking is a sequence of 0-based candidate indexes."""
        weights = [1] * len(rankings) if weights is None else list(weights)
        width = max((len(r) for r in rankings), default=1) or 1
        matrix = np.full((len(rankings), width), -1, dtype=np.int16)
        for row, ranking in enumerate(rankings):
            matrix[row, : len(ranking)] = ranking
        profile = cls(tuple(candidates), int(seats), matrix, np.asarray(weights, dtype=np.int64), withdrawn, title)
        check(profile)
        return profile


def check(profile: PreferenceProfile) -> None:
    """Raise BallotFileError naming the first problem: seats, unknown or repeated candidates, bad weights."""
    count = len(profile.candidates)
    standing = count - len(profile.withdrawn)
    if count == 0:
        raise BallotFileError("there are no candidates")
    if profile.seats < 1:
        raise BallotFileError(f"seats must be at least 1, not {profile.seats}")
    if profile.seats > standing:
        raise BallotFileError(f"{profile.seats} seats but only {standing} candidates standing")
    if len(set(profile.candidates)) != count:
        repeated = sorted({c for c in profile.candidates if profile.candidates.count(c) > 1})
        raise BallotFileError(f"candidate names must differ: {', '.join(repeated)} appears more than once")
    if profile.rankings.size == 0:
        return
    if (profile.weights < 0).any():
        raise BallotFileError("a ballot weight is negative")
    marked = profile.rankings[profile.rankings >= 0]
    if marked.size and marked.max() >= count:
        raise BallotFileError(f"a ballot ranks candidate {int(marked.max()) + 1}, but there are {count} candidates")
    ordered = np.sort(np.where(profile.rankings >= 0, profile.rankings, -1 - np.arange(profile.rankings.shape[1])),
                      axis=1)
    repeats = (np.diff(ordered, axis=1) == 0).any(axis=1)
    if repeats.any():
        row = int(np.flatnonzero(repeats)[0])
        raise BallotFileError(f"ballot {row + 1} ranks the same candidate twice")


def ranking_from_numbers(numbers: dict[int, int | None]) -> list[int]:
    """The options in preference order from the numbers a voter wrote beside them ({option: number or None}).

    Numbers must run 1, 2, 3 ... with no gap or repeat (as on a paper ballot); options left blank are unranked.
    Raises ValueError saying what to fix; an empty ranking is allowed here (the caller decides if it may be cast)."""
    numbered = {option: number for option, number in numbers.items() if number is not None}
    wanted = list(range(1, len(numbered) + 1))
    if sorted(numbered.values()) != wanted:
        raise ValueError("Number your choices 1, 2, 3 … without gaps or repeats.")
    return [option for option, _ in sorted(numbered.items(), key=lambda item: item[1])]
