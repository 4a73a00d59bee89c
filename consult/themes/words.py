"""Words for themes: the phrase vectoriser (stemmed words and phrases, no downloaded corpora), class-based
TF-IDF keywords, negation marking and labels."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from scipy import sparse

from consult.text.cleaning import CONTRACTION_PARTS, WORD_PATTERN, stemmer, stop_words
from consult.text.term_counts import TermCounter


class PhraseVectorizer:
    """Counts of stemmed words and two-word phrases, remembering the most common surface form of each.

    Stemming happens on the vocabulary, not on every token: the documents are counted (`term_counts`), then
    columns whose words share stems are summed (a sparse matrix product).
    """

    def __init__(self, *, min_df: int = 2, max_df: float = 0.5, ngram_range: tuple[int, int] = (1, 2),
                 max_features: int | None = 60_000, adjacent_phrases: bool = False) -> None:
        self.min_df, self.max_df, self.ngram_range, self.max_features = min_df, max_df, ngram_range, max_features
        self.adjacent_phrases = adjacent_phrases

    def _counter(self) -> TermCounter:
        if self.adjacent_phrases:
            # for labels: phrases are real neighbours ("members from taking" gives no "members taking") and hold
            # no stop word
            return TermCounter(stop_words() | CONTRACTION_PARTS, ngram_range=self.ngram_range,
                               phrases_across_stop_words=False)
        # for clustering: pairs across a removed stop word are useful signal (measured: higher NMI)
        return TermCounter(stop_words(), ngram_range=self.ngram_range, phrases_across_stop_words=True)

    def fit_transform(self, texts: list[str]) -> sparse.csr_matrix:
        counter = self._counter()
        raw = counter.fit_transform(texts).tocsc()
        raw_terms = counter.get_feature_names_out()
        stem = stemmer()
        stops = stop_words() | CONTRACTION_PARTS
        usable = np.array([not any(w in stops for w in term.split()) for term in raw_terms], dtype=bool)
        stemmed = np.array([" ".join(stem(w) for w in term.split()) if ok else "" for term, ok in
                            zip(raw_terms, usable, strict=True)], dtype=object)
        terms, column_of = np.unique(stemmed, return_inverse=True)
        weights = usable.astype(np.float32)
        merge = sparse.csr_matrix((weights, (np.arange(len(raw_terms)), column_of)),
                                  shape=(len(raw_terms), len(terms)))
        if len(terms) and terms[0] == "":  # the bucket of dropped terms
            terms, merge, column_of = terms[1:], merge[:, 1:], column_of - 1
        counts = (raw @ merge).tocsr()
        doc_freq = np.asarray((counts > 0).sum(axis=0)).ravel()
        n_docs = max(counts.shape[0], 1)
        min_df = min(self.min_df, max(1, n_docs // 2))
        keep = (doc_freq >= min_df) & (doc_freq <= max(self.max_df * n_docs, min_df))
        if not keep.any():
            keep = doc_freq >= 1
        kept = np.flatnonzero(keep)
        if self.max_features and len(kept) > self.max_features:
            kept = kept[np.argsort(-doc_freq[kept], kind="stable")[: self.max_features]]
            kept.sort()
        # the display form of a stemmed term is its most frequent raw spelling
        raw_totals = np.asarray(raw.sum(axis=0)).ravel()
        # by column, then most frequent first (the earliest raw term on ties, as the sort is stable)
        order = np.lexsort((-raw_totals, column_of))
        order = order[column_of[order] >= 0]
        firsts = order[np.r_[True, column_of[order][1:] != column_of[order][:-1]]] if len(order) else order
        best_raw = np.full(len(terms), -1)
        best_raw[column_of[firsts]] = firsts
        self.terms_ = terms[kept]
        self.surface_ = np.array([raw_terms[best_raw[c]] for c in kept], dtype=object)
        self.vocabulary_ = {term: i for i, term in enumerate(self.terms_)}
        self._counter_fitted = counter
        self._merge = merge[:, kept].tocsr()
        # single words as written (before stemming): the sentence embedder weighs these, so the texts are
        # tokenised once for both views
        single = self.single_word_columns(raw_terms)
        self.words_ = raw_terms[single]
        self.word_counts_ = raw[:, single].tocsr()
        return counts[:, kept]

    @staticmethod
    def single_word_columns(raw_terms: np.ndarray) -> np.ndarray:
        """The positions of the terms that are one word (no space)."""
        return np.flatnonzero(np.char.find(raw_terms.astype(str), " ") < 0)

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        return (self._counter_fitted.transform(texts) @ self._merge).tocsr()

    def transform_with_words(self, texts: list[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """The phrase counts and the single-word counts (columns as `words_`) of new texts."""
        raw = self._counter_fitted.transform(texts)
        single = self.single_word_columns(self._counter_fitted.get_feature_names_out())
        return (raw @ self._merge).tocsr(), raw[:, single].tocsr()


def _class_membership(labels: np.ndarray, n_classes: int) -> sparse.csr_matrix:
    """Classes x texts, 1 where the text belongs to the class (texts labelled -1 belong to none)."""
    valid = labels >= 0
    return sparse.csr_matrix((np.ones(valid.sum()), (labels[valid], np.flatnonzero(valid))),
                             shape=(n_classes, len(labels)))


def class_tfidf(counts: sparse.csr_matrix, labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Class-based TF-IDF: each class's texts as one document; rows are classes, columns terms."""
    if n_classes == 0 or counts.shape[1] == 0:
        return np.zeros((n_classes, counts.shape[1]))
    per_class = np.asarray((_class_membership(labels, n_classes) @ counts).todense())
    totals = per_class.sum(axis=1, keepdims=True)
    tf = per_class / np.where(totals > 0, totals, 1)
    term_total = per_class.sum(axis=0)
    average_words = per_class.sum() / max(n_classes, 1)
    idf = np.log(1 + average_words / np.where(term_total > 0, term_total, np.inf))
    return tf * idf


