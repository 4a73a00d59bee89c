"""Opinion groups against the groups Polis itself published, beside a plain re-run of Polis's pipeline.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_polis_groups.py [FOLDER ...]

FOLDER: more Polis export folders to measure beside the shared ones (for example conversations from Polis's open
data, github.com/compdemocracy/openData, that the project was not tuned on).

For each real conversation in ../shared/data/polis (participants-votes.csv carries Polis's `group-id`):
adjusted Rand index of our groups against Polis's, and of the plain re-run computed in the same run:
participants-votes matrix, moderated-out and meta comments set to 0, mean imputation, PCA(2) on everyone,
sparsity scaling (zeros of moderated comments count as votes), 100 base k-means clusters (k-means++, 10 starts),
k = 2..5 by silhouette on the base centres. Compared over the participants Polis grouped.

"chance 95%" is the 95th percentile of the index for 1,000 random shuffles of our labels over the same
participants: a figure below it is no better than guessing with groups of the same sizes.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.metrics import adjusted_rand_score, silhouette_score  # noqa: E402

from benchmarks import polis_sets  # noqa: E402
from benchmarks.common import row  # noqa: E402
from consult.intake import polis
from consult.opinion import groups as opinion  # noqa: E402


def plain_rerun(export: polis.PolisExport, seed: int = 0) -> pd.Series:
    """The published pipeline, run plainly with scikit-learn (the baseline)."""
    table = export.participants_votes
    columns = [c for c in table.columns if c.strip().isdigit()]
    matrix = table[columns].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float).copy()
    zeroed = polis.zeroed_comments(export)
    for j, column in enumerate(columns):
        if int(column) in zeroed:
            matrix[:, j] = 0.0
    voted = (~np.isnan(matrix)).sum(axis=1)
    means = np.nan_to_num(np.nanmean(matrix, axis=0))
    filled = np.where(np.isnan(matrix), means, matrix)
    points = PCA(2, random_state=seed).fit_transform(filled) * np.sqrt(len(columns) / np.maximum(voted, 1))[:, None]
    grouped = table["group-id"].astype(str).str.strip() != ""
    points, ids = points[grouped.to_numpy()], table.loc[grouped, "participant"].to_numpy()
    return pd.Series(plain_clusters(points, seed), index=ids)


def plain_clusters(points: np.ndarray, seed: int = 0) -> np.ndarray:
    """Up to 100 base k-means clusters (k-means++, 10 starts), then k = 2..5 by silhouette on their centres."""
    n_base = min(100, len(np.unique(points.round(10), axis=0)))
    base = KMeans(n_base, n_init=10, random_state=seed).fit(points)
    sizes = np.bincount(base.labels_, minlength=n_base)
    best = None
    for k in range(2, min(5, 2 + n_base // 12) + 1):
        groups = KMeans(k, n_init=10, random_state=seed).fit(base.cluster_centers_, sample_weight=sizes)
        score = silhouette_score(base.cluster_centers_, groups.labels_)
        if best is None or score > best[0]:
            best = (score, groups.labels_[base.labels_])
    return best[1]


def main(argv: list[str] | None = None) -> int:
    extra = [Path(folder) for folder in (sys.argv[1:] if argv is None else argv)]
    folders = polis_sets.folders(extra)
    if not folders:
        return 0
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    print("adjusted Rand index against Polis's own groups, over the participants all three grouped "
          "(and over each one's own clustered participants)")
    widths = (26, 9, 11, 10, 11, 8, 8, 22)
    print(row("conversation", "Polis k", "plain ARI", "ours ARI", "chance 95%", "ours k", "ours s",
              "own: plain / ours", widths=widths))
    for folder in folders:
        name = folder.name
        export = polis.read_export(folder)
        truth = export.groups.dropna()
        plain = plain_rerun(export)
        start = time.perf_counter()
        model = opinion.OpinionGroups().fit(polis.participants_votes_frame(export),
                                            zeroed_proposals=polis.zeroed_comments(export))
        seconds = time.perf_counter() - start
        ours = model.labels_.dropna()
        plain_own = truth.index.intersection(plain.index)
        ours_own = truth.index.intersection(ours.index)
        common = plain_own.intersection(ours_own)
        own = (f"{adjusted_rand_score(truth[plain_own], plain[plain_own]):.3f} / "
               f"{adjusted_rand_score(truth[ours_own], ours[ours_own]):.3f}")
        rng = np.random.default_rng(0)
        shuffled = [adjusted_rand_score(truth[common], rng.permutation(ours[common].to_numpy()))
                    for _ in range(1000)]
        print(row(name, truth.nunique(), f"{adjusted_rand_score(truth[common], plain[common]):.3f}",
                  f"{adjusted_rand_score(truth[common], ours[common]):.3f}", f"{np.quantile(shuffled, 0.95):.3f}",
                  model.k_, f"{seconds:.2f}", own, widths=widths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
