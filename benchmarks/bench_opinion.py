"""Opinion groups, repness, consensus and regional support tables at scale.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench_opinion.py
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench_opinion.py --large
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench_opinion.py --large --file

`--file` measures what a Polis user runs: the votes written as a Polis export folder, votes.csv read as text and
converted (how consult read it before; the baseline) against parsed as numbers straight away (how it reads it now),
then `consult groups FOLDER` end to end under `/usr/bin/time -v` (seconds and peak memory of the whole command).

Targets on this 2-core machine: 10,000 participants x 1,000 proposals x 1,000,000 votes: groups + repness +
consensus <= 5 s, all regional support tables <= 1 s; `--large` (100,000 x 10,000 x 10,000,000, beyond the
100k-participant cap Polis lives with): groups + repness + consensus <= 30 s in <= 8 GB (peak resident memory of
the whole run, printed at the end). Baseline measured in the same run: a plain scikit-learn pipeline with no
Polis machinery (mean imputation as a sparse centred matrix, TruncatedSVD(2), KMeans(3); no sparsity scaling,
base clusters, k selection or statistics).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import sparse  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.decomposition import TruncatedSVD  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

from benchmarks.common import row  # noqa: E402
from consult import regions  # noqa: E402
from consult.opinion import groups as opinion
from consult.support import direct as support


def synthetic_votes(n_people: int, n_props: int, n_votes: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    group = rng.choice(3, size=n_people, p=[0.45, 0.35, 0.2])
    centres = np.array([[2.0, 0.0], [-1.5, 1.5], [-0.5, -2.0]])
    direction = rng.normal(size=(n_props, 2))
    # draw a few more than needed, keep one vote per person and proposal, then exactly n_votes of them
    per_person = int(np.ceil(n_votes * 1.2 / n_people))
    people = np.repeat(np.arange(n_people), per_person)
    props = rng.integers(n_props, size=len(people))
    first = np.flatnonzero(~pd.DataFrame({"p": people, "c": props}).duplicated().to_numpy())
    keep = np.sort(rng.choice(first, size=min(n_votes, len(first)), replace=False))
    people, props = people[keep], props[keep]
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
    parser.add_argument("--large", action="store_true", help="100,000 x 10,000 x 10,000,000, one repeat")
    parser.add_argument("--file", action="store_true", help="from a Polis export folder on disk (see above)")
    args = parser.parse_args(argv)
    if args.large:
        args.participants, args.proposals, args.votes, args.repeats = 100_000, 10_000, 10_000_000, 1
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    votes, truth = synthetic_votes(args.participants, args.proposals, args.votes)
    if args.file:
        return from_file(votes, args.proposals)
    print(f"{args.participants:,} participants x {args.proposals:,} proposals x {len(votes):,} votes "
          f"(best of {args.repeats})")

    def baseline():
        rows = votes["participant_id"].to_numpy()
        cols = votes["proposal_id"].to_numpy()
        value = votes["value"].to_numpy(dtype=float)
        seen = np.bincount(cols, minlength=args.proposals)
        means = np.bincount(cols, weights=value, minlength=args.proposals) / np.maximum(seen, 1)
        centred = sparse.csr_matrix((value - means[cols], (rows, cols)))
        points = TruncatedSVD(n_components=2, random_state=0).fit_transform(centred)
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
    print(row("baseline SVD+KMeans(3)", f"{base_s:.2f}", "1.00", ""))
    print(row("groups+repness+consensus", f"{polis_s:.2f}", f"{polis_s / base_s:.2f}",
              "<= 30 s" if args.large else "<= 5 s"))
    print(row("all regional support tables", f"{tables_s:.2f}", f"{tables_s / base_s:.2f}",
              "" if args.large else "<= 1 s"))
    print(f"groups found: k={model.k_}; ARI vs planted groups: consult "
          f"{adjusted_rand_score(truth[labels.index.to_numpy()], labels):.3f}, baseline "
          f"{adjusted_rand_score(truth, base_labels):.3f}")
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    print(f"peak resident memory of the whole run: {peak_gb:.2f} GB; load average after: {os.getloadavg()[0]:.2f}")
    return 0


def from_file(votes: pd.DataFrame, n_proposals: int) -> int:
    """votes.csv parsing, text then numbers, and `consult groups` on the folder end to end."""
    import re
    import subprocess
    import tempfile

    from consult.intake import polis

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        pd.DataFrame({"timestamp": 1_700_000_000_000, "comment-id": range(n_proposals), "author-id": 0,
                      "moderated": 1, "comment-body": [f"Statement {i}" for i in range(n_proposals)]}
                     ).to_csv(folder / "comments.csv", index=False)
        pd.DataFrame({"timestamp": 1_700_000_000_000 + np.arange(len(votes)), "datetime": "x",
                      "comment-id": votes["proposal_id"], "voter-id": votes["participant_id"],
                      "vote": votes["value"]}).to_csv(folder / "votes.csv", index=False)
        print(f"votes.csv: {(folder / 'votes.csv').stat().st_size / 1e6:.0f} MB; load average "
              f"{os.getloadavg()[0]:.2f}")

        def as_text():  # the reading before: every column as text, then converted
            events = polis._read_csv(folder / "votes.csv", polis.VOTE_COLUMNS)[polis.VOTE_COLUMNS].copy()
            for column in events.columns:
                events[column] = polis._ints(events[column], column)
            return events

        text_s, _ = best_of(as_text, 1)
        numbers_s, _ = best_of(lambda: polis._read_votes_csv(folder / "votes.csv"), 1)
        print(row("step", "seconds", "vs baseline", "target"))
        print(row("votes.csv as text (before)", f"{text_s:.2f}", "1.00", ""))
        print(row("votes.csv as numbers (now)", f"{numbers_s:.2f}", f"{numbers_s / text_s:.2f}", ""))
        run = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "consult.cli.main", "groups", str(folder)],
                             capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(Path(__file__)
                                                                                                 .resolve().parents[1])))
        wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", run.stderr)
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
        minutes, _, seconds = wall.group(1).rpartition(":") if wall else ("0", "", "nan")
        total = float(minutes or 0) * 60 + float(seconds)
        print(row("consult groups FOLDER (end to end)", f"{total:.1f}", "", "<= 30 s, <= 4 GB"))
        print(f"peak memory of consult groups: {int(peak.group(1)) / 1024 ** 2:.2f} GB; exit {run.returncode}; "
              f"load average after: {os.getloadavg()[0]:.2f}")
        if run.returncode:
            print(run.stderr[-2000:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
