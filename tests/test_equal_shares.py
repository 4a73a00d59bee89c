"""Budgets: equal shares and greedy give exactly pabutools' funded sets, and the real budgets' official winners."""

from __future__ import annotations

import random

import pytest
from conftest import shared_data
from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance, Project
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

from consult.ballots import equal_shares, pabulib
from consult.ballots.pabulib import BudgetInstance


def _pabutools(instance: BudgetInstance, add_one: bool) -> tuple[set[str], set[str]]:
    projects = {p: Project(p, instance.costs[p]) for p in instance.project_ids}
    election = Instance(projects.values(), budget_limit=instance.budget)
    profile = ApprovalProfile([ApprovalBallot([projects[p] for p in chosen]) for chosen in instance.approvals])
    mes = method_of_equal_shares(election, profile, sat_class=Cost_Sat, voter_budget_increment=1 if add_one else None)
    greedy = greedy_utilitarian_welfare(election, profile, sat_class=Cost_Sat)
    return {p.name for p in mes}, {p.name for p in greedy}


def _generated(rng: random.Random) -> BudgetInstance:
    ids = [str(j + 1) for j in range(rng.randint(3, 14))]
    costs = {p: rng.choice([rng.randint(1, 30) * 100, 500, 1000]) for p in ids}  # repeated costs make ties
    popularity = {p: rng.random() for p in ids}
    approvals = [frozenset(p for p in ids if rng.random() < popularity[p]) for _ in range(rng.randint(5, 80))]
    for project in ids:  # pabutools' greedy funds unsupported projects; ours never does, so every one has support
        if not any(project in chosen for chosen in approvals):
            approvals[0] = approvals[0] | {project}
    return BudgetInstance(budget=rng.randint(10, 80) * 100, project_ids=ids, costs=costs, names={},
                          approvals=approvals)


@pytest.mark.parametrize("seed", range(4))
def test_funded_sets_equal_pabutools_on_generated_budgets(seed):
    rng = random.Random(seed)
    for _ in range(25):
        instance = _generated(rng)
        plain_theirs, greedy_theirs = _pabutools(instance, add_one=False)
        add_one_theirs, _ = _pabutools(instance, add_one=True)
        assert set(equal_shares.equal_shares(instance, completion=False).funded) == plain_theirs
        assert set(equal_shares.equal_shares(instance).funded) == add_one_theirs
        assert set(equal_shares.greedy(instance).funded) == greedy_theirs


def _official(path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("PROJECTS")[1].split("VOTES")[0].strip().splitlines()
    header = lines[0].split(";")
    return {row.split(";")[0] for row in lines[1:] if row.split(";")[header.index("selected")] == "1"}


def test_assen_2024_official_equal_shares_winners_are_reproduced():
    path = shared_data("ballots", "Netherlands_Assen_2024.pb")
    instance = pabulib.read(path)
    counted = equal_shares.equal_shares(instance)
    assert set(counted.funded) == _official(path) == _pabutools(instance, add_one=True)[0]
    assert counted.spent <= instance.budget


def test_warszawa_mokotow_2023_official_greedy_winners_are_reproduced():
    path = shared_data("ballots", "Poland_Warszawa_2023_Mokotow.pb")
    instance = pabulib.read(path)
    assert set(equal_shares.greedy(instance).funded) == _official(path)


def test_every_project_has_a_reason_and_unfunded_ones_say_what_was_missing():
    instance = BudgetInstance(budget=1000, project_ids=["a", "b", "c"], costs={"a": 600, "b": 600, "c": 100},
                              names={"a": "Library", "b": "Bus", "c": "Bench"},
                              approvals=[frozenset({"a"})] * 3 + [frozenset({"b", "c"})] * 2)
    counted = equal_shares.equal_shares(instance).projects.set_index("project_id")
    assert counted.loc["a", "selected"] == 1 and "bought by its 3 supporters" in counted.loc["a", "reason"]
    assert counted.loc["b", "selected"] == 0 and "it costs 600" in counted.loc["b", "reason"]
    greedy = equal_shares.greedy(instance).projects.set_index("project_id")
    assert greedy.loc["b", "selected"] == 0 and "400 was left" in greedy.loc["b", "reason"]


PB = "META\nkey;value\nbudget;{budget}\nvote_type;approval\nPROJECTS\nproject_id;cost;name\n{projects}VOTES\nvoter_id;vote\n{votes}"


@pytest.mark.parametrize(("text", "message"), [
    (PB.format(budget="", projects="1;10;A\n", votes="v1;1\n"), "no budget"),
    (PB.format(budget="lots", projects="1;10;A\n", votes="v1;1\n"), "budget must be a number"),
    (PB.format(budget="100", projects="1;10;A\n1;20;B\n", votes="v1;1\n"), "project id 1 appears twice"),
    (PB.format(budget="100", projects="1;-10;A\n", votes="v1;1\n"), "negative"),
    (PB.format(budget="100", projects="1;10;A\n", votes="v1;7\n"), "project 7, which is not in PROJECTS"),
    (PB.format(budget="100", projects="", votes=""), "lists no projects"),
    ("key;value\n", "must start with a META"),
])
def test_malformed_budget_files_are_refused_with_a_reason(text, message):
    with pytest.raises(ValueError, match=message):
        pabulib.parse(text)


def test_a_written_budget_reads_back_identically():
    instance = BudgetInstance(budget=500, project_ids=["x", "y"], costs={"x": 100, "y": 450},
                              names={"x": "Park; bench", "y": 'A "quoted" name'},
                              approvals=[frozenset({"x"}), frozenset({"x", "y"}), frozenset()])
    again = pabulib.parse(pabulib.dumps(instance, voter_ids=["r1", "r2", "r3"]))
    assert again.approvals == instance.approvals and again.names == instance.names and again.budget == 500


def test_exact_ties_follow_the_tie_order_given():
    # one voter backs two projects of the same cost, only one of which fits: an exact tie under both rules
    tied = BudgetInstance(budget=100, project_ids=["a", "b"], costs={"a": 100, "b": 100}, names={},
                          approvals=[frozenset({"a", "b"})])
    assert equal_shares.equal_shares(tied).funded == ["a"] == equal_shares.greedy(tied).funded
    assert equal_shares.equal_shares(tied, tie_order=["b", "a"]).funded == ["b"]
    assert equal_shares.greedy(tied, tie_order=["b", "a"]).funded == ["b"]
    assert _pabutools(tied, add_one=True)[0] == {"a"}  # the default order is pabutools'
    with pytest.raises(ValueError, match="every project once"):
        equal_shares.greedy(tied, tie_order=["b"])
