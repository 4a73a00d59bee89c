"""Statistics that describe any grouping of voters (opinion groups, regions, a survey segment): representative
statements selected as Polis selects them, group-informed consensus, consensus and uncertainty lists.

Formulas and the list rule are Polis's published ones (../shared/notes/methods.md 6-10); names say what they
are, with Polis's short names in comments where that helps comparison.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from consult.opinion.vote_matrix import VoteMatrix

Z90 = 1.2816


def group_counts(matrix: VoteMatrix, labels: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The groups in `labels` (participant id -> group; NaN or missing: in none), sorted, and their agrees,
    disagrees and votes seen (agree + disagree + pass) per group (rows) and proposal (columns)."""
    aligned = labels.reindex(matrix.participants).to_numpy()
    present = pd.notna(aligned)
    groups = np.array(sorted(pd.unique(aligned[present])))
    group_of_row = np.full(len(aligned), -1, dtype=np.int64)
    if len(groups):
        group_of_row[present] = pd.Index(groups).get_indexer(aligned[present])
    agree, disagree, seen = matrix.group_counts(group_of_row, len(groups))
    return groups, agree, disagree, seen


def _one_prop_z(successes: np.ndarray, n: np.ndarray) -> np.ndarray:
    return 2.0 * np.sqrt(n + 1.0) * ((successes + 1.0) / (n + 1.0) - 0.5)


