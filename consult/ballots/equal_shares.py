"""Counting a participatory budget: the Method of Equal Shares beside the plain greedy rule.

**Method of Equal Shares** (Peters, Pierczyński and Skowron; equalshares.net), approval ballots, cost satisfaction:
the budget is split equally among the voters; a project is bought by its supporters, each paying an equal share
or all they have left; in each round the project that asks the least per unit of satisfaction (rho = the largest
single payment divided by its cost) is bought, ties going to the project id first in text order. **Add-one
completion**, the standard one: if money is left, the count is rerun with each voter's share one currency unit
larger, until the outcome spends the budget exhaustively (it is kept) or would overspend (the previous one is kept):
Pabulib's `equalshares/add1`, which is what Assen's 2024 budget ran (its official winners are reproduced in the
tests). Some cities then add any project that still fits in order of approvals (`greedy_completion=True`).

**Greedy** (what most cities run): projects by approvals, most first, each funded if it still fits.

This is our own implementation because pabutools, which implements the rule exactly, takes 27 s for the add-one
completion at 2,000 voters on this machine and grows with the voters; `tests/test_equal_shares.py` checks that the
funded sets are identical to pabutools' on generated instances and on the real budgets in the shared data.
Identical ballots are grouped and budgets held per group, so a round costs one sort of each candidate project's
supporting groups; floating-point affordabilities within 1e-9 of each other count as tied.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import pandas as pd

from consult.ballots.pabulib import BudgetInstance

TOLERANCE = 1e-9


@dataclass
class BudgetCount:
    method: str
    budget: int
    voters: int
    projects: pd.DataFrame  # project_id, name, cost, approvals, selected, how, reason
    share_per_voter: float  # the final equal share (after add-one completion) for equal shares; 0 for greedy

    @property
    def funded(self) -> list[str]:
        return self.projects.loc[self.projects["selected"] == 1, "project_id"].tolist()

    @property
    def spent(self) -> int:
        return int(self.projects.loc[self.projects["selected"] == 1, "cost"].sum())


class _Profile:
    """Approval ballots grouped: each distinct set of approvals once, with how many voters cast it.

    `tie_order` ranks the projects for breaking exact ties (first wins); by default project ids in text order,
    which is pabutools' convention; a ballot passes the order its published seed drew."""

    def __init__(self, instance: BudgetInstance, tie_order: list[str] | None = None) -> None:
        self.ids = list(instance.project_ids)
        order = tie_order or sorted(self.ids)
        if sorted(order) != sorted(self.ids):
            raise ValueError("the tie order must list every project once")
        self.tie_rank = {project: rank for rank, project in enumerate(order)}
        self.costs = np.array([instance.costs[p] for p in self.ids], dtype=np.float64)
        index = {p: i for i, p in enumerate(self.ids)}
        groups: dict[frozenset[str], int] = {}
        for chosen in instance.approvals:
            groups[chosen] = groups.get(chosen, 0) + 1
        self.weights = np.array(list(groups.values()), dtype=np.float64)
        members: list[list[int]] = [[] for _ in self.ids]
        for group, chosen in enumerate(groups):
            for project in chosen:
                members[index[project]].append(group)
        self.supporters = [np.array(m, dtype=np.int64) for m in members]
        self.approvals = np.array([self.weights[m].sum() if len(m) else 0.0 for m in self.supporters])
        self.voters = int(self.weights.sum())


def _equal_shares_once(profile: _Profile, share: float) -> tuple[list[int], dict[int, tuple[int, float, int]],
                                                                    np.ndarray, list[int]]:
    """One run at `share` per voter: (selected in order, {project: (round, largest payment, payers)}, budgets
    left per group, the projects the rule considered)."""
    budgets = np.full(len(profile.weights), share, dtype=np.float64)
    considered = [p for p in range(len(profile.ids)) if profile.approvals[p] > 0 and profile.costs[p] > 0]
    selected = [p for p in range(len(profile.ids)) if profile.approvals[p] > 0 and profile.costs[p] == 0]
    how: dict[int, tuple[int, float, int]] = {p: (0, 0.0, int(profile.approvals[p])) for p in selected}
    affordability = {p: 1.0 / profile.approvals[p] for p in considered}
    active = set(considered)
    round_number = 0
    while active:
        round_number += 1
        best, tied, best_payment = np.inf, [], {}
        for project in sorted(active, key=lambda p: affordability[p]):
            groups = profile.supporters[project]
            held, weight = budgets[groups], profile.weights[groups]
            cost = profile.costs[project]
            if (held * weight).sum() < cost * (1 - TOLERANCE):
                active.discard(project)  # its supporters cannot pay for it any more
                continue
            if affordability[project] > best * (1 + TOLERANCE):
                break  # affordability only grows, so no later project can beat the best
            order = np.argsort(held, kind="stable")
            held_sorted, weight_sorted = held[order], weight[order]
            paid_before = np.concatenate(([0.0], np.cumsum(held_sorted * weight_sorted)[:-1]))
            weight_before = np.concatenate(([0.0], np.cumsum(weight_sorted)[:-1]))
            payment = (cost - paid_before) / (weight_sorted.sum() - weight_before)
            fits = np.flatnonzero(payment <= held_sorted * (1 + TOLERANCE))
            largest = payment[fits[0]] if fits.size else payment[-1]
            rho = largest / cost
            affordability[project] = rho
            if rho < best * (1 - TOLERANCE):
                best, tied = rho, [project]
            elif rho <= best * (1 + TOLERANCE):
                tied.append(project)
            best_payment[project] = largest
        if not tied:
            break
        chosen = min(tied, key=lambda p: profile.tie_rank[profile.ids[p]])
        groups = profile.supporters[chosen]
        budgets[groups] -= np.minimum(budgets[groups], best_payment[chosen])
        selected.append(chosen)
        how[chosen] = (round_number, float(best_payment[chosen]), int(profile.approvals[chosen]))
        active.discard(chosen)
    return selected, how, budgets, considered


