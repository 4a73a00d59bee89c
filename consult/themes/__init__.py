"""Themes: what members are talking about, by region.

- `model`: the theme model (an estimator: fit on texts, label, choose k) and running it on a consultation.
- `words`: the phrase vectoriser, class-based TF-IDF keywords and negation marking; `labels`: one topic phrase per
  theme; `phrase_grammar`: whether a phrase reads as a topic; `clustering`: the clustering and its k selection.
- `by_region`: themes by region; `distinctive`: ratios against the rest of the UK with exact intervals, and each region's most distinctive theme.

May import `consult.text`, `consult.regions` and `consult.storage` (to run on a consultation); never the app.
"""
