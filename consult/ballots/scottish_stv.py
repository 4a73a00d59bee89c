"""The statutory Scottish STV count (The Scottish Local Government Elections Order 2007, Schedule 1, rules 45-52).

- Quota (rule 46): valid papers divided by seats + 1, decimals ignored, plus one.
- A candidate with votes equal to or above the quota is elected (rule 47).
- Surpluses (rules 48-49): the largest first; every paper the candidate holds moves to its next continuing preference
  at `surplus x paper value / candidate's votes`, to five decimal places with the remainder ignored (weighted
  inclusive Gregory). Equal surpluses: the candidate with more votes at the most recent earlier stage where they
  differed goes first; equal at every stage: by lot.
- Exclusion (rules 50-51): when no surplus is left, the lowest continuing candidate is excluded and all their papers
  move at the value they hold. Equal lowest: the one with fewer votes at the most recent earlier stage where they
  differed; equal at every stage: by lot.
- Last vacancies (rule 52): when the continuing candidates are as many as the seats left, they are elected and no
  further transfer is made.

Arithmetic is exact: values are integers in units of 0.00001, so the count is the statute's, not a float's. Lots are
drawn with `random.Random(seed)` over the tied names in file order, and the count sheet records each draw and the
seed, so anyone can repeat it. Instant-runoff is the same count for one seat (the winner holds a majority of the
papers still in the count when elected or when one candidate is left).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from consult.ballots.preferences import BallotFileError, PreferenceProfile

UNIT = 100_000  # values are held in units of 0.00001 (rule 48(3): five decimal places)
CONTINUING, ELECTED, EXCLUDED, WITHDRAWN = 0, 1, 2, 3


@dataclass
class StvCount:
    """A finished count: who was elected, stage by stage figures, and every lot drawn."""

    method: str
    candidates: tuple[str, ...]
    seats: int
    valid_papers: int
    quota: int
    elected: list[str]
    stages: pd.DataFrame  # one row per stage: stage, action, a column per candidate, non_transferable
    outcome: pd.DataFrame  # candidate, status (elected / excluded), stage
    lots: list[str] = field(default_factory=list)
    seed: int = 0


class _Count:
    def __init__(self, profile: PreferenceProfile, seed: int) -> None:
        self.profile = profile
        self.names = profile.candidates
        self.rankings = profile.rankings
        self.weights = profile.weights.astype(np.int64)
        self.status = np.full(len(self.names), CONTINUING, dtype=np.int8)
        for candidate in profile.withdrawn:
            self.status[candidate] = WITHDRAWN
        rows = len(self.weights)
        self.position = np.full(rows, -1, dtype=np.int32)
        self.current = np.full(rows, -1, dtype=np.int32)
        self.value = np.full(rows, UNIT, dtype=np.int64)
        self.surplus_done = np.zeros(len(self.names), dtype=bool)
        self.non_transferable = 0
        self.history: list[np.ndarray] = []
        self.rows: list[dict] = []
        self.outcome: dict[int, tuple[str, int]] = {}
        self.elected_order: list[int] = []
        self.lots: list[str] = []
        self.seed = seed
        # a published, repeatable lot (rule 49(3), 51(2)(b)): reproducibility is the point, not secrecy
        self.random = random.Random(seed)  # nosec B311

    # -- papers -------------------------------------------------------------------------------------------------
    def advance(self, mask: np.ndarray) -> None:
        """Move the papers in `mask` to their next continuing preference (or to none: non-transferable)."""
        rows = np.flatnonzero(mask)
        if rows.size == 0:
            return
        start = self.position[rows]
        found = np.full(rows.size, -1, dtype=np.int32)
        found_at = np.full(rows.size, self.rankings.shape[1], dtype=np.int32)
        continuing = self.status == CONTINUING
        for column in range(self.rankings.shape[1]):
            marked = self.rankings[rows, column].astype(np.int32)
            take = (found < 0) & (column > start) & (marked >= 0)
            take &= continuing[np.maximum(marked, 0)]
            found[take] = marked[take]
            found_at[take] = column
        self.current[rows] = found
        self.position[rows] = found_at

    def votes(self) -> np.ndarray:
        """Each candidate's votes in units: what their papers are worth; a transferred surplus leaves the quota."""
        held = self.current >= 0
        totals = np.bincount(self.current[held], weights=(self.weights[held] * self.value[held]).astype(np.float64),
                             minlength=len(self.names))
        totals = np.rint(totals).astype(np.int64)  # exact: every sum is an integer far below 2**53
        totals[self.surplus_done] = self.quota_units
        return totals

    # -- record -------------------------------------------------------------------------------------------------
    def record(self, action: str) -> np.ndarray:
        votes = self.votes()
        self.history.append(votes)
        row = {"stage": len(self.history), "action": action}
        row.update({name: votes[i] / UNIT for i, name in enumerate(self.names)})
        row["non_transferable"] = self.non_transferable / UNIT
        self.rows.append(row)
        return votes

    def decide(self, tied: list[int], highest: bool, why: str) -> int:
        """Rules 49(2)-(3) and 51(2): the most recent earlier stage where they differed decides, else a lot."""
        if len(tied) == 1:
            return tied[0]
        for votes in reversed(self.history[:-1]):
            values = {c: votes[c] for c in tied}
            best = max(values.values()) if highest else min(values.values())
            tied = [c for c in tied if values[c] == best]
            if len(tied) == 1:
                return tied[0]
        chosen = self.random.choice(sorted(tied))
        self.lots.append(f"stage {len(self.history) + 1}: {why}: {', '.join(self.names[c] for c in sorted(tied))} "
                         f"tied at every stage; {self.names[chosen]} drawn by lot (seed {self.seed})")
        return chosen

    def elect(self, candidates: list[int], votes: np.ndarray) -> None:
        for candidate in sorted(candidates, key=lambda c: (-votes[c], c)):
            self.status[candidate] = ELECTED
            self.elected_order.append(candidate)
            self.outcome[candidate] = ("elected", len(self.history))

    # -- the count ----------------------------------------------------------------------------------------------
    def run(self) -> None:
        seats = self.profile.seats
        self.advance(np.ones(len(self.weights), dtype=bool))
        held = self.current >= 0
        self.valid_papers = int(self.weights[held].sum())
        if self.valid_papers == 0:
            raise BallotFileError("no ballot ranks a standing candidate: there is nothing to count")
        self.quota = self.valid_papers // (seats + 1) + 1
        self.quota_units = self.quota * UNIT
        votes = self.record("first preferences")
        while True:
            reached = [c for c in np.flatnonzero(self.status == CONTINUING) if votes[c] >= self.quota_units]
            self.elect(reached, votes)
            vacancies = seats - len(self.elected_order)
            if vacancies == 0:
                break
            continuing = list(np.flatnonzero(self.status == CONTINUING))
            if len(continuing) <= vacancies:
                self.elect(continuing, votes)  # rule 52: no further transfer
                break
            pending = [c for c in self.elected_order if not self.surplus_done[c] and votes[c] > self.quota_units]
            if pending:
                largest = max(votes[c] for c in pending)
                candidate = self.decide([c for c in pending if votes[c] == largest], True, "equal surpluses")
                self.transfer_surplus(candidate, votes[candidate])
                votes = self.record(f"surplus of {self.names[candidate]}")
                continue
            lowest = min(votes[c] for c in continuing)
            candidate = self.decide([c for c in continuing if votes[c] == lowest], False, "equal lowest votes")
            self.status[candidate] = EXCLUDED
            self.outcome[candidate] = ("excluded", len(self.history) + 1)
            moved = self.current == candidate
            before = votes[candidate]
            self.advance(moved)
            self.non_transferable += int(before - self._worth(moved))
            votes = self.record(f"exclusion of {self.names[candidate]}")
        last = len(self.history)
        for candidate in np.flatnonzero(self.status == CONTINUING):
            self.outcome[int(candidate)] = ("excluded", last)  # not elected when the seats were filled

    def _worth(self, mask: np.ndarray) -> int:
        held = mask & (self.current >= 0)
        return int((self.weights[held] * self.value[held]).sum())

    def transfer_surplus(self, candidate: int, total: int) -> None:
        surplus = int(total - self.quota_units)
        moved = self.current == candidate
        self.value[moved] = (surplus * self.value[moved]) // int(total)  # rule 48(3): remainder ignored
        self.advance(moved)
        self.surplus_done[candidate] = True
        self.non_transferable += surplus - self._worth(moved)


def count(profile: PreferenceProfile, seed: int = 0, method: str = "scottish-stv") -> StvCount:
    """Count `profile` under the Scottish rules; `method="irv"` requires one seat."""
    if method == "irv" and profile.seats != 1:
        raise BallotFileError(f"instant-runoff fills one seat; this ballot has {profile.seats} "
                              "(use the Scottish STV count for several)")
    run = _Count(profile, seed)
    run.run()
    stages = pd.DataFrame(run.rows)
    outcome = pd.DataFrame(
        [{"candidate": name, "status": run.outcome.get(i, ("withdrawn", 0))[0],
          "stage": run.outcome.get(i, ("withdrawn", 0))[1]} for i, name in enumerate(profile.candidates)]
    )
    return StvCount(method=method, candidates=profile.candidates, seats=profile.seats,
                    valid_papers=run.valid_papers, quota=run.quota,
                    elected=[profile.candidates[c] for c in run.elected_order], stages=stages, outcome=outcome,
                    lots=run.lots, seed=seed)
