"""Current votes as a participant x proposal matrix, stored sparsely (one entry per vote cast).

A dense matrix of 100,000 participants x 10,000 proposals would need 8 GB; the votes themselves are a few
hundred MB. Everything the opinion maths needs (column means, counts by group, the centred matrix for PCA)
is computed from the cast votes only; `values` gives the dense form (NaN where not voted) for small uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse


@dataclass
class VoteMatrix:
    """Votes by (participant row, proposal column): agree 1, pass 0, disagree -1; absent where not voted."""

    rows: np.ndarray  # participant position of each vote
    cols: np.ndarray  # proposal position of each vote
    votes: np.ndarray  # the vote, as float (-1, 0, 1)
    participants: pd.Index
    proposals: pd.Index

    @classmethod
    def from_votes(cls, votes: pd.DataFrame) -> VoteMatrix:
        """From a frame of current votes (participant_id, proposal_id, value); the last row wins for a repeat."""
        participants = pd.Index(np.sort(pd.unique(votes["participant_id"])), name="participant_id")
        proposals = pd.Index(np.sort(pd.unique(votes["proposal_id"])), name="proposal_id")
        rows = participants.get_indexer(votes["participant_id"]).astype(np.int32)
        cols = proposals.get_indexer(votes["proposal_id"]).astype(np.int32)
        values = votes["value"].to_numpy(dtype=float)
        cell = pd.Series(rows.astype(np.int64) * max(len(proposals), 1) + cols)
        repeated = cell.duplicated(keep="last").to_numpy()
        if repeated.any():  # keep the last vote per cell, as a dense assignment would
            rows, cols, values = rows[~repeated], cols[~repeated], values[~repeated]
        return cls(rows, cols, values, participants, proposals)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participants), len(self.proposals)

    @property
    def values(self) -> np.ndarray:
        """The dense matrix (NaN where not voted); only for small matrices."""
        dense = np.full(self.shape, np.nan)
        dense[self.rows, self.cols] = self.votes
        return dense

    @property
    def n_votes(self) -> np.ndarray:
        """Votes cast by each participant (passes included)."""
        return np.bincount(self.rows, minlength=self.shape[0])

    def keep_columns(self, keep: np.ndarray) -> VoteMatrix:
        """The same votes on the proposals where `keep` (a boolean per proposal) is true."""
        new_position = np.cumsum(keep) - 1
        cast = keep[self.cols]
        return VoteMatrix(self.rows[cast], new_position[self.cols[cast]].astype(np.int32), self.votes[cast],
                          self.participants, self.proposals[keep])

    def column_counts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Agrees, disagrees, passes and votes seen per proposal."""
        n = self.shape[1]
        agree = np.bincount(self.cols[self.votes == 1], minlength=n).astype(float)
        disagree = np.bincount(self.cols[self.votes == -1], minlength=n).astype(float)
        passes = np.bincount(self.cols[self.votes == 0], minlength=n).astype(float)
        return agree, disagree, passes, agree + disagree + passes

    def group_counts(self, group_of_row: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Agrees, disagrees and votes seen per group (rows) and proposal (columns); `group_of_row` gives each
        participant's group position, -1 for none."""
        n = self.shape[1]
        group = group_of_row[self.rows]
        counted = group >= 0
        cell = group[counted].astype(np.int64) * n + self.cols[counted]
        votes = self.votes[counted]

        def count(selected: np.ndarray) -> np.ndarray:
            return np.bincount(cell[selected], minlength=n_groups * n).reshape(n_groups, n).astype(float)

        return count(votes == 1), count(votes == -1), count(np.ones(len(votes), dtype=bool))

    def column_means(self) -> np.ndarray:
        """Mean vote on each proposal among those who voted (0 where nobody did)."""
        n = self.shape[1]
        seen = np.bincount(self.cols, minlength=n)
        total = np.bincount(self.cols, weights=self.votes, minlength=n)
        return np.divide(total, seen, out=np.zeros(n), where=seen > 0)

    def centred(self, means: np.ndarray) -> sparse.csr_matrix:
        """The mean-imputed matrix minus the column means: (vote - mean) where voted, 0 elsewhere."""
        data = self.votes - means[self.cols]
        return sparse.csr_matrix((data, (self.rows, self.cols)), shape=self.shape)