def _two_prop_z(succ_in: np.ndarray, succ_out: np.ndarray, n_in: np.ndarray, n_out: np.ndarray) -> np.ndarray:
    s1, s2, n1, n2 = succ_in + 1.0, succ_out + 1.0, n_in + 1.0, n_out + 1.0
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(np.clip(pooled * (1 - pooled) * (1 / n1 + 1 / n2), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where((pooled >= 1.0) | (spread == 0), 0.0, (p1 - p2) / np.where(spread == 0, 1, spread))
    return z


REPNESS_COLUMNS = ["group", "proposal_id", "direction", "rank", "n_success", "n_trials", "p_success", "p_test",
                   "repness", "repness_test", "metric", "best_agree", "qualifies", "p", "agree", "disagree", "seen"]


@dataclass
class _GroupStats:
    """One group's statistics for every proposal (arrays over proposals), named as a reader would say them."""

    agrees: np.ndarray  # Polis: na
    disagrees: np.ndarray  # nd
    seen: np.ndarray  # ns (agree + disagree + pass)
    agree_share: np.ndarray  # pa = (na + 1) / (ns + 2)
    disagree_share: np.ndarray  # pd
    agree_share_test: np.ndarray  # pat: one-proportion z of the agree share against 1/2
    disagree_share_test: np.ndarray  # pdt
    agree_repness: np.ndarray  # ra: agree share here over agree share among everyone else
    disagree_repness: np.ndarray  # rd
    agree_repness_test: np.ndarray  # rat: two-proportion z, this group against everyone else
    disagree_repness_test: np.ndarray  # rdt

    @property
    def agree_way(self) -> np.ndarray:
        return self.agree_repness_test > self.disagree_repness_test

    @property
    def qualifies(self) -> np.ndarray:
        """Polis's significance test at one-sided 90% in either direction."""
        return (((self.agree_repness_test > Z90) & (self.agree_share_test > Z90))
                | ((self.disagree_repness_test > Z90) & (self.disagree_share_test > Z90)))

    def metric(self) -> np.ndarray:
        """repness x repness_test x share x share_test, in the proposal's own direction."""
        way = self.agree_way
        return (np.where(way, self.agree_repness, self.disagree_repness)
                * np.where(way, self.agree_repness_test, self.disagree_repness_test)
                * np.where(way, self.agree_share, self.disagree_share)
                * np.where(way, self.agree_share_test, self.disagree_share_test))


def _group_stats(agrees, disagrees, seen, rest_agrees, rest_disagrees, rest_seen) -> _GroupStats:
    return _GroupStats(
        agrees=agrees, disagrees=disagrees, seen=seen,
        agree_share=(agrees + 1) / (seen + 2), disagree_share=(disagrees + 1) / (seen + 2),
        agree_share_test=_one_prop_z(agrees, seen), disagree_share_test=_one_prop_z(disagrees, seen),
        agree_repness=((agrees + 1) / (seen + 2)) / ((rest_agrees + 1) / (rest_seen + 2)),
        disagree_repness=((disagrees + 1) / (seen + 2)) / ((rest_disagrees + 1) / (rest_seen + 2)),
        agree_repness_test=_two_prop_z(agrees, rest_agrees, seen, rest_seen),
        disagree_repness_test=_two_prop_z(disagrees, rest_disagrees, seen, rest_seen),
    )


def select_statements(stats: _GroupStats, *, excluded: np.ndarray, top: int = 5) -> tuple[list[int], int | None]:
    """Polis's list for one group (../shared/notes/methods.md 7b): column indices in display order, and the
    "best agree" statement's index (None when there is none).

    Walk the statements in order, skipping `excluded` (moderated out, meta). Sufficient statements pass the
    significance test; while none has, keep a fallback "best" (highest max(rat, rdt)). Keep a "best agree"
    candidate among statements the group has voted agree or disagree on: the first one with pat > z90 or
    (ra > 1 and pa > 1/2); then a newcomer replaces it by a larger ra*rat*pa*pat if the candidate's ra > 1,
    else by a larger pa*pat. The list: best agree first, then the sufficient statements by metric, five in
    all, agrees before disagrees (stable); with nothing sufficient, just best agree, or else best.
    """
    sufficient: list[int] = []
    best: int | None = None
    best_agree: int | None = None
    agree_strength = (stats.agree_repness * stats.agree_repness_test * stats.agree_share * stats.agree_share_test)
    agree_confidence = stats.agree_share * stats.agree_share_test
    qualifies = stats.qualifies
    for j in range(len(stats.seen)):
        if excluded[j]:
            continue
        if qualifies[j]:
            sufficient.append(j)
        elif not sufficient:
            strength = max(stats.agree_repness_test[j], stats.disagree_repness_test[j])
            if best is None or strength > max(stats.agree_repness_test[best], stats.disagree_repness_test[best]):
                best = j
        if stats.agrees[j] == 0 and stats.disagrees[j] == 0:
            continue
        if best_agree is None:
            if stats.agree_share_test[j] > Z90 or (stats.agree_repness[j] > 1 and stats.agree_share[j] > 0.5):
                best_agree = j
        elif stats.agree_repness[best_agree] > 1:
            if agree_strength[j] > agree_strength[best_agree]:
                best_agree = j
        elif agree_confidence[j] > agree_confidence[best_agree]:
            best_agree = j
    if not sufficient:
        chosen = [best_agree] if best_agree is not None else ([best] if best is not None else [])
        return chosen, best_agree
    metric = stats.metric()
    ranked = sorted((j for j in sufficient if j != best_agree), key=lambda j: -metric[j])
    chosen = ([best_agree] if best_agree is not None else []) + ranked
    chosen = chosen[:top]
    agree_way = stats.agree_way
    chosen = [j for j in chosen if agree_way[j]] + [j for j in chosen if not agree_way[j]]
    return chosen, best_agree


def repness(matrix: VoteMatrix, labels: pd.Series, *, top: int = 5, excluded: set | None = None) -> pd.DataFrame:
    """Representative statements of each group against everyone else, selected as Polis selects them.

    `labels` maps participant ids to a group (NaN or missing: not in any group); `excluded` proposals
    (moderated out, meta) are never shown. One row per shown statement: group, proposal_id, direction
    ('agree'/'disagree', the way the group differs), rank (1 = shown first), n_success / n_trials (the group's
    votes that way / votes seen), p_success and p_test (the smoothed share and its z), repness and
    repness_test (against everyone else), metric (their product), best_agree, qualifies; `p` repeats p_success.
    """
    groups, na, nd, ns = group_counts(matrix, labels)
    if len(groups) == 0 or matrix.shape[1] == 0:
        return pd.DataFrame(columns=REPNESS_COLUMNS)
    excluded_columns = matrix.proposals.isin(list(excluded or ()))
    total_a, total_d, total_s = na.sum(axis=0), nd.sum(axis=0), ns.sum(axis=0)
    rows = []
    for gi, group in enumerate(groups):
        stats = _group_stats(na[gi], nd[gi], ns[gi], total_a - na[gi], total_d - nd[gi], total_s - ns[gi])
        chosen, best_agree = select_statements(stats, excluded=excluded_columns, top=top)
        metric = stats.metric()
        for rank, j in enumerate(chosen, start=1):
            agree = bool(stats.agree_way[j])
            share = stats.agree_share[j] if agree else stats.disagree_share[j]
            rows.append({
                "group": group, "proposal_id": matrix.proposals[j], "direction": "agree" if agree else "disagree",
                "rank": rank, "n_success": int(stats.agrees[j] if agree else stats.disagrees[j]),
                "n_trials": int(stats.seen[j]), "p_success": share,
                "p_test": stats.agree_share_test[j] if agree else stats.disagree_share_test[j],
                "repness": stats.agree_repness[j] if agree else stats.disagree_repness[j],
                "repness_test": stats.agree_repness_test[j] if agree else stats.disagree_repness_test[j],
                "metric": metric[j], "best_agree": j == best_agree, "qualifies": bool(stats.qualifies[j]),
                "p": share, "agree": int(stats.agrees[j]), "disagree": int(stats.disagrees[j]),
                "seen": int(stats.seen[j]),
            })
    return pd.DataFrame(rows, columns=REPNESS_COLUMNS)


def group_informed_consensus(matrix: VoteMatrix, labels: pd.Series) -> pd.Series:
    """Product over groups of (agree + 1) / (seen + 2) for each proposal."""
    groups, na, _, ns = group_counts(matrix, labels)
    if len(groups) == 0:
        return pd.Series(np.ones(len(matrix.proposals)), index=matrix.proposals, name="gic")
    return pd.Series(np.prod((na + 1) / (ns + 2), axis=0), index=matrix.proposals, name="gic")


def consensus(matrix: VoteMatrix, *, top: int = 5, excluded: set | None = None) -> pd.DataFrame:
    """Proposals most agreed (and most disagreed) by everyone: p > 0.5 and z > 1.2816, ranked by p * z;
    `excluded` proposals (moderated out, meta) are never listed."""
    matrix = matrix.keep_columns(~matrix.proposals.isin(list(excluded or ())))
    na, nd, _, ns = matrix.column_counts()
    rows = []
    for direction, n in (("agree", na), ("disagree", nd)):
        p = (n + 1) / (ns + 2)
        z = _one_prop_z(n, ns)
        ok = np.flatnonzero((p > 0.5) & (z > Z90))
        for j in ok[np.argsort(-(p[ok] * z[ok]), kind="stable")[:top]]:
            rows.append({"direction": direction, "proposal_id": matrix.proposals[j], "p": p[j], "p_test": z[j],
                         "seen": int(ns[j])})
    return pd.DataFrame(rows, columns=["direction", "proposal_id", "p", "p_test", "seen"])


def uncertainty(matrix: VoteMatrix, *, threshold: float = 0.3, excluded: set | None = None) -> pd.DataFrame:
    """Proposals many voters passed on (pass / seen above `threshold`), most passed first (not `excluded` ones)."""
    keep = ~matrix.proposals.isin(list(excluded or ()))
    matrix = matrix.keep_columns(keep)
    _, _, passes, seen = matrix.column_counts()
    rate = np.where(seen > 0, passes / np.maximum(seen, 1), 0.0)
    frame = pd.DataFrame({"proposal_id": matrix.proposals, "pass_rate": rate, "seen": seen.astype(int)})
    return frame[frame["pass_rate"] > threshold].sort_values("pass_rate", ascending=False).reset_index(drop=True)


