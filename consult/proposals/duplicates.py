"""Likely duplicates among published proposals, for officers to merge: groups of proposals that say the same
thing, each around the one to keep (the most voted on).

Pairs are scored as members' similar-proposal offer scores them (`similar.meaning_scores`: sentence vectors and the
meaning of the words the two texts do not share), with a stricter threshold: an officer's list should be worth
reading. Only pairs whose sentence vectors are already close are scored (a block-wise product of the index's
vectors), so a few thousand proposals take seconds, not the square of them. Each group is a star around its kept
proposal (every member scored against it), never a chain where the first and last say different things.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from consult.proposals import similar
from consult.text import embeddings

# meaning score from which a pair is listed. Chosen for precision, as officers read every group: on the labelled
# pairs (tests/data/similar_pairs.csv, short texts) 5 of the 6 listed are duplicates (recall 0.17: members' offers,
# at a lower threshold, catch most paraphrases before they are published); on the demo's longer texts, groups at
# 0.5 mixed different ideas sharing a frame ("because legitimacy comes from a fair electoral system"), at 0.6 not
LIKELY_DUPLICATE = 0.6
SENTENCE_FLOOR = 0.45  # pairs below this sentence cosine are not scored further (no listed pair falls below it)
BLOCK = 2_000


def close_pairs(vectors: np.ndarray, floor: float = SENTENCE_FLOOR) -> list[tuple[int, int, float]]:
    """(i, j, cosine) for i < j whose unit vectors have cosine >= floor, computed in blocks of rows."""
    found: list[tuple[int, int, float]] = []
    full = vectors.astype(np.float32)
    for start in range(0, len(full), BLOCK):
        block = full[start:start + BLOCK] @ full.T
        rows, cols = np.nonzero(block >= floor)
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
            if start + row < col:
                found.append((start + row, col, float(block[row, col])))
    return found


def likely_duplicates(proposals: pd.DataFrame, *, threshold: float = LIKELY_DUPLICATE) -> pd.DataFrame:
    """Groups of likely duplicates. `proposals`: id, body, votes (how many voted on it).

    Returns group (1 = the largest), proposal_id, body, votes, keep (the group's most voted proposal, lowest id on
    a tie) and score (its meaning score against the kept one; 1.0 for the kept one). Empty without the embedding
    model: word overlap alone lists too many look-alikes to be worth an officer's time."""
    columns = ["group", "proposal_id", "body", "votes", "keep", "score"]
    if len(proposals) < 2 or not embeddings.available():
        return pd.DataFrame(columns=columns)
    ordered = proposals.sort_values(["votes", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    texts = ordered["body"].astype(str).tolist()
    vectors = similar.unit(embeddings.embed(texts))
    pairs = close_pairs(vectors)
    if not pairs:
        return pd.DataFrame(columns=columns)
    leftover = similar.leftover_pair_scores([(texts[i], texts[j]) for i, j, _ in pairs])
    close: dict[int, list[tuple[int, float]]] = {}  # i -> (j, score) for j after i (fewer votes), above threshold
    for (i, j, whole), rest in zip(pairs, leftover, strict=True):
        if (whole + rest) / 2 >= threshold:
            close.setdefault(i, []).append((j, float((whole + rest) / 2)))
    # stars: in order of votes, each proposal not yet in a group keeps the others close enough to it
    assigned: dict[int, tuple[int, float]] = {}
    for head in range(len(ordered)):
        if head in assigned:
            continue
        members = [(j, s) for j, s in close.get(head, []) if j not in assigned]
        if members:
            assigned[head] = (head, 1.0)
            for j, s in members:
                assigned[j] = (head, s)
    if not assigned:
        return pd.DataFrame(columns=columns)
    rows = [(head, position, s) for position, (head, s) in assigned.items()]
    frame = pd.DataFrame(rows, columns=["head", "position", "score"])
    sizes = frame.groupby("head")["position"].transform("size")
    frame = frame.assign(size=sizes).sort_values(["size", "head", "score"], ascending=[False, True, False],
                                                 kind="stable")
    frame["group"] = pd.factorize(frame["head"])[0] + 1
    picked = ordered.loc[frame["position"]]
    return pd.DataFrame({"group": frame["group"].to_numpy(), "proposal_id": picked["id"].to_numpy(),
                         "body": picked["body"].to_numpy(), "votes": picked["votes"].to_numpy(),
                         "keep": (frame["head"] == frame["position"]).to_numpy(),
                         "score": frame["score"].round(3).to_numpy()}, columns=columns)
