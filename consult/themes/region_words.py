"""The words and phrases a region's members use more than everyone else, where the difference is beyond chance.

A phrase is tested, for each region, on the number of the region's texts that hold it: given how many texts in all
hold it, that number is hypergeometric if the phrase has nothing to do with the region (an exact one-sided test,
no approximation at a handful of texts). Within a region the phrases kept are those the Benjamini-Hochberg
procedure keeps at a false discovery rate of `false_discovery` (5%), strongest evidence first. A region where
nothing passes gets no phrases: an empty list says that nothing is distinctive, never a list of the region's
commonest words.

Before, the phrases were the top of a class-based TF-IDF with regions as classes: on the demo consultation 34 of
the 72 phrases shown for its 12 UK regions were in over a tenth of all texts ("assembly", "local", "powers"), 22
were on a theme the generator tilts the region to, and with the regions shuffled it still showed six for every
region. Now 18 are shown, none common, 12 on a tilted theme, one a town, and 1.8 with the regions shuffled
(`benchmarks/bench_region_words.py`).

Phrases holding a place name mentioned in passing (the theme model's names, `incidental_names.not_for_labels`,
given as `left_out`) or a word of a UK region's name are not candidates: "Leeds" and "Yorkshire" are where the
region's members live, not what they ask for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from consult import regions as uk
from consult.themes.labels import written_form
from consult.themes.words import PhraseVectorizer, pick_keywords

#: the share of false discoveries tolerated among a region's phrases (Benjamini-Hochberg)
FALSE_DISCOVERY = 0.05
#: a phrase is tested in a region only where at least this many of the region's texts hold it
MIN_REGION_TEXTS = 2


def region_name_words() -> frozenset[str]:
    """The lower-case words of every UK region's name ("north", "east", "yorkshire", "wales", ...)."""
    words = {word for code in uk.region_codes() for word in uk.region_name(code).lower().replace(",", " ").split()}
    return frozenset(words - {"of", "the", "and"})


def region_keywords(texts: list[str], regions: pd.Series | np.ndarray, *, n: int = 8, min_texts: int = 10,
                    left_out: tuple[str, ...] = (), false_discovery: float = FALSE_DISCOVERY) -> dict[str, list[str]]:
    """Per region (as `regions` spells it), up to `n` phrases its texts use more than all the other texts,
    strongest evidence first; an empty list where none is distinctive beyond chance.

    Regions with fewer than `min_texts` texts get no phrases (too few people to describe safely). `left_out`:
    lower-case words (names mentioned in passing) no phrase may hold.
    """
    region_array = np.asarray(regions, dtype=object)
    if len(texts) == 0:
        return {}
    names, codes = np.unique(region_array.astype(str), return_inverse=True)
    vectorizer = PhraseVectorizer(min_df=2 if len(texts) >= 20 else 1, adjacent_phrases=True)
    holds = (vectorizer.fit_transform(list(texts)) > 0).astype(np.int64).tocsr()
    banned = region_name_words() | {word.lower() for word in left_out}
    candidate = np.array([not (set(str(phrase).lower().replace("-", " ").split()) & banned)
                          for phrase in vectorizer.surface_], dtype=bool)
    texts_holding = np.asarray(holds.sum(axis=0)).ravel()
    sizes = np.bincount(codes, minlength=len(names))
    out: dict[str, list[str]] = {}
    for region, name in enumerate(names):
        if sizes[region] < min_texts:
            out[str(name)] = []
            continue
        in_region = np.asarray(holds[codes == region].sum(axis=0)).ravel()
        tested = candidate & (in_region >= MIN_REGION_TEXTS)
        # P(at least this many of the region's texts hold it | how many texts hold it at all)
        p_values = stats.hypergeom.sf(in_region[tested] - 1, len(texts), texts_holding[tested], sizes[region])
        strength = np.zeros(len(candidate))
        kept = (stats.false_discovery_control(p_values, method="bh") <= false_discovery) if len(p_values) else \
            np.zeros(0, dtype=bool)
        strength[np.flatnonzero(tested)[kept]] = -np.log(np.maximum(p_values[kept], 1e-300))
        region_texts = [str(texts[i]) for i in np.flatnonzero(codes == region)]
        out[str(name)] = [written_form(phrase, region_texts)  # "NHS", "Barnett formula", as the texts write them
                          for phrase in pick_keywords(strength, vectorizer.terms_, vectorizer.surface_, n)]
    return out