def lot_order(project_ids: list[str], seed: int) -> list[str]:
    """A tie order drawn by lot: the project ids (in file order) shuffled by `random.Random(seed)`, so anyone with
    the published seed and the file draws the same order."""
    order = list(project_ids)
    random.Random(seed).shuffle(order)  # nosec B311 - a published, repeatable lot, not a secret
    return order


def _greedy_order(profile: _Profile, projects: list[int]) -> list[int]:
    return sorted(projects, key=lambda p: (-profile.approvals[p], profile.tie_rank[profile.ids[p]]))


def equal_shares(instance: BudgetInstance, completion: bool = True, greedy_completion: bool = False,
                 tie_order: list[str] | None = None) -> BudgetCount:
    """Equal shares with add-one completion (skipped with completion=False), optionally then greedy completion."""
    profile = _Profile(instance, tie_order)
    budget = float(instance.budget)
    share = budget / max(profile.voters, 1)
    selected, how, budgets, considered = _equal_shares_once(profile, share)
    while completion:
        spent = profile.costs[selected].sum()
        if not any(profile.costs[p] + spent <= budget for p in considered if p not in selected):
            break  # exhaustive: keep this outcome
        trial = _equal_shares_once(profile, share + 1)
        if profile.costs[trial[0]].sum() > budget:
            break  # one unit more would overspend: keep the previous outcome
        share += 1
        selected, how, budgets, considered = trial
    mes_selected = list(selected)
    completed: list[int] = []
    if greedy_completion:
        left = budget - profile.costs[selected].sum()
        for project in _greedy_order(profile, [p for p in considered if p not in selected]):
            if profile.costs[project] <= left:
                completed.append(project)
                left -= profile.costs[project]
    rows = []
    chosen = set(mes_selected) | set(completed)
    for project, project_id in enumerate(profile.ids):
        cost, approvals = int(profile.costs[project]), int(profile.approvals[project])
        money_left = float((budgets[profile.supporters[project]] * profile.weights[profile.supporters[project]]).sum())
        if project in how:
            round_number, payment, payers = how[project]
            how_text = f"equal shares, round {round_number}"
            reason = (f"bought by its {payers:,} supporters, none paying more than {payment:,.2f}"
                      if cost else "costs nothing and has supporters")
        elif project in completed:
            how_text, reason = "greedy completion", "money was left after equal shares and it fitted"
        elif approvals == 0:
            how_text, reason = "", "no one approved it"
        else:
            how_text = ""
            reason = (f"its {approvals:,} supporters had {money_left:,.2f} of their shares left; it costs {cost:,}")
        rows.append({"project_id": project_id, "name": instance.names.get(project_id, project_id), "cost": cost,
                     "approvals": approvals, "selected": int(project in chosen), "how": how_text, "reason": reason})
    return BudgetCount("equal-shares", instance.budget, profile.voters, pd.DataFrame(rows), share)


def greedy(instance: BudgetInstance, tie_order: list[str] | None = None) -> BudgetCount:
    """Approvals descending (ties by `tie_order`, else project id), each funded if it still fits; unsupported
    projects are not."""
    profile = _Profile(instance, tie_order)
    left = float(instance.budget)
    rows = {}
    for rank, project in enumerate(_greedy_order(profile, [p for p in range(len(profile.ids))
                                                           if profile.approvals[p] > 0]), start=1):
        cost = profile.costs[project]
        if cost <= left:
            left -= cost
            rows[project] = (1, f"greedy, {rank}", f"{rank}. by approvals and it fitted")
        else:
            rows[project] = (0, "", f"{rank}. by approvals; it costs {int(cost):,} and {int(left):,} was left")
    table = []
    for project, project_id in enumerate(profile.ids):
        selected, how_text, reason = rows.get(project, (0, "", "no one approved it"))
        table.append({"project_id": project_id, "name": instance.names.get(project_id, project_id),
                      "cost": int(profile.costs[project]), "approvals": int(profile.approvals[project]),
                      "selected": selected, "how": how_text, "reason": reason})
    return BudgetCount("greedy", instance.budget, profile.voters, pd.DataFrame(table), 0.0)
