"""The label phrase counter: the same counts as scikit-learn's n-grams with stop-word terms dropped."""

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from consult.text import CONTRACTION_PARTS, WORD_PATTERN, stop_words
from consult.theme_words import PhraseVectorizer

TEXTS = ["Members from taking part in regional assemblies", "Bus services in the North East are not good",
         "Regional assemblies should set bus fares", "We don't want more councils, we want regional assemblies",
         "Good bus services; great bus services", "Ünïcode wörds and ALL CAPS bus services 2024 x"]


def test_adjacent_terms_are_scikit_learns_ngrams_without_stop_word_terms():
    for ngram_range in [(1, 2), (1, 3), (2, 3)]:
        vectorizer = PhraseVectorizer(ngram_range=ngram_range, adjacent_phrases=True)
        reference = CountVectorizer(token_pattern=WORD_PATTERN, ngram_range=ngram_range)
        counts = reference.fit_transform(TEXTS).toarray()
        stops = stop_words() | CONTRACTION_PARTS
        for row, text in enumerate(TEXTS):
            expected = {term: int(n) for term, n in zip(reference.get_feature_names_out(), counts[row], strict=True)
                        if n and not any(word in stops for word in term.split())}
            got = vectorizer._adjacent_terms(text)
            assert {term: got.count(term) for term in got} == expected
    assert "members taking" not in PhraseVectorizer(adjacent_phrases=True)._adjacent_terms(TEXTS[0])


def test_surface_form_is_the_most_frequent_spelling():
    vectorizer = PhraseVectorizer(min_df=1, adjacent_phrases=True)
    vectorizer.fit_transform(["bus service", "bus services", "bus services", "trains", "trams", "roads", "ferries"])
    surface = dict(zip(vectorizer.terms_, vectorizer.surface_, strict=True))
    assert surface["bus servic"] == "bus services"
    assert surface["servic"] == "services"
    assert not np.isin(["service"], vectorizer.surface_).any()
