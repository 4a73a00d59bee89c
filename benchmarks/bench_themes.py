"""Theme quality and speed: consult's ThemeModel (default mode) against two plain baselines given the true k.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench_themes.py [--scales 10000 100000 1000000]
        [--skip-quality] [--embeddings] [--k-follows]

Quality: NMI and ARI against gold labels on ../shared/data/themefinder-evals (eval_sentiments.csv; both
gambling_XS questions, primary label) and on the demo consultation's ground truth, with random_state 0 and as
the mean over five seeds (± their standard deviation). Baselines, measured in the same run, both with k set to the
true number of themes (generous: consult has to choose k itself): TfidfVectorizer -> TruncatedSVD(100) -> KMeans,
and wordllama's own sentence vectors (the model consult ships) -> KMeans; the gain printed is over the stronger of
the two on each score. Scaling (against the TF-IDF baseline): generated
proposals, each scale and method in its own process so peak memory (max RSS) is that run's alone. Targets:
<= 1.5x the baseline's time at 10,000 texts; 100,000 in <= 10 s; 1,000,000 in <= 60 s (one BLAS thread).
"""

from __future__ import annotations

import argparse
import json
import os
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
from consult.demo import consultation as demo  # noqa: E402
from consult.text import embeddings
from consult.themes.model import ThemeModel  # noqa: E402

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


def embedding_baseline_labels(texts: list[str], k: int, seed: int = 0) -> np.ndarray:
    """The second plain baseline: wordllama's own sentence vectors (the model consult ships) and k-means, true k."""
    from sklearn.preprocessing import normalize

    vectors = normalize(embeddings.embed(texts))
    return KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(vectors)


def baseline_labels(texts: list[str], k: int, seed: int = 0) -> np.ndarray:
    vectors = TfidfVectorizer(stop_words="english").fit_transform(texts)
    lsa = TruncatedSVD(n_components=min(100, vectors.shape[1] - 1), random_state=seed).fit_transform(vectors)
    return KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(lsa)


SEEDS = range(5)
WIDTHS = (46, 21, 21, 5, 9)


def scores(gold, labels) -> tuple[float, float]:
    """NMI and ARI of `labels` against the human themes `gold`."""
    return normalized_mutual_info_score(gold, labels), adjusted_rand_score(gold, labels)


def quality() -> None:
    """NMI and ARI with random_state 0, and the mean over five seeds (the same seeds for both methods): one
    seed of k-means on 100 texts is a draw, not a measurement."""
    sets = [("demo consultation", demo_set)]
    if EVALS.exists():
        sets = [("eval_sentiments", eval_sentiments), ("gambling_XS q1", lambda: gambling(1)),
                ("gambling_XS q2", lambda: gambling(2))] + sets
    else:
        print(f"(no {EVALS}: quality on the demo only)")
    print(row("data / method", "NMI seed0|mean", "ARI seed0|mean", "k", "seconds", widths=WIDTHS))
    for name, load in sets:
        texts, gold = load()
        k_true = len(set(gold))
        start = time.perf_counter()
        base = [scores(gold, baseline_labels(texts, k_true, seed)) for seed in SEEDS]
        base_seconds = (time.perf_counter() - start) / len(SEEDS)
        semantic = []
        if embeddings.available():
            start = time.perf_counter()
            semantic = [scores(gold, embedding_baseline_labels(texts, k_true, seed)) for seed in SEEDS]
            semantic_seconds = (time.perf_counter() - start) / len(SEEDS)
        start = time.perf_counter()
        models = [ThemeModel(random_state=seed).fit(texts) for seed in SEEDS]
        ours_seconds = (time.perf_counter() - start) / len(SEEDS)
        ours = [scores(gold, m.labels_) for m in models]
        rows = [(f"{name}: TF-IDF + k-means (k={k_true} given)", base, k_true, base_seconds)]
        if semantic:
            rows.append((f"{name}: wordllama + k-means (k given)", semantic, k_true, semantic_seconds))
        rows.append((f"{name}: consult default (own k)", ours, models[0].k_, ours_seconds))
        for label, by_seed, k, seconds in rows:
            mean = np.mean(by_seed, axis=0)
            spread = np.std(by_seed, axis=0)
            print(row(label, f"{by_seed[0][0]:.3f} | {mean[0]:.3f}±{spread[0]:.3f}",
                      f"{by_seed[0][1]:.3f} | {mean[1]:.3f}±{spread[1]:.3f}", k, f"{seconds:.1f}", widths=WIDTHS))
        strongest = np.max([np.mean(by_seed, axis=0) for _, by_seed, _, _ in rows[:-1]], axis=0)
        gain = np.mean(ours, axis=0) - strongest
        stable = np.mean([adjusted_rand_score(a.labels_, b.labels_) for i, a in enumerate(models)
                          for b in models[i + 1:]])
        print(f"  gain over the stronger baseline on each score (means): NMI {gain[0]:+.3f}, ARI {gain[1]:+.3f}; "
              f"seed-to-seed ARI of consult {stable:.3f}")
        labels = models[0].themes_
        print("  labels: " + "; ".join(f"{r.label} ({r.size})" for r in labels.itertuples()))


