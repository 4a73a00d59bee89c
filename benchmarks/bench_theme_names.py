"""Names mentioned in passing: do towns that members name by the way pull the themes apart, and does leaving them
out (`consult/themes/incidental_names.py`) put them back?

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench_theme_names.py

Planted truth: every shared set's texts, and the same texts with a UK town named in passing in 60% of them ("In
Hull, ...", "... (from Hull)", "As someone in Hull: ..."), the town drawn for each text whatever its theme, the
first of 30 towns in a quarter of the mentions (Zipf, as a region's city is named most), so it says nothing about
the theme (three plantings). NMI and ARI against the human themes, five seeds, ThemeModel with names
left out (the default) and kept, beside the plain baseline given the true k (TF-IDF + LSA + k-means) on the same
texts, and the paired difference (same texts, same seed) with its standard error.
Also: how many themes are labelled by a planted town, which names the default left out (a planted town it kept is
in too few texts to judge, or a miss; a real name of the set it left out is listed for reading), and on
../shared/data/polis/bg2050-volunteers (no human themes) how many themes are labelled by the city's name.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from benchmarks.bench_themes import (  # noqa: E402
    EVALS,
    SEEDS,
    baseline_labels,
    demo_set,
    eval_sentiments,
    gambling,
    scores,
)
from consult.themes.model import ThemeModel  # noqa: E402

#: town plantings per set (fits on 100 texts move by 0.05 NMI between seeds: one planting is not enough to compare)
DRAWS = 3
TOWNS = ["Hull", "Leeds", "Bristol", "Ipswich", "Swindon", "Carlisle", "Wrexham", "Dundee", "Derry", "Norwich",
         "Exeter", "Preston", "Sunderland", "Luton", "Reading", "Stoke", "Bolton", "Wigan", "Hastings", "Lincoln",
         "Truro", "Barnsley", "Grimsby", "Swansea", "Inverness", "Newry", "Oldham", "Croydon", "Margate", "Chester"]
TEMPLATES = ["In {town}, {text}", "{text} (from {town})", "As someone in {town}: {text}",
             "{text} We see it in {town} too."]
SHARE = 0.6
BG2050 = EVALS.parent / "polis" / "bg2050-volunteers" / "comments.csv"


def with_towns(texts: list[str], seed: int = 0) -> list[str]:
    """The texts with a town named in passing in `SHARE` of them, drawn as places are named (Zipf: the first town
    in a quarter of the mentions, as a region's city is named most), whatever the text's theme."""
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, len(TOWNS) + 1)
    out = []
    for text in texts:
        if rng.random() < SHARE:
            template = TEMPLATES[rng.integers(len(TEMPLATES))]
            if template.startswith("In ") and text[:1].isupper() and text[1:2].islower():
                text = text[0].lower() + text[1:]  # "In Hull, create ...", not "In Hull, Create ..."
            text = template.format(town=TOWNS[rng.choice(len(TOWNS), p=weights / weights.sum())], text=text)
        out.append(text)
    return out


def mean_spread(pairs: list[tuple[float, float]]) -> str:
    values = np.array(pairs)
    return (f"{values[:, 0].mean():.3f}±{values[:, 0].std():.3f} / {values[:, 1].mean():.3f}"
            f"±{values[:, 1].std():.3f}")


def measure(name: str, draws: list[list[str]], gold: list[str], planted: bool) -> None:
    """Scores over every draw of the texts (one draw as written, several town plantings) x the seeds; the difference
    is paired (same texts, same seed) with its standard error."""
    k_true = len(set(gold))
    baseline, kept, left_out = [], [], []
    town_themes = {False: 0, True: 0}  # themes labelled by a planted town, over every fit
    names: list[str] | None = None  # what the default left out on the first draw with seed 0
    for texts in draws:
        baseline += [scores(gold, baseline_labels(texts, k_true, seed)) for seed in SEEDS]
        for leave_out, results in ((False, kept), (True, left_out)):
            for seed in SEEDS:
                model = ThemeModel(random_state=seed, leave_out_incidental_names=leave_out).fit(texts)
                results.append(scores(gold, model.labels_))
                if leave_out and names is None:
                    names = model.incidental_names_
                town_themes[leave_out] += sum(bool(set(label.split()) & set(TOWNS))
                                              for label in model.themes_["label"])
    difference = np.array(left_out) - np.array(kept)
    error = difference.std(axis=0) / np.sqrt(len(difference))
    print(f"  {name:<40} {mean_spread(baseline):>26} {mean_spread(kept):>26} {mean_spread(left_out):>26}   "
          f"{difference[:, 0].mean():+.3f}±{error[0]:.3f} / {difference[:, 1].mean():+.3f}±{error[1]:.3f}")
    others = [n for n in names if n not in TOWNS] if planted else names
    line = f"    left out (first draw, seed 0): {len(names)} names"
    if planted:
        in_texts = {town for town in TOWNS if any(town in text for text in draws[0])}
        counts = {town: sum(town in text for text in draws[0]) for town in in_texts - set(names)}
        line += (f"; planted towns kept: {', '.join(f'{t} ({n} texts)' for t, n in sorted(counts.items())) or 'none'}"
                 f"; names of the set left out: {', '.join(others) or 'none'}\n    themes labelled by a planted town "
                 f"over the {len(kept)} fits: {town_themes[False]} with names kept, {town_themes[True]} left out")
    else:
        line += f": {', '.join(others[:16]) or 'none'}{' ...' if len(others) > 16 else ''}"
    print(line)


def main() -> int:
    if not EVALS.exists():
        print(f"shared data not found at {EVALS}: nothing to measure")
        return 0
    sets = {"eval_sentiments": eval_sentiments(), "gambling q1": gambling(1), "gambling q2": gambling(2),
            "demo": demo_set()}
    print(f"NMI / ARI, mean±sd over {len(SEEDS)} seeds (x {DRAWS} town draws where planted): TF-IDF baseline "
          "(true k) | consult, names kept | consult, names in passing left out (default) | left out - kept, paired")
    for name, (texts, gold) in sets.items():
        measure(f"{name} as written", [texts], gold, planted=False)
        if name != "demo":  # the demo's members already name their towns
            measure(f"{name}, towns in {SHARE:.0%} of texts", [with_towns(texts, seed) for seed in range(DRAWS)],
                    gold, planted=True)
    if BG2050.exists():
        comments = pd.read_csv(BG2050)["comment-body"].dropna().astype(str).tolist()
        city = {"bg", "bowling", "green", "bgky"}
        for leave_out in (False, True):
            labels = [ThemeModel(random_state=seed, leave_out_incidental_names=leave_out).fit(comments)
                      .themes_["label"].tolist() for seed in SEEDS]
            named = [sum(bool(city & set(label.lower().split())) for label in run) for run in labels]
            print(f"bg2050-volunteers, names {'left out' if leave_out else 'kept'}: themes labelled by the city's "
                  f"name per seed {named}; seed 0: {'; '.join(labels[0])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
