"""Current votes as a dense participant x proposal matrix (NaN where a participant has not voted)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class VoteMatrix:
    """Current votes as a dense participant x proposal matrix; NaN where a participant has not voted."""

    values: np.ndarray
    participants: pd.Index
    proposals: pd.Index

    @classmethod
    def from_votes(cls, votes: pd.DataFrame) -> VoteMatrix:
        participants = pd.Index(np.sort(votes["participant_id"].unique()), name="participant_id")
        proposals = pd.Index(np.sort(votes["proposal_id"].unique()), name="proposal_id")
        matrix = np.full((len(participants), len(proposals)), np.nan)
        rows = participants.get_indexer(votes["participant_id"])
        cols = proposals.get_indexer(votes["proposal_id"])
        matrix[rows, cols] = votes["value"].to_numpy(dtype=float)
        return cls(matrix, participants, proposals)

    @property
    def n_votes(self) -> np.ndarray:
        return (~np.isnan(self.values)).sum(axis=1)
