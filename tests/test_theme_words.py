"""The phrase vectoriser: stemmed words and phrases, surface forms, label phrases."""

import numpy as np

from consult.text.cleaning import CONTRACTION_PARTS, stop_words
from consult.themes.words import PhraseVectorizer

TEXTS = ["Members from taking part in regional assemblies", "Bus services in the North East are not good",
         "Regional assemblies should set bus fares", "We don't want more councils, we want regional assemblies",
         "Good bus services; great bus services", "Ünïcode wörds and ALL CAPS bus services 2024 x"]


def test_label_phrases_are_real_neighbours_without_stop_words():
    vectorizer = PhraseVectorizer(min_df=1, adjacent_phrases=True)
    vectorizer.fit_transform(TEXTS)
    assert "bus servic" in vectorizer.terms_
    assert "region assembl" in vectorizer.terms_
    assert "member take" not in vectorizer.terms_ and "member" in vectorizer.terms_  # "members from taking"
    assert not any(word in stop_words() | CONTRACTION_PARTS for term in vectorizer.surface_ for word in term.split())


def test_clustering_phrases_join_words_across_stop_words():
    vectorizer = PhraseVectorizer(min_df=1)
    vectorizer.fit_transform(TEXTS)
    assert "member take" in vectorizer.terms_  # scikit-learn's n-grams: stop words go before pairs are formed


def test_surface_form_is_the_most_frequent_spelling():
    vectorizer = PhraseVectorizer(min_df=1, adjacent_phrases=True)
    vectorizer.fit_transform(["bus service", "bus services", "bus services", "trains", "trams", "roads", "ferries"])
    surface = dict(zip(vectorizer.terms_, vectorizer.surface_, strict=True))
    assert surface["bus servic"] == "bus services"
    assert surface["servic"] == "services"
    assert not np.isin(["service"], vectorizer.surface_).any()
