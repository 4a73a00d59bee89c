"""Theme labels beside the human theme names: every gold theme of the shared sets, labelled from its own texts.

    python benchmarks/bench_theme_labels.py [--found]

The labeller is given the human partition (so a label is judged on its own, not on the clustering) and prints,
per theme, the human name, consult's label as a theme shows it (widened by a second phrase where one covers more
of the theme: `ThemeLabeller.broaden`), the label before widening, the label before the grammar checks (two-word
phrases, no word classes) and the plain label a simple tool gives: the theme's top class-based TF-IDF word (the
baseline the issue's "Service", "Helpful", "Care" came from).

Beside the hand scores, one automatic measure: how often a label is nearer its own theme's human name than any
other theme's name of the same set (cosine of wordllama's sentence vectors; the labeller never uses them, so the
measure does not grade its own method). It is a coarse check, not a reading: "Italy" may sit nearest "Consistency
with Global Standards" and still mislead. With `--found`, it
also prints the labels of the themes ThemeModel finds on each set, beside the human theme most of their texts
carry. Scores are given by hand in the closing note (good / vague / misleading); the printed table is their
source.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.bench_themes import EVALS, demo_set, eval_sentiments, gambling  # noqa: E402
from consult.demo.text import THEMES as DEMO_THEMES  # noqa: E402
from consult.themes.labels import ThemeLabeller  # noqa: E402
from consult.themes.model import ThemeModel  # noqa: E402
from consult.themes.words import PhraseVectorizer, class_tfidf  # noqa: E402

try:
    from consult.text import embeddings  # noqa: E402
except ImportError:  # pragma: no cover - the semantic extra is absent
    embeddings = None


def human_names() -> dict[str, dict[str, str]]:
    framework = json.loads((EVALS / "framework_themes.json").read_text())
    sentiments = {letter: topic["topics"][0]["topic_name"] for side in framework.values()
                  for letter, topic in side.items()}
    names = {"eval_sentiments": sentiments, "demo": {key: bank["label"] for key, bank in DEMO_THEMES.items()}}
    for question in (1, 2):
        themes_file = next((EVALS / "gambling_XS" / "outputs" / "mapping").glob(
            f"*/question_part_{question}/themes.json"))
        names[f"gambling q{question}"] = {t["topic_id"]: t["topic_label"] for t in json.loads(themes_file.read_text())}
    return names


def sets() -> dict[str, tuple[list[str], list[str]]]:
    return {"eval_sentiments": eval_sentiments(), "gambling q1": gambling(1), "gambling q2": gambling(2),
            "demo": demo_set()}


def plain_top_word(texts: list[str], ids: np.ndarray, k: int) -> list[str]:
    vectorizer = PhraseVectorizer(ngram_range=(1, 1))
    counts = vectorizer.fit_transform(texts)
    weights = class_tfidf(counts, ids, k)
    return [str(vectorizer.surface_[int(np.argmax(weights[theme]))]).capitalize() for theme in range(k)]


def names_matched(labels: list[str], human: list[str]) -> int:
    """How many labels sit nearer their own human theme name than any other of the set (wordllama cosine)."""
    from sklearn.preprocessing import normalize

    similarity = normalize(embeddings.embed(labels)) @ normalize(embeddings.embed(human)).T
    return int(sum(int(np.argmax(row)) == i for i, row in enumerate(similarity)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--found", action="store_true", help="also label the themes ThemeModel finds")
    args = parser.parse_args(argv)
    if not EVALS.exists():
        print(f"skipped: {EVALS} is absent")
        return 0
    names = human_names()
    total = 0
    matched: Counter[str] = Counter()
    can_match = embeddings is not None and embeddings.available()
    for name, (texts, gold) in sets().items():
        keys = sorted(set(gold) - {"none"})
        ids = np.array([keys.index(g) if g in keys else -1 for g in gold])
        labeller = ThemeLabeller().fit(texts, ids)
        narrow, keywords, _ = labeller.describe(texts, ids, len(keys))
        labels = labeller.broaden(texts, ids, narrow)
        plain = plain_top_word(texts, ids, len(keys))
        before, _, _ = ThemeLabeller(max_phrase_words=2, grammar=False).fit(texts, ids).describe(texts, ids, len(keys))
        print(f"\n{name}: {len(texts)} texts, {len(keys)} human themes")
        print(f"  {'human theme':40s} {'texts':>5s}  {'consult label':36s} {'before widening':22s} "
              f"{'without grammar':22s} plain top word")
        for theme, key in enumerate(keys):
            total += 1
            human = names[name].get(key, key)
            print(f"  {human[:40]:40s} {int((ids == theme).sum()):5d}  {labels[theme][:36]:36s} {narrow[theme][:22]:22s} "
                  f"{before[theme][:22]:22s} {plain[theme]}")
        if can_match:
            human = [names[name].get(key, key) for key in keys]
            for column, values in (("consult", labels), ("before widening", narrow), ("without grammar", before),
                                   ("plain top word", plain)):
                matched[column] += names_matched(values, human)
        if args.found:
            model = ThemeModel(random_state=0).fit(texts)
            print(f"  themes found by ThemeModel (k={model.k_}): label <- the human theme most of its texts carry")
            for row in model.themes_.itertuples():
                if row.theme < 0:
                    continue
                carried = Counter(gold[i] for i in np.flatnonzero(model.labels_ == row.theme)).most_common(1)
                key, count = carried[0] if carried else ("-", 0)
                print(f"    {row.label[:40]:40s} {row.size:5d}  <- {names[name].get(key, key)} ({count})")
    print(f"\n{total} human themes labelled")
    if can_match:
        print("labels nearer their own human theme name than any other (wordllama cosine): "
              + ", ".join(f"{column} {count}/{total}" for column, count in matched.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
