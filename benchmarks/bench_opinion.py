"""Opinion groups, repness, consensus and regional support tables at scale.

    python benchmarks/bench_opinion.py [--participants 10000] [--proposals 1000] [--votes 1000000]

Targets on this 2-core machine: groups + repness + consensus <= 5 s; all regional support tables <= 1 s.
Baseline measured in the same run: scikit-learn PCA(2) + KMeans(3) on the mean-imputed matrix, with no
Polis machinery (no sparsity scaling, base clusters, k selection or statistics).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

from benchmarks.common import row  # noqa: E402
from consult import opinion, regions, support  # noqa: E402


def synthetic_votes(n_people: int, n_props: int, n_votes: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    group = rng.choice(3, size=n_people, p=[0.45, 0.35, 0.2])
    centres = np.array([[2.0, 0.0], [-1.5, 1.5], [-0.5, -2.0]])
    direction = rng.normal(size=(n_props, 2))
    per_person = n_votes // n_people
    people = np.repeat(np.arange(n_people), per_person)
    props = np.concatenate([rng.choice(n_props, size=per_person, replace=False) for _ in range(n_people)])
    logits = (direction[props] * centres[group[people]]).sum(axis=1)
    agree = rng.random(len(props)) < 1 / (1 + np.exp(-logits))
    value = np.where(rng.random(len(props)) < 0.1, 0, np.where(agree, 1, -1)).astype("int8")
    codes = np.array(regions.region_codes())
    region_of = rng.choice(codes, size=n_people, p=regions.population_baseline() / regions.population_baseline().sum())
    frame = pd.DataFrame({"participant_id": people, "proposal_id": props, "value": value, "region": region_of[people]})
    return frame, group


def best_of(fn, repeats: int = 3) -> tuple[float, object]:
    best, result = np.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="opinion and support benchmark")
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--proposals", type=int, default=1_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    votes, truth = synthetic_votes(args.participants, args.proposals, args.votes)
    print(f"{args.participants:,} participants x {args.proposals:,} proposals x {len(votes):,} votes "
          f"(best of {args.repeats})")

    def baseline():
        matrix = opinion.VoteMatrix.from_votes(votes).values
        filled = np.where(np.isnan(matrix), np.nanmean(matrix, axis=0), matrix)
        points = PCA(n_components=2, random_state=0).fit_transform(filled)
        return KMeans(n_clusters=3, n_init=1, random_state=0).fit_predict(points)

    def polis_pipeline():
        model = opinion.OpinionGroups().fit(votes)
        rep = opinion.repness(model.matrix_, model.labels_)
        gic = opinion.group_informed_consensus(model.matrix_, model.labels_)
        cons = opinion.consensus(model.matrix_)
        unc = opinion.uncertainty(model.matrix_)
        return model, rep, gic, cons, unc

    def regional_tables():
        base = regions.population_baseline()
        return (support.support_table(votes), support.regional_support(votes),
                support.weighted_support(votes, base), support.cross_region_consensus(votes),
                support.representativeness(votes.drop_duplicates("participant_id"), base))

    base_s, base_labels = best_of(baseline, args.repeats)
    polis_s, (model, *_rest) = best_of(polis_pipeline, args.repeats)
    tables_s, _ = best_of(regional_tables, args.repeats)
    labels = model.labels_.dropna()
    print(row("step", "seconds", "vs baseline", "target"))
    print(row("baseline PCA+KMeans(3)", f"{base_s:.2f}", "1.00", ""))
    print(row("groups+repness+consensus", f"{polis_s:.2f}", f"{polis_s / base_s:.2f}", "<= 5 s"))
    print(row("all regional support tables", f"{tables_s:.2f}", f"{tables_s / base_s:.2f}", "<= 1 s"))
    print(f"groups found: k={model.k_}; ARI vs planted groups: consult "
          f"{adjusted_rand_score(truth[labels.index.to_numpy()], labels):.3f}, baseline "
          f"{adjusted_rand_score(truth, base_labels):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
