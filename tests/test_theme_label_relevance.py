"""First-order relevance of a label to a theme (consult/themes/label_relevance.py, Mei, Shen and Zhai 2007)."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from consult.themes.label_relevance import relevance, word_distributions

# words: 0 wind, 1 energy, 2 bills, 3 parking, 4 hospital, 5 council
PRESENCE = np.array([
    [1, 1, 0, 0, 0, 1],  # theme 0: energy
    [1, 1, 0, 0, 0, 0],
    [0, 1, 1, 0, 0, 0],
    [0, 1, 1, 0, 0, 1],
    [0, 0, 0, 1, 1, 1],  # theme 1: parking
    [0, 0, 0, 1, 1, 0],
    [0, 0, 0, 1, 0, 1],
    [0, 0, 0, 1, 1, 0],
], dtype=float)
LABELS = np.array([0, 0, 0, 0, 1, 1, 1, 1])


def test_word_distributions_are_each_themes_word_shares():
    distributions = word_distributions(sparse.csr_matrix(PRESENCE), LABELS, 2)
    np.testing.assert_allclose(distributions.sum(axis=1), [1.0, 1.0])
    assert distributions[0, 1] == 4 / 10 and distributions[1, 3] == 4 / 9
    assert distributions[0, 3] == 0.0


def test_a_phrase_whose_texts_talk_like_the_theme_is_more_relevant_to_it():
    words = sparse.csr_matrix(PRESENCE)
    distributions = word_distributions(sparse.csr_matrix(PRESENCE), LABELS, 2)
    holds = PRESENCE[:, [1, 3, 5]]  # candidates: energy, parking, council
    to_energy = relevance(holds, words, distributions, 0)
    to_parking = relevance(holds, words, distributions, 1)
    assert to_energy[0] > to_energy[2] > to_energy[1]
    assert to_parking[1] > to_parking[2] > to_parking[0]
    # "council" runs through both themes: it is never the most relevant to either
    assert to_energy.argmax() != 2 and to_parking.argmax() != 2


def test_one_theme_alone_has_no_other_to_subtract():
    words = sparse.csr_matrix(PRESENCE[:4])
    distributions = word_distributions(sparse.csr_matrix(PRESENCE[:4]), np.zeros(4, dtype=int), 1)
    scores = relevance(PRESENCE[:4, [1]], words, distributions, 0)
    assert scores.shape == (1,) and np.isfinite(scores).all()
