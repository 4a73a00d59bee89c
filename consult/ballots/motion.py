"""Counting a motion: for / against / abstain, a quorum and a majority rule.

- Quorum: the papers cast (abstentions included: an abstainer took part) must reach a count, or a share of the
  members eligible when the ballot opened, whichever the officer set.
- Majority: `simple` carries when more vote for than against; `two-thirds` when those for are at least two thirds of
  those voting for or against. Abstentions count towards the quorum, never towards the majority.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

MAJORITIES = ("simple", "two-thirds")
CHOICES = ("for", "against", "abstain")


@dataclass(frozen=True)
class MotionResult:
    votes_for: int
    votes_against: int
    abstentions: int
    eligible: int
    quorum_needed: int
    majority: str

    @property
    def cast(self) -> int:
        return self.votes_for + self.votes_against + self.abstentions

    @property
    def quorum_met(self) -> bool:
        return self.cast >= self.quorum_needed

    @property
    def majority_met(self) -> bool:
        deciding = self.votes_for + self.votes_against
        if deciding == 0:
            return False
        if self.majority == "two-thirds":
            return Fraction(self.votes_for, deciding) >= Fraction(2, 3)
        return self.votes_for > self.votes_against

    @property
    def carried(self) -> bool:
        return self.quorum_met and self.majority_met

    def summary(self) -> str:
        """One sentence a member can read: the outcome and why."""
        if not self.quorum_met:
            return (f"Not decided: {self.cast:,} of {self.eligible:,} eligible members voted, "
                    f"short of the quorum of {self.quorum_needed:,}.")
        deciding = self.votes_for + self.votes_against
        share = f"{self.votes_for / deciding:.0%}" if deciding else "none"
        rule = "two thirds" if self.majority == "two-thirds" else "a simple majority"
        verdict = "Carried" if self.carried else "Not carried"
        return (f"{verdict}: {self.votes_for:,} for, {self.votes_against:,} against ({share} for; needed "
                f"{rule}), {self.abstentions:,} abstained; quorum {self.quorum_needed:,} met with {self.cast:,}.")


def quorum_needed(eligible: int, quorum_share: float | None = None, quorum_count: int | None = None) -> int:
    """Papers needed: a share of the eligible (rounded up) or a count; none set means no quorum (1 paper)."""
    if quorum_share is not None and not 0 <= quorum_share <= 1:
        raise ValueError("a quorum share is between 0 and 1 (0.1 for a tenth of eligible members)")
    if quorum_count is not None and quorum_count < 0:
        raise ValueError("a quorum count cannot be negative")
    needed = 1
    if quorum_share:
        needed = max(needed, -(-Fraction(str(quorum_share)) * eligible // 1))
    if quorum_count:
        needed = max(needed, quorum_count)
    return int(needed)


def count(choices: list[str], eligible: int, majority: str = "simple", quorum_share: float | None = None,
          quorum_count: int | None = None) -> MotionResult:
    """Count motion papers, each 'for', 'against' or 'abstain'."""
    if majority not in MAJORITIES:
        raise ValueError(f"majority must be one of {', '.join(MAJORITIES)}, not {majority!r}")
    unknown = sorted({c for c in choices if c not in CHOICES})
    if unknown:
        raise ValueError(f"a motion paper is for, against or abstain; found {unknown[0]!r}")
    return MotionResult(choices.count("for"), choices.count("against"), choices.count("abstain"), eligible,
                        quorum_needed(eligible, quorum_share, quorum_count), majority)
