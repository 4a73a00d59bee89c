"""The fast term counter gives scikit-learn's counts exactly, whatever the text."""

import random
import re
import string

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from consult.text.cleaning import WORD_PATTERN, stop_words
from consult.text.term_counts import TermCounter, words_of_texts

TEXTS = ["Members from taking part in regional assemblies", "Bus services in the North East are not good",
         "Regional assemblies should set bus fares", "We don't want more councils, we want regional assemblies",
         "Good bus services; great bus services", "Ünïcode wörds and ALL CAPS bus services 2024 x",
         "", "   ", "a b c", "don’t stop_words x2 2x ab-cd ΣΑΣ ς İstanbul ﬁne ²nd ½ \x00nul \x01one",
         "tabs\tand\nnew\u2028lines\u00a0here", "emoji😀between😀words and zero\u200bwidth"]


def _hostile(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    alphabet = string.printable + "ΣΑσςéüß’—–“”İıſﬁ²½٣\u00a0\u2028\u0301\u200b😀_Ωω\x00\x01" + " bus  fares "
    return [''.join(rng.choice(alphabet) for _ in range(rng.randint(0, 50))) for _ in range(n)]


def _reference(ngram_range, stops):
    return CountVectorizer(token_pattern=WORD_PATTERN, lowercase=True, ngram_range=ngram_range, dtype=np.float32,
                           stop_words=sorted(stops) if stops else None)


def test_words_are_the_word_pattern_of_each_lower_cased_text():
    texts = TEXTS + _hostile(400)
    numbers, distinct, text_of = words_of_texts(texts)
    for position, text in enumerate(texts):
        assert distinct[numbers[text_of == position]].tolist() == re.findall(WORD_PATTERN, text.lower())


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 2), (1, 3), (2, 3)])
@pytest.mark.parametrize("chunk_size", [3, 20_000])
def test_counts_equal_scikit_learns(ngram_range, chunk_size):
    texts = TEXTS + _hostile(300)
    stops = stop_words()
    reference = _reference(ngram_range, stops)
    expected = reference.fit_transform(texts)
    counter = TermCounter(stops, ngram_range=ngram_range, chunk_size=chunk_size)
    got = counter.fit_transform(texts)
    assert counter.get_feature_names_out().tolist() == reference.get_feature_names_out().tolist()
    assert got.shape == expected.shape and (got != expected).nnz == 0
    assert got.dtype == np.float32 and got.has_sorted_indices


def test_new_texts_are_counted_on_the_fitted_vocabulary():
    texts = _hostile(400, seed=1)
    stops = stop_words()
    reference = _reference((1, 2), stops).fit(texts[:200])
    counter = TermCounter(stops, ngram_range=(1, 2), chunk_size=50)
    counter.fit_transform(texts[:200])
    # unknown words still stand between their neighbours; unknown stop words are still removed first
    new = texts[200:] + ["bus zzzunknown fares", "bus the fares", "fares bus"]
    assert (counter.transform(new) != reference.transform(new)).nnz == 0


def test_adjacent_phrases_hold_no_stop_word():
    stops = stop_words()
    reference = _reference((1, 3), None)
    expected = reference.fit_transform(TEXTS).toarray()
    keep = [i for i, term in enumerate(reference.get_feature_names_out()) if not set(term.split()) & stops]
    counter = TermCounter(stops, ngram_range=(1, 3), phrases_across_stop_words=False)
    got = counter.fit_transform(TEXTS)
    assert counter.terms_.tolist() == reference.get_feature_names_out()[keep].tolist()
    assert np.array_equal(got.toarray(), expected[:, keep])
    assert "members taking" not in counter.terms_.tolist()


def test_empty_and_wordless_input():
    counter = TermCounter(stop_words(), ngram_range=(1, 2))
    assert counter.fit_transform([]).shape == (0, 0)
    assert counter.fit_transform(["", "1 2 3", "a ! ?"]).shape == (3, 0)
    assert counter.transform(["bus fares"]).shape == (1, 0)


def test_phrase_lengths_beyond_three_are_refused():
    with pytest.raises(ValueError, match="ngram_range"):
        TermCounter(ngram_range=(1, 4))
