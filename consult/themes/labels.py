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
from collections import Counter

import numpy as np

from consult.themes import label_relevance, phrase_grammar
from consult.themes.words import (
    PhraseVectorizer,
    class_coverage,
    class_tfidf,
    label_stems,
    mark_negation,
    pick_keywords,
)

USAGE_TEXTS = 1500
#: a second label phrase must occur in at least this many of the theme's counted texts the first one misses
MIN_COMPANION_TEXTS = 5
#: the longest a widened label may be (a chart's axis and a phone's row hold it)
LONGEST_LABEL = 48
#: a second label phrase is sought among the theme's strongest phrases (class-based TF-IDF)
COMPANION_POOL = 12
#: a word is read as part of a longer phrase when that phrase holds this share of the word's texts in the theme
WHOLE_PHRASE_SHARE = 0.8
#: the theme's strongest phrases searched for the phrase a word stands for
WHOLE_PHRASE_POOL = 200
#: how many of a theme's texts show how its label's words are written
WRITTEN_FROM = 300


class ThemeLabeller:
    """Fit once on a fit's texts and a first partition (it counts phrases on up to `texts_per_theme` texts of
    each theme), then `describe` any partition of the same texts: merges only join themes, so the sample stays
    fair.

    `describe(texts, labels, k)` returns (label per theme, keywords per theme, class weights (k, phrases)); it is
    given the texts again rather than keeping them, so a fitted model holds no copy of a consultation's texts.
    `max_phrase_words=2, grammar=False` is the labeller before the grammar checks (benchmarks compare the two);
    `names_left_out` (lower-case words) are names that may not label a theme (mentioned in passing, or in too
    few texts to judge: `incidental_names.not_for_labels`), never a label's word where another phrase reads as
    a topic."""

    def __init__(self, *, min_df: int = 2, coverage: float = 0.1, n_keywords: int = 8, texts_per_theme: int = 250,
                 max_phrase_words: int = 3, grammar: bool = True, names_left_out: tuple[str, ...] = (),
                 random_state: int = 0) -> None:
        self.min_df = min_df
        self.names_left_out = names_left_out
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
        self._left_out = frozenset(self.names_left_out)
        return self

    def _is_topic(self, phrase: str) -> bool:
        if not self.grammar:
            return True
        if phrase not in self._topic_cache:  # describe runs again after every merge of two themes
            # a name mentioned in passing is not what a theme is about ("BG welcomes")
            self._topic_cache[phrase] = (not self._left_out.intersection(phrase.lower().split())
                                         and self.usage_.is_topic(phrase))
        return self._topic_cache[phrase]

    def _theme_statistics(self, sample_labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per theme and phrase: the class-based TF-IDF weight, the share of the theme's texts holding the phrase
        (coverage) and the share of the phrase's texts that are in the theme (precision)."""
        weights = class_tfidf(self.counts_, sample_labels, k)
        # a label must speak for the theme: only phrases in at least `coverage` of its texts qualify (a rare word
        # can top class-based TF-IDF: "Italy" for a theme about advertising rules)
        coverage = class_coverage(self.counts_, sample_labels, k)
        # how much of a phrase's use is in this theme: "assembly" runs through every devolution theme, "scrutiny"
        # through one; a label should name what sets the theme apart
        in_theme = coverage * np.bincount(sample_labels[sample_labels >= 0], minlength=k)[:, None]
        return weights, coverage, in_theme / self._texts_with[None, :]

    def _candidates(self, sample_labels: np.ndarray, k: int):
        """Per theme, its label candidates in preference order, with the class weights and keywords."""
        terms, surface = self.phrases_.terms_, self.phrases_.surface_
        weights, coverage, precision = self._theme_statistics(sample_labels, k)
        keyword_lists = [pick_keywords(weights[theme], terms, surface, self.n_keywords) for theme in range(k)]
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
        return candidate_lists, weights, keyword_lists

    def describe(self, texts: list[str], labels: np.ndarray, k: int) -> tuple[list[str], list[list[str]], np.ndarray]:
        labels = np.asarray(labels)
        candidate_lists, weights, keyword_lists = self._candidates(labels[self.rows_], k)
        sizes = np.bincount(labels[labels >= 0], minlength=k)
        names = distinct_labels(candidate_lists, sizes)
        names = [as_written(name, _texts_of(texts, labels, theme)) for theme, name in enumerate(names)]
        return names, keyword_lists, weights

    def broaden(self, texts: list[str], labels: np.ndarray, names: list[str]) -> list[str]:
        """The labels `describe` gave, each widened by a second phrase where one covers more of what the theme
        is about ("Wind" -> "Wind and energy", "Bus" -> "Bus and road"), as an officer names a theme ("Health
        and social care"). The second phrase is one of the theme's `COMPANION_POOL` strongest phrases (class-based
        TF-IDF; a word nearly always part of a longer phrase stands as that phrase, `_whole_phrase`) that
        - is in at least `coverage` of the theme's texts and reads as a topic;
        - shares no word with the first and is mostly used in this theme (precision 0.5+);
        - occurs in at least `MIN_COMPANION_TEXTS` of the theme's counted texts that the first phrase misses: it
          widens the label, and a handful of texts never name a theme;
        - among those, it speaks for the theme best on its own (`label_relevance`, Mei, Shen and Zhai 2007), and
          the texts holding either phrase still talk like the theme at least as much as those holding the first.
        A widened label is at most `LONGEST_LABEL` characters. Merges compare the labels `describe` gives; this
        runs once the themes are settled."""
        labels = np.asarray(labels)
        k = len(names)
        sample_labels = labels[self.rows_]
        if not self.grammar or k == 0 or not len(sample_labels):
            return list(names)
        weights, coverage, precision = self._theme_statistics(sample_labels, k)
        single = PhraseVectorizer.single_word_columns(self.phrases_.terms_)
        presence = (self.counts_ > 0).astype(np.float64).tocsc()
        words = presence[:, single].tocsr()
        distributions = label_relevance.word_distributions(self.counts_[:, single].tocsr(), sample_labels, k)
        surface = self.phrases_.surface_
        column = {str(phrase).lower(): i for i, phrase in enumerate(surface)}
        out = list(names)
        for theme, name in enumerate(names):
            first = column.get(name.lower().replace("-", " "))
            if first is None:
                continue
            first_stems = label_stems(name)
            ranked = np.argsort(-weights[theme], kind="stable")
            # each of the strongest phrases as the phrase it stands for ("barnett" -> "barnett formula")
            around = self._phrases_around(ranked[:WHOLE_PHRASE_POOL])
            wholes = [self._whole_phrase(int(i), coverage[theme], around) for i in ranked[:COMPANION_POOL]]
            strongest = np.array(list(dict.fromkeys(wholes)), dtype=int)
            pool = presence[:, np.r_[first, strongest]].toarray()  # the counted texts x the first and the pool
            # the theme's texts the first phrase misses: a second phrase must reach some of them
            missed = (sample_labels == theme) & (pool[:, 0] == 0)
            reaches = pool[missed, 1:].sum(axis=0)
            seconds = [position for position, i in enumerate(strongest, start=1)
                       if i != first and coverage[theme, i] >= self.coverage and precision[theme, i] >= 0.5
                       and reaches[position - 1] >= MIN_COMPANION_TEXTS
                       and not (label_stems(str(surface[i])) & first_stems) and self._is_topic(str(surface[i]))]
            if not seconds:
                continue
            # the phrase that speaks for the theme best on its own, if the label stays as relevant with it
            alone = label_relevance.relevance(pool[:, [0] + seconds], words, distributions, theme)
            second = int(strongest[seconds[int(np.argmax(alone[1:]))] - 1])
            either = np.maximum(pool[:, :1], presence[:, [second]].toarray())
            if (label_relevance.relevance(either, words, distributions, theme)[0] >= alone[0]
                    and len(f"{name} and {surface[second]}") <= LONGEST_LABEL):
                out[theme] = f"{name} and {written_form(str(surface[second]), _texts_of(texts, labels, theme))}"
        return out

    def _whole_phrase(self, column: int, coverage: np.ndarray, around: dict[str, tuple[list[int], list[int]]]
                      ) -> int:
        """The phrase a word stands for in this theme: the shortest longer phrase among the theme's strong ones
        that holds nearly all its uses and reads as a topic ("barnett" -> "barnett formula", "income" -> "income
        tax"), else the word itself. `around` maps a term to the strong phrases it opens and ends. (The tail of
        many compounds stays: "bus" in "local bus" and "last bus" names the topic, as "boundaries" does.)"""
        heads, tails = around.get(str(self.phrases_.terms_[column]), ([], []))
        holding = [j for j in heads + tails if coverage[j] >= WHOLE_PHRASE_SHARE * coverage[column]
                   and self._is_topic(str(self.phrases_.surface_[j]))]
        if holding:  # the shortest that reads as a topic: "income tax", not "income tax raised"
            return min(holding, key=lambda j: (len(str(self.phrases_.terms_[j]).split()), -coverage[j]))
        return column

    def _phrases_around(self, strong: np.ndarray) -> dict[str, tuple[list[int], list[int]]]:
        """For each term, the `strong` phrases it opens and the ones it ends ("bill" ends "energi bill")."""
        around: dict[str, tuple[list[int], list[int]]] = {}
        for j in strong:
            words = str(self.phrases_.terms_[j]).split()
            for cut in range(1, len(words)):
                around.setdefault(" ".join(words[:cut]), ([], []))[0].append(int(j))
                around.setdefault(" ".join(words[cut:]), ([], []))[1].append(int(j))
        return around


def _texts_of(texts: list[str], labels: np.ndarray, theme: int) -> list[str]:
    """The theme's first `WRITTEN_FROM` texts: enough to see how the texts write a label's words."""
    return [texts[i] for i in np.flatnonzero(labels == theme)[:WRITTEN_FROM]]


def make_label(keywords: list[str]) -> str:
    """A label is one phrase that occurs in the theme's texts: the first phrase of two or three words among the
    top three candidates, else the top one (never two unrelated words joined by a slash)."""
    if not keywords:
        return "Unlabelled theme"
    phrase = next((k for k in keywords[:3] if " " in k), keywords[0])
    return phrase[0].upper() + phrase[1:]


def _whole_word_starts(lowered: str, pattern: re.Pattern) -> list[int]:
    """Where `pattern` (lower case, beginning with a literal, so the search is fast) matches a whole word."""
    return [match.start() for match in pattern.finditer(lowered)
            if match.start() == 0 or not (lowered[match.start() - 1].isalnum())]


def _opens_sentence(joined: str, position: int) -> bool:
    """Is the word at `position` the first of its text or of a sentence?"""
    before = joined[max(0, position - 6) : position].rstrip(" \t\"'(")
    return position == 0 or (before[-1:] in (".", "!", "?", "\n") if before else position <= 6)


def as_written(label: str, texts: list[str]) -> str:
    """The label as the texts write it (`written_form`), opening on a capital."""
    text = written_form(label, texts)
    return text[0].upper() + text[1:] if text else text


def written_form(label: str, texts: list[str]) -> str:
    """A phrase as the texts write it: each word in capitals where they mostly write it so in mid-sentence ("GP
    training", "TV ads", "NHS", "Barnett formula"; counting lower-cases everything, which would give "Gp training"
    and "Barnett" as "barnett"), and two words joined by a hyphen where they mostly hyphenate them
    ("Self-exclusion", which counting splits into "self exclusion").

    It searches the lower-cased texts for literal words (a case-folded regular expression per word costs ten times
    as much on a theme of 300 texts, and labels are written after every merge)."""
    words = label.split()
    joined = "\n".join(texts)
    lowered = joined.lower()
    restored = []
    for word in words:
        forms: Counter[str] = Counter()
        for position in _whole_word_starts(lowered, re.compile(rf"{re.escape(word.lower())}(?![^\W_])")):
            # a capital that opens a sentence says nothing
            if joined[position].islower() or not _opens_sentence(joined, position):
                forms[joined[position : position + len(word)]] += 1
        common = forms.most_common(1)[0][0] if forms else word
        # a name the texts capitalise in mid-sentence keeps its capital ("Barnett formula", "Beeching")
        restored.append(common if len(common) > 1 and common[0].isupper() else word)
    out = restored[:1]
    for before, word in zip(words[:-1], restored[1:], strict=True):
        pair = rf"{re.escape(before.lower())}{{}}{re.escape(word.lower())}(?![^\W_])"
        hyphenated = len(_whole_word_starts(lowered, re.compile(pair.format(r"\s*-\s*"))))
        spaced = len(_whole_word_starts(lowered, re.compile(pair.format(r"\s+"))))
        if hyphenated > spaced:
            out[-1] = f"{out[-1]}-{word}"
        else:
            out.append(word)
    return " ".join(out)


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
