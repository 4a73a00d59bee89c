"""Theme quality and speed: consult's ThemeModel (TF-IDF and semantic) against a plain TF-IDF + KMeans baseline.

    python benchmarks/bench_themes.py [--scales 10000 100000 1000000] [--skip-quality]

Quality: NMI and ARI against gold labels on ../shared/data/themefinder-evals (eval_sentiments.csv; gambling_XS
question 1, primary label) and on the demo consultation's ground truth. Baseline, measured in the same run:
TfidfVectorizer -> TruncatedSVD(100) -> KMeans with k set to the true number of themes (a generous baseline:
consult has to choose k itself). Scaling: generated proposals, each scale in its own process so peak memory
(max RSS) is that scale's alone. Targets: 100,000 in <= 10 s; 1,000,000 in <= 120 s with <= 4 GB.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.decomposition import TruncatedSVD  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score  # noqa: E402

from benchmarks.common import row  # noqa: E402
from consult import demo, embeddings  # noqa: E402
from consult.themes import ThemeModel  # noqa: E402

EVALS = Path(__file__).resolve().parents[2] / "shared" / "data" / "themefinder-evals"


def _primary_topic(cell: str) -> str:
    """The first gold theme listed for a response ("none" for the few with no theme)."""
    match = re.search(r"'([A-L])': \{", cell)
    return match.group(1) if match else "none"


def eval_sentiments() -> tuple[list[str], list[str]]:
    frame = pd.read_csv(EVALS / "eval_sentiments.csv")
    gold = frame["target_topics"].map(_primary_topic)
    return frame["response"].tolist(), gold.tolist()


def gambling(question: int = 1) -> tuple[list[str], list[str]]:
    base = EVALS / "gambling_XS"
    responses = [json.loads(line) for line in (base / f"inputs/question_part_{question}/responses.jsonl").open()]
    mapping_file = next((base / "outputs" / "mapping").glob(f"*/question_part_{question}/mapping.jsonl"))
    primary = {r["response_id"]: r["labels"][0] for r in map(json.loads, mapping_file.open())}
    return [r["response"] for r in responses], [primary[r["response_id"]] for r in responses]


def demo_set() -> tuple[list[str], list[str]]:
    data = demo.generate()
    return data.proposals["body"].tolist(), data.proposals["true_theme"].tolist()


def baseline_labels(texts: list[str], k: int) -> np.ndarray:
    vectors = TfidfVectorizer(stop_words="english").fit_transform(texts)
    lsa = TruncatedSVD(n_components=min(100, vectors.shape[1] - 1), random_state=0).fit_transform(vectors)
    return KMeans(n_clusters=k, n_init=4, random_state=0).fit_predict(lsa)


def quality() -> None:
    sets = [("demo consultation", demo_set)]
    if EVALS.exists():
        sets = [("eval_sentiments", eval_sentiments), ("gambling_XS q1", lambda: gambling(1))] + sets
    else:
        print(f"(no {EVALS}: quality on the demo only)")
    modes = [("tfidf", False)] + ([("semantic", True)] if embeddings.available() else [])
    print(row("data / method", "NMI", "ARI", "k", "seconds", widths=(36, 8, 8, 6, 10)))
    for name, load in sets:
        texts, gold = load()
        k_true = len(set(gold))
        start = time.perf_counter()
        labels = baseline_labels(texts, k_true)
        seconds = time.perf_counter() - start
        print(row(f"{name}: baseline (k={k_true} given)", f"{normalized_mutual_info_score(gold, labels):.3f}",
                  f"{adjusted_rand_score(gold, labels):.3f}", k_true, f"{seconds:.1f}", widths=(36, 8, 8, 6, 10)))
        for mode, semantic in modes:
            start = time.perf_counter()
            model = ThemeModel(semantic=semantic).fit(texts)
            seconds = time.perf_counter() - start
            print(row(f"{name}: consult {mode} (auto k)", f"{normalized_mutual_info_score(gold, model.labels_):.3f}",
                      f"{adjusted_rand_score(gold, model.labels_):.3f}", model.k_, f"{seconds:.1f}",
                      widths=(36, 8, 8, 6, 10)))
        if name != "gambling_XS q1":
            runs = [ThemeModel(random_state=seed).fit(texts).labels_ for seed in range(4)]
            pairs = [adjusted_rand_score(a, b) for i, a in enumerate(runs) for b in runs[i + 1:]]
            print(f"  stability across 4 seeds ({name}, default mode): mean pairwise ARI {np.mean(pairs):.3f}")


def generated(n: int, seed: int = 0) -> list[str]:
    pool = demo.generate(seed=seed, n_participants=3000, n_proposals=12_000).proposals["body"].to_numpy()
    rng = np.random.default_rng(seed)
    # mostly distinct texts: half of them add the first sentence of another proposal
    first = pool[rng.integers(0, len(pool), size=n)]
    second = pool[rng.integers(0, len(pool), size=n)]
    join = rng.random(n) < 0.5
    return [f"{a} {b.split('. ')[0]}." if j else a for a, b, j in zip(first, second, join, strict=True)]


def one_scale(n: int, semantic: bool) -> None:
    texts = generated(n)
    start = time.perf_counter()
    model = ThemeModel(semantic=semantic).fit(texts)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": n, "semantic": semantic, "seconds": seconds, "peak_mb": peak_mb, "k": model.k_}))


def scaling(scales: list[int]) -> None:
    print(row("proposals / mode", "seconds", "peak MB", "k", "target", widths=(30, 10, 10, 6, 16)))
    modes = [False] + ([True] if embeddings.available() else [])
    for n in scales:
        for semantic in modes:
            out = subprocess.run([sys.executable, __file__, "--one", str(n)] + (["--semantic"] if semantic else []),
                                 capture_output=True, text=True, timeout=1800)
            if out.returncode != 0:
                print(f"{n:,} {'semantic' if semantic else 'tfidf'}: failed\n{out.stderr[-2000:]}")
                continue
            result = json.loads(out.stdout.strip().splitlines()[-1])
            target = {100_000: "<= 10 s", 1_000_000: "<= 120 s, 4 GB"}.get(n, "")
            print(row(f"{n:,} {'semantic' if semantic else 'tfidf'}", f"{result['seconds']:.1f}",
                      f"{result['peak_mb']:.0f}", result["k"], target, widths=(30, 10, 10, 6, 16)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="theme benchmark")
    parser.add_argument("--scales", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--semantic", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        one_scale(args.one, args.semantic)
        return 0
    if not args.skip_quality:
        quality()
    if args.scales:
        scaling(args.scales)
    return 0


if __name__ == "__main__":
    sys.exit(main())
