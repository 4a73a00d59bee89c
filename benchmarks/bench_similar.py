"""Similar-proposal search: index build and query time at 100,000 proposals.

    python benchmarks/bench_similar.py [--proposals 100000] [--queries 50]
    python benchmarks/bench_similar.py --pairs     # how the offer threshold was chosen

With --pairs: precision and recall of what is offered on hand-labelled pairs (tests/data/similar_pairs.csv) at
each threshold, for word overlap alone (the baseline, and the method before) and for the offer score.

Baseline, measured in the same run: a plain Python scan computing word-set Jaccard similarity against every
proposal (what a quick implementation would do).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.bench_themes import generated  # noqa: E402
from benchmarks.common import row  # noqa: E402
from consult.proposals.similar import SimilarityIndex  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="similar-proposal search benchmark")
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--pairs", action="store_true", help="precision/recall on the labelled pairs")
    args = parser.parse_args(argv)
    if args.pairs:
        return pairs_report()
    texts = generated(args.proposals)
    queries = generated(args.queries, seed=1)
    start = time.perf_counter()
    index = SimilarityIndex(np.arange(len(texts)), texts)
    build = time.perf_counter() - start
    start = time.perf_counter()
    for q in queries:
        index.query(q)
    ours = (time.perf_counter() - start) / len(queries)
    word_sets = [set(t.lower().split()) for t in texts]
    start = time.perf_counter()
    for q in queries[:5]:
        words = set(q.lower().split())
        sorted(((len(words & w) / max(len(words | w), 1), i) for i, w in enumerate(word_sets)), reverse=True)[:5]
    baseline = (time.perf_counter() - start) / 5
    start = time.perf_counter()  # a moderation hides one proposal: the rebuild reuses the others' vectors
    SimilarityIndex(np.arange(1, len(texts)), texts[1:], reuse=index.memo())
    rebuild = time.perf_counter() - start
    print(f"{args.proposals:,} proposals; index built in {build:.1f} s; rebuilt after one is hidden in "
          f"{rebuild:.1f} s (sentence vectors reused)")
    print(row("query", "ms/query", "vs baseline"))
    print(row("baseline: Python Jaccard scan", f"{baseline * 1000:.0f}", "1.00"))
    print(row("consult SimilarityIndex", f"{ours * 1000:.1f}", f"{ours / baseline:.3f}"))
    return 0


def pairs_report() -> int:
    import pandas as pd

    from consult.demo import consultation as demo
    from consult.proposals import similar

    pairs = pd.read_csv(Path(__file__).resolve().parents[1] / "tests" / "data" / "similar_pairs.csv")
    duplicates = pairs["duplicate"] == 1
    corpus = demo.generate(n_participants=300, n_proposals=1600).proposals["body"].tolist()
    scores = similar.score_pairs(pairs["a"].tolist(), pairs["b"].tolist(), corpus)
    print(f"{len(pairs)} labelled pairs ({int(duplicates.sum())} duplicates); offered = score >= threshold")
    print(row("threshold", "overlap prec", "recall", "offer prec", "recall", widths=(12, 14, 10, 14, 10)))
    for threshold in sorted({*np.round(np.arange(0.2, 0.66, 0.04), 2), similar.OFFER_THRESHOLD}):
        cells = []
        for column in ("lexical", "meaning"):
            offered = scores[column] >= threshold
            cells += [f"{duplicates[offered].mean():.2f}" if offered.any() else "-",
                      f"{(offered & duplicates).sum() / duplicates.sum():.2f}"]
        mark = " <- OFFER_THRESHOLD" if threshold == similar.OFFER_THRESHOLD else ""
        print(row(f"{threshold:.2f}", *cells, widths=(12, 14, 10, 14, 10)) + mark)
    return 0


if __name__ == "__main__":
    sys.exit(main())
