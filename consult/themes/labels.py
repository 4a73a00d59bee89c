"""Theme labels: a topic phrase from each theme's own texts, no two alike.

A label is a phrase the texts use (no generative model), chosen among the theme's most distinctive phrases
(class-based TF-IDF) that occur in at least `coverage` of its texts, and it must read as a topic:
- it ends on a word that names something (`phrase_grammar.PhraseUsage.is_topic`): never a lone adjective
  ("Helpful"), nor a modifier cut from its noun ("Fuel poor" from "fuel poor households");
- it is not the start of an instruction ("Stop councils" from "we should stop councils ..."): words the texts
  mostly write after "to", "should" or "we" are verbs there;
- it does not end on a word of praise or complaint ("Great service" is fine, "Better" is not).
Where nothing passes, the best phrase is used as it is, so a theme is never unlabelled.
"""

from __future__ import annotations

import re

import numpy as np

from consult.themes import phrase_grammar
from consult.themes.words import (
    PhraseVectorizer,
    class_coverage,
    class_tfidf,
    label_stems,
    mark_negation,
    pick_keywords,
)

USAGE_TEXTS = 1500


class ThemeLabeller:
    """Fit once on a fit's texts and a first partition (it counts phrases on up to `texts_per_theme` texts of
    each theme), then `describe` any partition of the same texts: merges only join themes, so the sample stays
    fair.

    `describe(texts, labels, k)` returns (label per theme, keywords per theme, class weights (k, phrases)); it is
    given the texts again rather than keeping them, so a fitted model holds no copy of a consultation's texts.
    `max_phrase_words=2, grammar=False` is the labeller before the grammar checks (benchmarks compare the two)."""

    def __init__(self, *, min_df: int = 2, coverage: float = 0.1, n_keywords: int = 8, texts_per_theme: int = 250,
                 max_phrase_words: int = 3, grammar: bool = True, random_state: int = 0) -> None:
        self.min_df = min_df
        self.max_phrase_words = max_phrase_words
        self.grammar = grammar
        self.coverage = coverage
        self.n_keywords = n_keywords
        self.texts_per_theme = texts_per_theme
        self.random_state = random_state

    def fit(self, texts: list[str], labels: np.ndarray) -> ThemeLabeller:
        labels = np.asarray(labels)
        rng = np.random.default_rng(self.random_state)
        chosen = []
        for theme in np.unique(labels):
            members = np.flatnonzero(labels == theme)
            if len(members) > self.texts_per_theme:
                members = rng.choice(members, self.texts_per_theme, replace=False)
            chosen.append(members)
        self.rows_ = np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=int)
        # words under a negation ("could not have been better") do not count, so praise is not labelled "Better"
        marked = [mark_negation(texts[i]) for i in self.rows_]
        self.phrases_ = PhraseVectorizer(min_df=self.min_df, adjacent_phrases=True,
                                        ngram_range=(1, self.max_phrase_words))
        self.counts_ = self.phrases_.fit_transform(marked)
        self._texts_with = np.maximum(np.asarray((self.counts_ > 0).sum(axis=0)).ravel(), 1)
        self._column = {phrase: i for i, phrase in enumerate(self.phrases_.surface_)}
        # how phrases are used is read off at most USAGE_TEXTS of them: a label covers a tenth of its theme, so its
        # phrase is still seen dozens of times, and this pass is plain Python
        usage_rows = np.random.default_rng(self.random_state).permutation(len(marked))[:USAGE_TEXTS]
        self.usage_ = (phrase_grammar.PhraseUsage().fit([marked[i] for i in np.sort(usage_rows)])
                       if self.grammar else None)
        self._topic_cache: dict[str, bool] = {}
        return self

    def _is_topic(self, phrase: str) -> bool:
        if not self.grammar:
            return True
        if phrase not in self._topic_cache:  # describe runs again after every merge of two themes
            self._topic_cache[phrase] = self.usage_.is_topic(phrase)
        return self._topic_cache[phrase]

    def describe(self, texts: list[str], labels: np.ndarray, k: int) -> tuple[list[str], list[list[str]], np.ndarray]:
        labels = np.asarray(labels)
        sample_labels = labels[self.rows_]
        terms, surface = self.phrases_.terms_, self.phrases_.surface_
        weights = class_tfidf(self.counts_, sample_labels, k)
        keyword_lists = [pick_keywords(weights[theme], terms, surface, self.n_keywords) for theme in range(k)]
        # a label must speak for the theme: only phrases in at least `coverage` of its texts qualify (a rare word
        # can top class-based TF-IDF: "Italy" for a theme about advertising rules)
        coverage = class_coverage(self.counts_, sample_labels, k)
        # how much of a phrase's use is in this theme: "assembly" runs through every devolution theme, "scrutiny"
        # through one; a label should name what sets the theme apart
        in_theme = coverage * np.bincount(sample_labels[sample_labels >= 0], minlength=k)[:, None]
        precision = in_theme / self._texts_with[None, :]
        column = self._column
        candidate_lists = []
        for theme in range(k):
            wide = coverage[theme] >= self.coverage
            # the theme's strongest phrases in rank order (a phrase that extends a strong word takes its rank:
            # "responsible" -> "responsible gambling"), then only those that read as topics
            ranked = pick_keywords(weights[theme] * wide, terms, surface, self.n_keywords)
            candidates = [phrase for phrase in ranked if self._is_topic(phrase)]
            if not candidates:  # the strongest topic phrases, in all the theme's texts and then in any
                strongest = np.argsort(-weights[theme], kind="stable")[:200]
                topical = np.zeros(len(surface), dtype=bool)
                topical[strongest] = [self._is_topic(surface[i]) for i in strongest]
                candidates = (pick_keywords(weights[theme] * (wide & topical), terms, surface, self.n_keywords)
                              or pick_keywords(weights[theme] * topical, terms, surface, self.n_keywords)
                              or ranked or keyword_lists[theme])
            if self.grammar:
                candidates = preferred_first(candidates, {p: coverage[theme, column[p]] for p in candidates},
                                             {p: precision[theme, column[p]] for p in candidates})
            else:
                candidates = [make_label(candidates)] + candidates
            candidate_lists.append(candidates)
        sizes = np.bincount(labels[labels >= 0], minlength=k)
        names = distinct_labels(candidate_lists, sizes)
        names = [as_written(name, [texts[i] for i in np.flatnonzero(labels == theme)[:300]])
                 for theme, name in enumerate(names)]
        return names, keyword_lists, weights