def embedding_check() -> None:
    """Sentence vectors alone, with the true k: wordllama's mean pooling against the SIF embedder."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    from consult.text.cleaning import WORD_PATTERN

    print(row("data / sentence vectors (true k)", "NMI", "ARI", widths=(44, 8, 8)))
    sets = [("eval_sentiments", eval_sentiments), ("demo consultation", demo_set)] if EVALS.exists() else [
        ("demo consultation", demo_set)]
    for name, load in sets:
        texts, gold = load()
        k = len(set(gold))
        counter = CountVectorizer(token_pattern=WORD_PATTERN, lowercase=True, dtype=np.float32)
        counts = counter.fit_transform(texts)
        for label, vectors in (("wordllama mean pooling", normalize(embeddings.embed(texts))),
                               ("SIF-weighted, common direction removed",
                                embeddings.SifEmbedder().fit_transform(counts, counter.get_feature_names_out()))):
            mean = np.mean([scores(gold, KMeans(k, n_init=4, random_state=s).fit_predict(vectors))
                            for s in range(3)], axis=0)
            print(row(f"{name}: {label}", f"{mean[0]:.3f}", f"{mean[1]:.3f}", widths=(44, 8, 8)))


def k_follows() -> None:
    """Does the number of themes follow the data? Human themes with 40+ texts from eval_sentiments and the demo
    (18) pooled, 4 to 18 of them drawn at a time (three draws each): the k consult chooses, and NMI."""
    texts, gold = eval_sentiments()
    demo_texts, demo_gold = demo_set()
    texts = texts + demo_texts
    gold = np.array([f"eval {g}" for g in gold] + [f"demo {g}" for g in demo_gold])
    themes, counts = np.unique(gold, return_counts=True)
    themes = themes[counts >= 40]
    rng = np.random.default_rng(0)
    print(row("human themes pooled", "k chosen (three draws)", "NMI", widths=(22, 26, 8)))
    for k_true in (4, 6, 10, 14, len(themes)):
        found, scores = [], []
        for draw in range(3):
            rows = np.flatnonzero(np.isin(gold, rng.choice(themes, k_true, replace=False)))
            model = ThemeModel(random_state=draw).fit([texts[i] for i in rows])
            found.append(model.k_)
            scores.append(normalized_mutual_info_score(gold[rows], model.labels_))
        print(row(k_true, ", ".join(map(str, found)), f"{np.mean(scores):.3f}", widths=(22, 26, 8)))


def generated(n: int, seed: int = 0) -> list[str]:
    pool = demo.generate(seed=seed, n_participants=3000, n_proposals=12_000).proposals["body"].to_numpy()
    rng = np.random.default_rng(seed)
    # mostly distinct texts: half of them add the first sentence of another proposal
    first = pool[rng.integers(0, len(pool), size=n)]
    second = pool[rng.integers(0, len(pool), size=n)]
    join = rng.random(n) < 0.5
    return [f"{a} {b.split('. ')[0]}." if j else a for a, b, j in zip(first, second, join, strict=True)]


def _fit(texts: list[str], method: str) -> int:
    if method == "baseline":
        baseline_labels(texts, 12)
        return 12
    return ThemeModel(semantic=method == "default").fit(texts).k_


def one_scale(n: int, method: str) -> None:
    """One method at one scale in a fresh process: a first fit on 500 texts pays the one-off costs (lazy
    imports, loading the word vectors), as a running app server has, then the timed fit on all `n` (the median
    of three fits up to 20,000 texts, where one fit is short enough for the machine's noise to matter)."""
    texts = generated(n)
    start = time.perf_counter()
    _fit(texts[:500], method)
    warm_up = time.perf_counter() - start
    timings = []
    for _ in range(3 if n <= 20_000 else 1):
        start = time.perf_counter()
        k = _fit(texts, method)
        timings.append(time.perf_counter() - start)
    seconds = float(np.median(timings))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": n, "method": method, "seconds": seconds, "warm_up": warm_up, "peak_mb": peak_mb,
                      "k": k}))


def scaling(scales: list[int]) -> None:
    """Each scale and method in its own process; the baseline (k given) only up to 100,000."""
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    print("seconds: the fit in a process that has already run one (imports and word vectors loaded, as in a "
          "running server; median of 3 up to 20,000 texts); first run: that one-off warm-up on 500 texts")
    print(row("texts / method", "seconds", "first run", "peak MB", "k", "target", widths=(30, 10, 10, 10, 6, 22)))
    for n in scales:
        timings = {}
        for method in (["baseline"] if n <= 100_000 else []) + ["default"]:
            out = subprocess.run([sys.executable, __file__, "--one", str(n), "--method", method],
                                 capture_output=True, text=True, timeout=1800)
            if out.returncode != 0:
                print(f"{n:,} {method}: failed\n{out.stderr[-2000:]}")
                continue
            result = json.loads(out.stdout.strip().splitlines()[-1])
            timings[method] = result["seconds"]
            target = {100_000: "<= 10 s", 1_000_000: "<= 60 s"}.get(n, "") if method == "default" else ""
            if method == "default" and "baseline" in timings:
                target = (target + " " if target else "") + f"{timings['default'] / timings['baseline']:.2f}x base"
            print(row(f"{n:,} {method}", f"{result['seconds']:.2f}", f"{result['warm_up']:.2f}",
                      f"{result['peak_mb']:.0f}", result["k"], target, widths=(30, 10, 10, 10, 6, 22)))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="theme benchmark")
    parser.add_argument("--scales", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--method", default="default", help=argparse.SUPPRESS)
    parser.add_argument("--embeddings", action="store_true", help="sentence vectors alone: mean pooling vs SIF")
    parser.add_argument("--k-follows", action="store_true", help="pooled human themes: does k follow their number")
    args = parser.parse_args(argv)
    if args.one:
        one_scale(args.one, args.method)
        return 0
    if args.embeddings:
        embedding_check()
        return 0
    if args.k_follows:
        k_follows()
        return 0
    if not args.skip_quality:
        quality()
    if args.scales:
        scaling(args.scales)
    return 0


if __name__ == "__main__":
    sys.exit(main())
