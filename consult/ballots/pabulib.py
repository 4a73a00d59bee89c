"""Participatory-budget `.pb` files (Pabulib): read and write approval instances.

Sections `META`, `PROJECTS` and `VOTES`, `;`-separated, each followed by a header row. Only approval votes are read
(the kind our budgets use); every problem (budget missing or not a number, duplicate project ids, negative costs,
votes for unknown projects, a vote count that disagrees with `num_votes`) is reported in words with its line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from consult.ballots.preferences import BallotFileError


@dataclass
class BudgetInstance:
    budget: int
    project_ids: list[str]
    costs: dict[str, int]
    names: dict[str, str]
    approvals: list[frozenset[str]]  # one per voter
    meta: dict[str, str] = field(default_factory=dict)
    max_approvals: int | None = None  # a per-voter limit, if the ballot had one

    @property
    def voter_count(self) -> int:
        return len(self.approvals)


def _number(text: str, what: str, line: int) -> int:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise BallotFileError(f"line {line}: {what} must be a number, not {text[:40]!r}") from None
    if value != int(value):
        raise BallotFileError(f"line {line}: {what} must be a whole amount, not {text}")
    return int(value)


def parse(text: str) -> BudgetInstance:
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    section, header = "", []
    meta: dict[str, str] = {}
    costs: dict[str, int] = {}
    names: dict[str, str] = {}
    order: list[str] = []
    approvals: list[frozenset[str]] = []
    for line, row in enumerate(rows, start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        first = row[0].strip()
        if first.upper() in ("META", "PROJECTS", "VOTES") and len(row) == 1:
            section, header = first.upper(), []
            continue
        if not section:
            raise BallotFileError(f"line {line}: the file must start with a META, PROJECTS or VOTES section")
        if not header:
            header = [cell.strip().lower() for cell in row]
            continue
        record = dict(zip(header, (cell.strip() for cell in row), strict=False))
        if section == "META":
            meta[record.get("key", "")] = record.get("value", "")
        elif section == "PROJECTS":
            project = record.get("project_id", "")
            if not project:
                raise BallotFileError(f"line {line}: a project has no project_id")
            if project in costs:
                raise BallotFileError(f"line {line}: project id {project} appears twice")
            cost = _number(record.get("cost", ""), f"the cost of project {project}", line)
            if cost < 0:
                raise BallotFileError(f"line {line}: the cost of project {project} is negative ({cost})")
            costs[project] = cost
            names[project] = record.get("name", "") or project
            order.append(project)
        else:
            chosen = [p.strip() for p in record.get("vote", "").split(",") if p.strip()]
            unknown = [p for p in chosen if p not in costs]
            if unknown:
                raise BallotFileError(f"line {line}: the vote names project {unknown[0]}, which is not in PROJECTS")
            if len(set(chosen)) != len(chosen):
                raise BallotFileError(f"line {line}: the vote approves the same project twice")
            approvals.append(frozenset(chosen))
    if "budget" not in meta or not meta["budget"]:
        raise BallotFileError("the META section has no budget")
    budget = _number(meta["budget"], "the budget", 0)
    if budget <= 0:
        raise BallotFileError(f"the budget must be above zero, not {budget}")
    if not costs:
        raise BallotFileError("the file lists no projects")
    vote_type = meta.get("vote_type", "approval").lower()
    if vote_type != "approval":
        raise BallotFileError(f"only approval budgets are counted here; this file's vote_type is {vote_type}")
    if "num_votes" in meta and meta["num_votes"].isdigit() and int(meta["num_votes"]) != len(approvals):
        raise BallotFileError(f"META says num_votes {meta['num_votes']} but the VOTES section holds {len(approvals)}")
    if "num_projects" in meta and meta["num_projects"].isdigit() and int(meta["num_projects"]) != len(costs):
        raise BallotFileError(f"META says num_projects {meta['num_projects']} but PROJECTS lists {len(costs)}")
    limit = meta.get("max_length")
    return BudgetInstance(budget=budget, project_ids=order, costs=costs, names=names, approvals=approvals, meta=meta,
                          max_approvals=int(limit) if limit and limit.isdigit() else None)


def read(path: str | Path) -> BudgetInstance:
    return parse(Path(path).read_text(encoding="utf-8-sig"))


def dumps(instance: BudgetInstance, voter_ids: list[str] | None = None) -> str:
    """`.pb` text; `voter_ids` (e.g. receipt hashes) name the votes, else they are numbered."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    meta = {**instance.meta, "budget": str(instance.budget), "num_projects": str(len(instance.project_ids)),
            "num_votes": str(instance.voter_count), "vote_type": "approval"}
    if instance.max_approvals:
        meta["max_length"] = str(instance.max_approvals)
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    writer.writerows(meta.items())
    writer.writerow(["PROJECTS"])
    writer.writerow(["project_id", "cost", "name"])
    for project in instance.project_ids:
        writer.writerow([project, instance.costs[project], instance.names.get(project, project)])
    writer.writerow(["VOTES"])
    writer.writerow(["voter_id", "vote"])
    ids = voter_ids or [str(i + 1) for i in range(instance.voter_count)]
    for voter, chosen in zip(ids, instance.approvals, strict=True):
        writer.writerow([voter, ",".join(p for p in instance.project_ids if p in chosen)])
    return out.getvalue()
