"""Opinion groups that stay put while a live conversation grows: what one update hands to the next.

Fitting the groups afresh at every update lets them flicker. Replaying the shared Polis conversations vote by vote
and refitting 40 times (`benchmarks/bench_polis_live.py`), fresh fits changed the number of groups 9 to 15 times
and, between one update and the next, gave 17-30% of the participants another group name. Polis keeps a running
conversation steady in two ways, and so does this: the number of groups changes only after a new number has won
several updates in a row (`KSmoother`), and each update starts k-means from where the last update's groups are
in the new map, keeping that start unless another is clearly better (`OpinionGroups(history=...)`). Groups are
then named after the previous update's groups they share most participants with, so "Group 2" is the same
people from one minute to the next.

A `GroupHistory` is the live state of one conversation; `consult.storage.group_history` keeps it in the database,
so every app server, the report and the exports show the same groups under the same numbers.
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment


class KSmoother:
    """Keeps the number of groups steady: a new k is adopted only after it has won `patience` updates in a row."""

    def __init__(self, patience: int = 4, current: int | None = None, candidate: int | None = None,
                 streak: int = 0) -> None:
        self.patience = patience
        self.current = current  # the number of groups shown
        self.candidate = candidate  # another number that has won the last `streak` updates
        self.streak = streak

    def update(self, best_k: int) -> int:
        if self.current is None or best_k == self.current:
            self.current = self.current or best_k
            self.candidate, self.streak = None, 0
            return self.current
        if best_k == self.candidate:
            self.streak += 1
        else:
            self.candidate, self.streak = best_k, 1
        if self.streak >= self.patience:
            self.current, self.candidate, self.streak = best_k, None, 0
        return self.current


class GroupHistory:
    """What the last update of one conversation's groups leaves for the next: the k smoother and each
    participant's group. `lock` is held for a whole update, so two threads refreshing at once take turns."""

    def __init__(self, patience: int = 4, smoother: KSmoother | None = None,
                 previous: pd.Series | None = None) -> None:
        self.smoother = smoother or KSmoother(patience)
        self.previous = previous  # participant_id -> group number, as last shown
        self.lock = threading.RLock()

    def copy(self) -> GroupHistory:
        """The same state, apart: an update of the copy leaves this history as it was."""
        smoother = KSmoother(self.smoother.patience, self.smoother.current, self.smoother.candidate,
                             self.smoother.streak)
        return GroupHistory(smoother=smoother, previous=None if self.previous is None else self.previous.copy())

    def starting_centres(self, points: np.ndarray, participants: pd.Index) -> np.ndarray | None:
        """Where the previous update's groups sit in the new map: the mean point of the participants each group
        held who are still here, for the groups that still hold someone (None before the first update, or when
        fewer than two do). A start with fewer centres than the k being fitted is not used (`OpinionGroups`)."""
        if self.previous is None or self.previous.empty:
            return None
        previous = self.previous.reindex(participants).to_numpy(dtype=float)
        groups = np.unique(previous[~np.isnan(previous)]).astype(int)
        if len(groups) < 2:
            return None
        centres = [points[previous == group].mean(axis=0) for group in groups]
        return np.array(centres)

    def named_like_previous(self, labels: pd.Series) -> pd.Series:
        """`labels` (participant_id -> 0..k-1) renumbered so each group keeps the number of the previous group it
        shares most participants with (one to one, most participants kept); groups with no such partner take the
        numbers left, largest first. Before any update: numbered by size, largest first."""
        values = labels.to_numpy(dtype=int)
        k = int(values.max()) + 1 if len(values) else 0
        sizes = np.bincount(values, minlength=k)
        by_size = np.argsort(-sizes, kind="stable")
        rename = np.full(k, -1)
        if self.previous is not None and not self.previous.empty:
            common = labels.index.intersection(self.previous.index)
            before = self.previous[common].to_numpy(dtype=int)
            usable = before < k  # the names are Group 1..k: a previous group past k cannot pass its number on
            overlap = np.zeros((k, k))
            np.add.at(overlap, (labels[common].to_numpy(dtype=int)[usable], before[usable]), 1)
            mine, theirs = linear_sum_assignment(-overlap)
            for group, number in zip(mine, theirs, strict=True):
                if overlap[group, number] > 0:
                    rename[group] = number
        free = iter(number for number in range(k) if number not in set(rename))
        for group in by_size:
            if rename[group] < 0:
                rename[group] = next(free)
        return pd.Series(rename[values], index=labels.index)

    def remember(self, labels: pd.Series) -> None:
        self.previous = labels.dropna().astype(int)
