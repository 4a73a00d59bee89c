"""Counting words and phrases in many texts quickly: the counts scikit-learn's `CountVectorizer` gives with
`token_pattern=WORD_PATTERN, lowercase=True`, without its per-term Python dictionary work.

Why it exists: counting was the largest cost of theme finding (half of a 10,000-text fit went to scikit-learn's
tokeniser, n-gram builder and vocabulary loop). Here a text is split by C string methods (punctuation bytes
translated to spaces, then `str.split`), words are numbered by hashing in C (`pandas.factorize`), and a phrase
is the number made of its words' numbers, so phrases are found and counted by integer array operations. Only the
vocabulary's own words and phrases are ever made into strings. Texts are read in chunks, so memory holds counts,
never the tokens of a million texts.

The counts are the same as scikit-learn's (tested against it, including on hostile Unicode): columns in
alphabetical order, stop words removed before phrases are formed (`phrases_across_stop_words=True`, scikit-learn's
rule) or phrases only of adjacent words none of which is a stop word (False).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import sparse

from consult.text.cleaning import WORD_PATTERN

_TOKEN = re.compile(WORD_PATTERN)
# ASCII bytes that can never be part of a word become spaces; letters, digits and "_" stay (a word pattern
# match never spans a digit or "_" boundary, so a piece holding one goes to the regular expression). \x01, never
# part of a word either, separates the texts of a chunk.
_SEPARATOR = "\x01"
_NON_WORD_ASCII = bytes(c for c in range(128) if c != 1 and not (chr(c).isalnum() or chr(c) == "_"))
_SPACES = bytes.maketrans(_NON_WORD_ASCII, b" " * len(_NON_WORD_ASCII))
_BITS = 21  # word numbers up to two million; a three-word phrase fits in 63 bits
_MAX_WORDS = 1 << _BITS


def words_of_texts(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The lower-cased words of the texts in order, as numbers into an array of distinct words, with the position
    of the text each comes from: `(numbers, distinct_words, text_of)`. For each text these are exactly the words
    of `re.findall(WORD_PATTERN, text.lower())`."""
    joined = f" {_SEPARATOR} ".join(texts)
    if joined.count(_SEPARATOR) != max(len(texts) - 1, 0):  # a text holds \x01 itself: a space to the pattern
        joined = f" {_SEPARATOR} ".join(text.replace(_SEPARATOR, " ") for text in texts)
    pieces = joined.lower().encode("utf-8", "surrogatepass").translate(_SPACES).decode("utf-8", "surrogatepass")\
        .split()
    codes, distinct = pd.factorize(np.array(pieces, dtype=object), sort=False)
    distinct = list(distinct)
    # what a piece is, decided once per distinct piece
    is_word = np.array([piece.isalpha() and len(piece) > 1 for piece in distinct], dtype=bool)
    is_odd = np.array([not piece.isalpha() and piece != _SEPARATOR for piece in distinct], dtype=bool)
    text_of = np.cumsum(codes == (distinct.index(_SEPARATOR) if len(texts) > 1 else -1))
    keep = np.flatnonzero(is_word[codes]) if len(codes) else np.zeros(0, dtype=np.int64)
    odd = np.flatnonzero(is_odd[codes]) if len(codes) else np.zeros(0, dtype=np.int64)
    numbers, at = codes[keep], keep
    if len(odd):
        # a piece with a digit, "_" or non-ASCII punctuation: the exact rule splits it ("don’t" gives "don")
        number_of = {piece: i for i, piece in enumerate(distinct)}
        found: dict[int, list[int]] = {}
        for code in np.unique(codes[odd]):
            found[code] = [number_of.setdefault(w, len(number_of)) for w in _TOKEN.findall(distinct[code])]
        distinct = list(number_of)
        extra = [(position, number) for position in odd for number in found[codes[position]]]
        if extra:
            extra_at, extra_numbers = np.array(extra, dtype=np.int64).T
            order = np.argsort(np.concatenate([keep, extra_at]), kind="stable")
            numbers = np.concatenate([numbers, extra_numbers])[order]
            at = np.concatenate([keep, extra_at])[order]
    # only the words that occur, renumbered
    used = np.zeros(len(distinct), dtype=bool)
    used[numbers] = True
    renumber = np.cumsum(used) - 1
    return renumber[numbers], np.array(distinct, dtype=object)[used], text_of[at]