def class_coverage(counts: sparse.csr_matrix, labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Share of each class's texts that contain each term (rows classes, columns terms)."""
    if n_classes == 0 or counts.shape[1] == 0:
        return np.zeros((n_classes, counts.shape[1]))
    membership = _class_membership(labels, n_classes)
    sizes = np.asarray(membership.sum(axis=1)).ravel()
    present = (counts > 0).astype(np.float32)
    return np.asarray((membership @ present).todense()) / np.maximum(sizes, 1)[:, None]


def pick_keywords(weights: np.ndarray, terms: np.ndarray, surface: np.ndarray, n: int) -> list[str]:
    """The highest-weighted phrases, skipping ones that repeat words already chosen (a light MMR)."""
    chosen, used_words = [], set()
    for index in np.argsort(-weights, kind="stable"):
        if weights[index] <= 0 or len(chosen) >= n:
            break
        words = set(terms[index].split())
        if len(words) == 1 and any(terms[index] in c.split() for c in chosen):
            continue
        # a phrase made only of words already chosen on their own replaces them, at its own rank ("vulnerable",
        # "groups" -> "vulnerable groups"); one that only repeats chosen phrases' words adds nothing; one that
        # extends a chosen word with a new one takes that word's place ("buses" -> "bus services")
        extended = [i for i, c in enumerate(chosen) if len(c.split()) == 1 and c in words]
        in_phrases = {w for c in chosen if " " in c for w in c.split()}
        if words <= used_words and (not extended or words & in_phrases):
            continue
        if words <= used_words:
            chosen = [c for i, c in enumerate(chosen) if i not in extended] + [terms[index]]
        elif extended:
            chosen[extended[0]] = terms[index]
        else:
            chosen.append(terms[index])
        used_words |= words
    lookup = dict(zip(terms, surface, strict=True))
    return [lookup[t] for t in chosen]


#: a contracted negation is a cue as a whole word: "won't" leaves no "wo", "can't" no "ca"
_NEGATION_CUE = (r"(?:\b(?:not|no|never|nothing|nobody|none|nor|cannot|without|hardly|barely|neither|cant|dont"
                 r"|wont|isnt|wasnt|couldnt|wouldnt|shouldnt|doesnt|didnt|arent|werent)\b|\b[^\W\d_]+n['’]t\b)")
#: a negation reaches to the next punctuation or contrast word (Pang, Lee and Vaithyanathan 2002 mark to
#: punctuation), at most six words
_NEGATED = re.compile(_NEGATION_CUE + r"((?:[\s\-]+(?!(?:but|however|although|though|yet)\b)"
                      r"[^\W\d_]+(?:['’][^\W\d_]+)?){1,6})", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


def _blank_scope(match: re.Match) -> str:
    return " not" + _WORD.sub("not", match.group(1))


def mark_negation(text: str) -> str:
    """The text with every word under a negation replaced by "not", so label counts never take a negated
    word for the theme's subject: "could not have done any better" keeps no "better", "not good value" no
    "good", while "good value, but not cheap" keeps "good value"."""
    return _NEGATED.sub(_blank_scope, str(text).lower())


def label_stems(label: str) -> set[str]:
    """The stems of a label's content words ("Good bus services" -> {"good", "bus", "servic"})."""
    return set(_label_stems(label))


@lru_cache(maxsize=4096)
def _label_stems(label: str) -> frozenset[str]:
    # cached: the look-alike check compares every pair of labels after each merge
    stem = stemmer()
    stops = stop_words()
    return frozenset(stem(w) for w in re.findall(WORD_PATTERN, label.lower()) if w not in stops)


#: words that grade a subject rather than name one: "Good service" and "Excellent service" are one theme
EVALUATIVE_WORDS = frozenset(["good", "great", "excellent", "perfect", "brilliant", "amazing", "fantastic",
                              "wonderful", "lovely", "nice", "superb", "outstanding", "fab", "fabulous", "best",
                              "better", "helpful", "friendly", "happy", "pleased", "satisfied", "poor", "bad",
                              "terrible", "awful", "worse", "worst", "rubbish", "dreadful", "horrible", "slow",
                              "quick", "fast", "efficient", "professional"])


@lru_cache(maxsize=4096)
def label_subject(label: str) -> frozenset[str]:
    """The stems a label names once words of praise or complaint are set aside."""
    return _label_stems(label) - _evaluative_stems()


@lru_cache(maxsize=1)
def _evaluative_stems() -> frozenset[str]:
    stem = stemmer()
    return frozenset(stem(w) for w in EVALUATIVE_WORDS)


def same_subject(label_a: str, label_b: str) -> bool:
    """True when two labels differ only by evaluative words ("Great service" / "Perfect service")."""
    subject = label_subject(label_a)
    return bool(subject) and subject == label_subject(label_b)
