"""The words a region's responses use more than the rest's (`consult themes --region-col`), against known truth.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench_region_words.py [--shuffles 5]

The demo consultation's generator writes each region's proposals with known tilts (`THEME_TILTS`: London 2.6x
housing, the North East 3x transport, ...). For the six phrases shown per UK region, it counts
- on topic: phrases whose theme (the generator's theme holding the largest share of the phrase's texts) is one the
  region is tilted towards;
- common: phrases in over a tenth of all texts ("assembly", "local");
- towns: phrases holding one of the generator's town names (where a member lives, not what they ask for);
and, with the regions shuffled among the texts (`--shuffles` draws), how many phrases are still shown: each one is
a false discovery. Baseline, in the same run: the class-based TF-IDF top phrases (regions as classes) the command
printed before.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from consult.demo import consultation as demo  # noqa: E402
from consult.demo import text as demo_text  # noqa: E402
from consult.themes import incidental_names  # noqa: E402
from consult.themes.model import ThemeModel  # noqa: E402
from consult.themes.region_words import region_keywords  # noqa: E402
from consult.themes.words import PhraseVectorizer, class_tfidf, pick_keywords  # noqa: E402

SHOWN = 6


def key(phrase: object) -> str:
    """A phrase as counted ("Barnett formula" and "fuel-poor" as "barnett formula" and "fuel poor")."""
    return str(phrase).lower().replace("-", " ")


def tfidf_keywords(texts: list[str], regions: np.ndarray) -> dict[str, list[str]]:
    """The baseline: class-based TF-IDF with regions as classes, its top phrases for every region."""
    names, codes = np.unique(regions.astype(str), return_inverse=True)
    vectorizer = PhraseVectorizer(min_df=2, adjacent_phrases=True)
    weights = class_tfidf(vectorizer.fit_transform(texts), codes, len(names))
    return {str(name): pick_keywords(weights[i], vectorizer.terms_, vectorizer.surface_, 8)
            for i, name in enumerate(names)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shuffles", type=int, default=5)
    args = parser.parse_args(argv)
    data = demo.generate()
    texts = data.proposals["body"].tolist()
    regions = data.proposals["region"].to_numpy().astype(str)
    gold = data.proposals["true_theme"].to_numpy()
    vectorizer = PhraseVectorizer(min_df=2, adjacent_phrases=True)
    holds = (vectorizer.fit_transform(texts) > 0).tocsc()
    keys = sorted(set(gold))
    per_theme = np.vstack([np.asarray(holds[gold == key].mean(axis=0)).ravel() for key in keys])
    theme_of = {key(p): keys[int(np.argmax(per_theme[:, j]))] for j, p in enumerate(vectorizer.surface_)}
    share = dict(zip(map(key, vectorizer.surface_), np.asarray(holds.mean(axis=0)).ravel(), strict=True))
    towns = {word.lower() for places in demo_text.TOWNS.values() for place in places for word in place.split()}
    left_out = incidental_names.not_for_labels(ThemeModel(random_state=0).fit(texts).name_verdicts_)
    methods = {"class-based TF-IDF (before)": lambda r: tfidf_keywords(texts, r),
               "exact test, 5% false discovery (now)": lambda r: region_keywords(texts, r, left_out=left_out)}
    print(f"demo: {len(texts)} texts; phrases shown per UK region: up to {SHOWN}")
    print(f"  {'method':38s} {'shown':>5s} {'on topic':>9s} {'common':>7s} {'towns':>6s} {'shown, regions shuffled':>24s}")
    rng = np.random.default_rng(0)
    shuffles = [rng.permutation(regions) for _ in range(args.shuffles)]
    for method, keywords in methods.items():
        found = {region: [key(phrase) for phrase in words[:SHOWN]] for region, words in keywords(regions).items()
                 if region in demo_text.THEME_TILTS}
        shown = [(region, phrase) for region, words in found.items() for phrase in words]
        on_topic = sum(demo_text.THEME_TILTS[region].get(theme_of.get(phrase, ""), 1.0) > 1
                       for region, phrase in shown)
        common = sum(share.get(phrase, 0.0) > 0.1 for _, phrase in shown)
        named = sum(bool(set(phrase.lower().split()) & towns) for _, phrase in shown)
        null = [sum(len(words[:SHOWN]) for region, words in keywords(shuffled).items()
                    if region in demo_text.THEME_TILTS) for shuffled in shuffles]
        print(f"  {method:38s} {len(shown):5d} {on_topic:4d} ({on_topic / max(len(shown), 1):.0%}) {common:7d} "
              f"{named:6d} {np.mean(null):14.1f} (of {SHOWN * len(found)})")
    for region in demo_text.THEME_TILTS:
        tilted = ", ".join(key for key, tilt in demo_text.THEME_TILTS[region].items() if tilt > 1)
        print(f"  {region} (tilted to {tilted}): {', '.join(region_keywords(texts, regions, left_out=left_out)[region][:SHOWN]) or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
