"""How well a phrase speaks for a theme, judged by the words around it: first-order relevance.

Mei, Shen and Zhai (2007, "Automatic labeling of multinomial topic models") score a candidate label l for a topic
by the topic's words that keep l company: relevance(l, theme) = sum over words w of p(w | theme) * PMI(w, l),
with PMI from how often w and l share a text. A label whose texts talk the way the theme talks scores high; the
discriminative form subtracts the mean score over the other themes, so a phrase every theme uses does not win.
Here it decides whether a second phrase widens a label ("Wind" -> "Wind and energy"): the texts holding either
phrase must still talk like the theme.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

#: added to every co-occurrence count, so a word never seen with a phrase costs a finite penalty
SMOOTHING = 0.1


def word_distributions(word_counts: sparse.csr_matrix, labels: np.ndarray, n_themes: int) -> np.ndarray:
    """p(word | theme): rows themes, columns words, from the word counts of each theme's texts."""
    rows = []
    for theme in range(n_themes):
        totals = np.asarray(word_counts[labels == theme].sum(axis=0)).ravel().astype(float)
        rows.append(totals / totals.sum() if totals.sum() > 0 else totals)
    return np.vstack(rows) if rows else np.zeros((0, word_counts.shape[1]))


def relevance(holds: np.ndarray, word_presence: sparse.csr_matrix, distributions: np.ndarray,
              theme: int, *, other_weight: float = 1.0) -> np.ndarray:
    """Discriminative first-order relevance of each candidate to `theme`.

    `holds` is a dense texts x candidates array (1 where the text holds the candidate; a candidate may be "either
    of two phrases"), `word_presence` texts x words (1 where the text holds the word), `distributions` p(word | theme)
    for every theme. Returns one score per candidate: its relevance to `theme` minus `other_weight` times its
    mean relevance to the other themes."""
    n_texts = max(holds.shape[0], 1)
    together = np.asarray(word_presence.T @ holds, dtype=float).T
    with_candidate = np.asarray(holds).sum(axis=0)
    with_word = np.asarray(word_presence.sum(axis=0)).ravel()
    pmi = np.log((together + SMOOTHING) * n_texts
                 / (np.maximum(with_candidate, 1)[:, None] * np.maximum(with_word, 1)[None, :]))
    per_theme = pmi @ distributions.T
    if distributions.shape[0] < 2:
        return per_theme[:, theme]
    others = np.delete(per_theme, theme, axis=1).mean(axis=1)
    return per_theme[:, theme] - other_weight * others