def make_label(keywords: list[str]) -> str:
    """A label is one phrase that occurs in the theme's texts: the first phrase of two or three words among the
    top three candidates, else the top one (never two unrelated words joined by a slash)."""
    if not keywords:
        return "Unlabelled theme"
    phrase = next((k for k in keywords[:3] if " " in k), keywords[0])
    return phrase[0].upper() + phrase[1:]


def as_written(label: str, texts: list[str]) -> str:
    """The label as the texts write it: each word in capitals where they mostly write it so ("GP training", "TV
    ads", "NHS"; counting lower-cases everything, which would give "Gp training"), and two words joined by a
    hyphen where they mostly hyphenate them ("Self-exclusion", which counting splits into "self exclusion")."""
    words = label.split()
    restored = []
    joined = "\n".join(texts)
    for word in words:
        forms: dict[str, int] = {}
        for form in re.findall(rf"\b{re.escape(word)}\b", joined, flags=re.IGNORECASE):
            forms[form] = forms.get(form, 0) + 1
        common = max(forms, key=forms.get) if forms else word
        restored.append(common if len(common) > 1 and common.isupper() else word)
    out = restored[:1]
    for before, word in zip(words[:-1], restored[1:], strict=True):
        pair = rf"\b{re.escape(before)}{{}}{re.escape(word)}\b"
        hyphenated = len(re.findall(pair.format(r"\s*-\s*"), joined, flags=re.IGNORECASE))
        spaced = len(re.findall(pair.format(r"\s+"), joined, flags=re.IGNORECASE))
        if hyphenated > spaced:
            out[-1] = f"{out[-1]}-{word}"
        else:
            out.append(word)
    text = " ".join(out)
    return text[0].upper() + text[1:] if text else text


def preferred_first(candidates: list[str], coverage: dict[str, float], precision: dict[str, float]) -> list[str]:
    """The candidates (in rank order) with the label to use first: among the top three, the phrases mostly used
    in this theme (precision 0.5+) come before the rest; a phrase of two or three words is preferred to a single
    word when it covers at least half as many of the theme's texts ("Affordable housing" over "Homes"), not
    when it is a narrow part of what the theme is about."""
    if not candidates:
        return candidates
    top = sorted(candidates[:3], key=lambda phrase: precision.get(phrase, 0.0) < 0.5)  # stable: keeps rank
    first = top[0]
    phrase = next((p for p in top if " " in p and coverage.get(p, 0.0) >= 0.5 * coverage.get(first, 0.0)), None)
    chosen = phrase or first
    return [chosen] + [p for p in candidates if p != chosen]


def distinct_labels(keyword_lists: list[list[str]], sizes: np.ndarray) -> list[str]:
    """One label per theme, no two alike: larger themes choose first, each its first candidate; a theme whose
    choice a sibling has (or one with the same words) takes its next candidate, and only then a numbered
    fallback."""
    labels: list[str | None] = [None] * len(keyword_lists)
    taken: set[frozenset[str]] = set()
    for theme in np.argsort(-np.asarray(sizes), kind="stable"):
        keywords = keyword_lists[theme]
        candidates = [k[0].upper() + k[1:] for k in keywords if k]
        for candidate in candidates:
            key = frozenset(label_stems(candidate)) or frozenset([candidate.lower()])
            if key not in taken:
                labels[theme] = candidate
                taken.add(key)
                break
        else:
            labels[theme] = f"{make_label(keywords[:1])} ({int(theme) + 1})"
    return [str(label) for label in labels]