class TermCounter:
    """Documents x terms counts of words and phrases of `ngram_range` words (at most three).

    `stop_words` never count as terms. `fit_transform(texts)` learns the vocabulary (`terms_`, alphabetical);
    `transform(texts)` counts new texts on it (unknown terms are ignored)."""

    def __init__(self, stop_words: Iterable[str] = (), *, ngram_range: tuple[int, int] = (1, 1),
                 phrases_across_stop_words: bool = True, chunk_size: int = 20_000) -> None:
        low, high = ngram_range
        if not 1 <= low <= high <= 3:
            raise ValueError(f"ngram_range must lie within (1, 3), got {ngram_range}")
        self.stop_words = frozenset(stop_words)
        self.ngram_range = ngram_range
        self.phrases_across_stop_words = phrases_across_stop_words
        self.chunk_size = chunk_size

    # -- public ------------------------------------------------------------------------------------------------

    def fit_transform(self, texts: list[str]) -> sparse.csr_matrix:
        self._word_ids: dict[str, int] = {}
        self._word_list: list[str] = []
        # per phrase length: codes of known terms (sorted) and their column numbers in order of discovery
        self._known = {size: (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
                       for size in range(self.ngram_range[0], self.ngram_range[1] + 1)}
        self._n_terms = 0
        chunks = [self._count_chunk(texts[start:start + self.chunk_size], grow=True)
                  for start in range(0, len(texts), self.chunk_size)]
        names = self._term_names()
        order = np.argsort(names, kind="stable")
        alphabetical = np.empty(len(order), dtype=np.int64)
        alphabetical[order] = np.arange(len(order))
        self.terms_ = names[order]
        self._column = alphabetical  # discovery number -> alphabetical column
        return self._stack(chunks, len(texts))

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        chunks = [self._count_chunk(texts[start:start + self.chunk_size], grow=False)
                  for start in range(0, len(texts), self.chunk_size)]
        return self._stack(chunks, len(texts))

    def get_feature_names_out(self) -> np.ndarray:
        return self.terms_

    # -- counting ----------------------------------------------------------------------------------------------

    def _word_numbers(self, numbers: np.ndarray, distinct: np.ndarray, grow: bool) -> tuple[np.ndarray, np.ndarray]:
        """Each word's number in the vocabulary (-1 for a word it has never seen, when not growing) and whether
        it is a stop word."""
        ids = self._word_ids
        if grow:
            fresh = [word for word in distinct if word not in ids]
            if len(self._word_list) + len(fresh) > _MAX_WORDS:
                raise ValueError(f"more than {_MAX_WORDS:,} distinct words")
            for word in fresh:
                ids[word] = len(self._word_list)
                self._word_list.append(word)
        vocabulary_numbers = np.array([ids.get(word, -1) for word in distinct], dtype=np.int64)
        stops = np.array([word in self.stop_words for word in distinct], dtype=bool)
        return vocabulary_numbers[numbers], stops[numbers]

    def _count_chunk(self, texts: list[str], grow: bool) -> sparse.csr_matrix:
        """One chunk's counts, columns numbered in order of discovery."""
        chunk_numbers, distinct, text_of = words_of_texts(texts)
        numbers, stop = self._word_numbers(chunk_numbers, distinct, grow)
        if self.phrases_across_stop_words:  # scikit-learn's rule: stop words go first, phrases join what is left
            numbers, text_of, stop = numbers[~stop], text_of[~stop], stop[~stop]
        usable = (numbers >= 0) & ~stop
        rows, columns = [], []
        for size in self._known:
            count = len(numbers) - size + 1
            if count <= 0:
                continue
            ok = usable[:count].copy()
            code = np.maximum(numbers[:count], 0)
            for offset in range(1, size):
                ok &= usable[offset:offset + count] & (text_of[offset:offset + count] == text_of[:count])
                code = (code << _BITS) | np.maximum(numbers[offset:offset + count], 0)
            column = self._columns(size, code[ok], grow)
            found = column >= 0
            rows.append(text_of[:count][ok][found])
            columns.append(column[found])
        rows_all = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        columns_all = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
        # counted per chunk, so memory holds counts, not every occurrence; columns in order of discovery
        chunk = sparse.csr_matrix((np.ones(len(rows_all), dtype=np.float32), (rows_all, columns_all)),
                                  shape=(len(texts), max(self._n_terms, 1)))
        chunk.sum_duplicates()
        return chunk

    def _columns(self, size: int, codes: np.ndarray, grow: bool) -> np.ndarray:
        """The column (in order of discovery) of each phrase code; -1 for unknown codes when not growing."""
        known_codes, known_columns = self._known[size]
        unique_codes, inverse = np.unique(codes, return_inverse=True)
        position = np.searchsorted(known_codes, unique_codes)
        seen = position < len(known_codes)
        seen[seen] = known_codes[position[seen]] == unique_codes[seen]
        columns = np.full(len(unique_codes), -1, dtype=np.int64)
        columns[seen] = known_columns[position[seen]]
        if grow and (~seen).any():
            fresh = unique_codes[~seen]
            columns[~seen] = np.arange(self._n_terms, self._n_terms + len(fresh))
            self._n_terms += len(fresh)
            merged_codes = np.concatenate([known_codes, fresh])
            merged_columns = np.concatenate([known_columns, columns[~seen]])
            order = np.argsort(merged_codes, kind="stable")
            self._known[size] = (merged_codes[order], merged_columns[order])
        return columns[inverse.ravel()]

    def _term_names(self) -> np.ndarray:
        """Every term's text, by discovery number."""
        names = np.empty(self._n_terms, dtype=object)
        vocabulary = np.array(self._word_list, dtype=object)
        mask = _MAX_WORDS - 1
        for size, (codes, columns) in self._known.items():
            parts = [vocabulary[(codes >> (_BITS * (size - 1 - place))) & mask] for place in range(size)]
            text = parts[0]
            for part in parts[1:]:
                text = text + " " + part
            names[columns] = text
        return names

    def _stack(self, chunks: list[sparse.csr_matrix], n_texts: int) -> sparse.csr_matrix:
        if not chunks:
            return sparse.csr_matrix((n_texts, len(self.terms_)), dtype=np.float32)
        offsets = np.cumsum([0] + [chunk.nnz for chunk in chunks])
        indptr = np.concatenate([[0]] + [chunk.indptr[1:] + offset for chunk, offset in
                                         zip(chunks, offsets, strict=False)])
        indices = self._column[np.concatenate([chunk.indices for chunk in chunks])]
        data = np.concatenate([chunk.data for chunk in chunks])
        counts = sparse.csr_matrix((data, indices, indptr), shape=(n_texts, len(self.terms_)))
        counts.sort_indices()
        return counts
