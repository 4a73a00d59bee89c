"""What storage hands back: plain, frozen records of a consultation, a participant and a proposal."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from consult.storage.scopes import Scope


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True)
class Consultation:
    id: int
    join_code: str
    title: str
    question: str
    description: str
    phase: str
    moderation: str
    min_chars: int
    max_chars: int
    max_proposals_per_participant: int
    results_visible: bool
    baseline: str
    source: str
    created_ms: int
    min_cell: int = 10
    access: str = "open"
    scope_regions: str = ""
    scope_local_parties: str = ""
    # bumped whenever what members may see changes (`changes.bump`); read with the row, it saves a page run a
    # second read of it for its cache keys
    visibility_version: int = 0

    @property
    def scope(self) -> Scope:
        return Scope.stored(self.scope_regions, self.scope_local_parties)

    @classmethod
    def from_row(cls, row: Any) -> Consultation:
        return cls(**{field: getattr(row, field) for field in cls.__dataclass_fields__})

    @classmethod
    def from_values(cls, values: tuple) -> Consultation:
        """From the values of the record's fields in their order (a driver's plain row)."""
        values = list(values)
        values[_RESULTS_VISIBLE] = bool(values[_RESULTS_VISIBLE])  # SQLite hands back a Boolean as 0 or 1
        return cls(*values)


_RESULTS_VISIBLE = list(Consultation.__dataclass_fields__).index("results_visible")


@dataclass(frozen=True)
class Participant:
    id: int
    consultation_id: int
    token: str
    region: str
    constituency: str | None
    verified: bool
    channel: str


@dataclass(frozen=True)
class Proposal:
    id: int
    consultation_id: int
    author_id: int | None
    region: str | None
    tier: str
    body: str
    status: str
    created_ms: int
