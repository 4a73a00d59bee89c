from __future__ import annotations

import numpy as np
import pytest

from consult.demo import consultation as demo
from consult.themes.region_words import region_keywords, region_name_words
from consult.themes.words import PhraseVectorizer

FILLER = ["assembly", "powers", "funding", "councils", "buses", "housing", "schools", "hospitals", "roads", "jobs",
          "taxes", "parks", "libraries", "police", "rivers", "farms"]
REGIONS = np.array(["E12000003", "E12000007", "W92000004"])


def consultation(n: int, seed: int, planted: str | None = None, share: float = 0.3) -> tuple[list[str], np.ndarray]:
    """Texts of filler words ("assembly" in most of them); with `planted`, that phrase in `share` of the first
    region's texts only."""
    rng = np.random.default_rng(seed)
    regions = REGIONS[rng.integers(0, len(REGIONS), n)]
    texts = []
    for region in regions:
        words = list(rng.choice(FILLER, 6, replace=False))
        if rng.random() < 0.6:
            words.append("assembly")
        if planted and region == REGIONS[0] and rng.random() < share:
            words += planted.split()
        texts.append("We want " + " and ".join(words) + ".")
    return texts, regions


def test_a_phrase_one_region_uses_more_is_its_keyword_and_common_words_are_not():
    texts, regions = consultation(600, seed=1, planted="lagoons")
    found = region_keywords(texts, regions)
    assert found[REGIONS[0]] == ["lagoons"]
    assert not any("assembly" in phrase.split() for words in found.values() for phrase in words)
    assert found[REGIONS[1]] == [] and found[REGIONS[2]] == []


@pytest.mark.parametrize("seed", range(5))
def test_where_regions_do_not_differ_nothing_is_listed(seed):
    # a class-based TF-IDF lists its top words for every region whatever the texts; the test lists what is beyond
    # chance: regions drawn at random from texts that do not differ (at 5% false discovery per region, a draw lists
    # something in a region at most one time in twenty)
    texts, regions = consultation(600, seed=seed)
    found = region_keywords(texts, regions)
    assert set(found) == set(REGIONS)
    assert sum(bool(words) for words in found.values()) <= 1


def test_names_mentioned_in_passing_and_region_names_are_left_out():
    texts, regions = consultation(600, seed=2)
    texts = [f"In Hull, for Yorkshire: {text}" if region == REGIONS[0] else text
             for text, region in zip(texts, regions, strict=True)]
    kept = region_keywords(texts, regions)
    assert any("hull" in phrase.lower() for phrase in kept[REGIONS[0]])  # without being told, a town is distinctive
    left_out = region_keywords(texts, regions, left_out=("hull",))
    assert left_out[REGIONS[0]] == []
    assert {"yorkshire", "north", "wales", "london"} <= region_name_words()


def test_a_small_region_gets_nothing_and_no_texts_give_no_regions():
    texts, regions = consultation(600, seed=3, planted="lagoons")
    regions = regions.astype(object)
    regions[:5] = "N92000002"
    assert region_keywords(texts, regions, min_texts=10)["N92000002"] == []
    assert region_keywords([], []) == {}


def test_on_the_demo_london_writes_about_housing_and_no_region_gets_the_words_everyone_uses():
    data = demo.generate()
    texts = data.proposals["body"].tolist()
    found = region_keywords(texts, data.proposals["region"])
    assert any("housing" in phrase.lower() for phrase in found["E12000007"])  # the demo's London tilt: 2.6x
    vectorizer = PhraseVectorizer(min_df=2, adjacent_phrases=True)
    share = np.asarray((vectorizer.fit_transform(texts) > 0).mean(axis=0)).ravel()
    in_tenth = {str(phrase) for phrase, held in zip(vectorizer.surface_, share, strict=True) if held > 0.1}
    assert in_tenth and not in_tenth & {phrase for words in found.values() for phrase in words}
