"""Finding proposals similar to a draft, so members can support an existing one instead of repeating it.

Candidates come two ways: the proposals sharing most words with the draft (one sparse product, milliseconds at
100,000 proposals) and those nearest in meaning by sentence vectors (a paraphrase may share no word: "Keep A&E open
at our local hospital" / "Do not close the accident and emergency department"). Word overlap alone is fooled by the
same frame around a different subject ("stop the closure of rural post offices" / "... rural bus routes": cosine
0.71), so a candidate is offered when two meaning checks agree on average: the sentence embeddings of the two
texts, and the embeddings of what they do *not* share (the words of each that the other lacks: "post offices"
against "bus routes" is far apart, "franchising" against "franchise bus services" close; nothing left over counts
as a match).

The threshold favours recall, because the member decides: on hand-labelled pairs (`tests/data/similar_pairs.csv`,
30 duplicates among 69 pairs, many of the others the same frame around a different subject) 27 of the 30
duplicates are offered (recall 0.90) and 27 of the 33 offers are duplicates (precision 0.82); the earlier threshold
of 0.42 offered 12 of 30 (0.40) at 0.92. Officers get a stricter list of likely duplicates (`duplicates`). It does
not depend on the corpus. "ports" against "airports" still passes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from consult.text import embeddings
from consult.text.cleaning import WORD_PATTERN, stemmer, stop_words

OFFER_THRESHOLD = 0.32  # mean of the sentence and left-over-words embedding cosines from which one is offered
LEXICAL_THRESHOLD = 0.25  # without the embedding model: word overlap alone (precision about 0.5 on the pairs)
CANDIDATES = 10  # proposals taken from word overlap for the meaning checks
MIN_OVERLAP = 0.05  # below this a proposal shares almost no words with the draft and is not a candidate


def _analyzer():
    stem, stops = stemmer(), stop_words()
    import re

    pattern = re.compile(WORD_PATTERN)

    def analyse(text: str) -> list[str]:
        words = [stem(w) for w in pattern.findall(text.lower()) if w not in stops]
        return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]

    return analyse


def unit(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def semantic_scores(text: str, others: list[str]) -> np.ndarray | None:
    """Cosine of sentence embeddings between `text` and each of `others` (None without the embedding model)."""
    if not embeddings.available() or not others:
        return None
    vectors = unit(embeddings.embed([text, *others]))
    return vectors[1:] @ vectors[0]


def _content_words(text: str) -> list[str]:
    import re

    stops = stop_words()
    return [w for w in re.findall(WORD_PATTERN, text.lower()) if w not in stops]


def leftover_scores(text: str, others: list[str]) -> np.ndarray | None:
    """How alike in meaning the words each text has and the other lacks are (compared by stem); 1 where one
    text's words are all in the other. None without the embedding model."""
    if not embeddings.available() or not others:
        return None
    return leftover_pair_scores([(text, other) for other in others])


def leftover_pair_scores(pairs: list[tuple[str, str]]) -> np.ndarray:
    """`leftover_scores` for many (a, b) pairs at once. Each text is split and stemmed once, and each distinct
    left-over phrase embedded once (an officer's duplicate check scores tens of thousands of pairs). Needs the
    embedding model."""
    stem = stemmer()
    words: dict[str, list[tuple[str, str]]] = {}
    for text in {text for pair in pairs for text in pair}:
        words[text] = [(word, stem(word)) for word in _content_words(text)]
    scores, wanted = np.ones(len(pairs)), []
    for position, (first, second) in enumerate(pairs):
        mine, theirs = words[first], words[second]
        my_stems, their_stems = {s for _, s in mine}, {s for _, s in theirs}
        only_mine = " ".join(w for w, s in mine if s not in their_stems)
        only_theirs = " ".join(w for w, s in theirs if s not in my_stems)
        if only_mine and only_theirs:
            wanted.append((position, only_mine, only_theirs))
    if wanted:
        phrases = list(dict.fromkeys(p for _, a, b in wanted for p in (a, b)))
        row = {phrase: k for k, phrase in enumerate(phrases)}
        vectors = unit(embeddings.embed(phrases))
        first_rows = np.fromiter((row[a] for _, a, _ in wanted), dtype=np.int64, count=len(wanted))
        second_rows = np.fromiter((row[b] for _, _, b in wanted), dtype=np.int64, count=len(wanted))
        positions = np.fromiter((p for p, _, _ in wanted), dtype=np.int64, count=len(wanted))
        scores[positions] = np.einsum("ij,ij->i", vectors[first_rows], vectors[second_rows])
    return scores


def meaning_scores(text: str, others: list[str]) -> np.ndarray | None:
    """The offer score: the mean of the sentence and left-over-words cosines (None without the model)."""
    whole, leftover = semantic_scores(text, others), leftover_scores(text, others)
    return None if whole is None or leftover is None else (whole + leftover) / 2


EMBEDDING_WIDTH = 256  # wordllama's vectors


class DraftWords(NamedTuple):
    """One text's TF-IDF row: the columns of the words it has that the vectorizer knows, and their weights."""
    columns: np.ndarray
    weights: np.ndarray


def draft_words(vectorizer: TfidfVectorizer, text: str) -> DraftWords:
    """`text` weighed exactly as the fitted `vectorizer`'s transform weighs it (sublinear counts of the words it
    knows, times their inverse document frequency, to unit length), worked out directly: transform's checks and
    sparse matrices cost about 2 ms for one draft, half of a whole similarity check."""
    _indptr, columns, weights = _weighed(vectorizer, [text])
    return DraftWords(columns, weights)


def _weighed(vectorizer: TfidfVectorizer, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row starts, columns, weights) of the texts' TF-IDF rows, as `draft_words` weighs one."""
    vocabulary, columns, counts, lengths = vectorizer.vocabulary_, [], [], []
    for text in texts:
        known = Counter(term for term in vectorizer.analyzer(text) if term in vocabulary)
        columns.extend(vocabulary[term] for term in known)
        counts.extend(known.values())
        lengths.append(len(known))
    indptr = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
    columns = np.asarray(columns, dtype=np.int64)
    weights = np.log(np.asarray(counts, dtype=np.float32)) + np.float32(1)
    weights *= vectorizer.idf_[columns].astype(np.float32)
    filled = np.asarray(lengths, dtype=np.int64) > 0
    if filled.any():  # each row to unit length (a known word always weighs something: idf > 0)
        norms = np.sqrt(np.add.reduceat(weights * weights, indptr[:-1][filled]))
        weights /= np.repeat(norms, np.diff(indptr)[filled])
    return indptr, columns, weights


def _weighed_rows(vectorizer: TfidfVectorizer, texts: list[str]) -> sparse.csr_matrix:
    """The texts' TF-IDF rows, as `vectorizer.transform` gives them (a handful of texts, the proposals newer than
    an index, are weighed on every check in a busy room)."""
    indptr, columns, weights = _weighed(vectorizer, texts)
    return sparse.csr_matrix((weights, columns, indptr), shape=(len(texts), len(vectorizer.vocabulary_)))


class VectorMemo(NamedTuple):
    rows: dict[tuple[int, str], int]
    vectors: np.ndarray


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class SimilarityIndex:
    """TF-IDF over stemmed words and word pairs for candidates; sentence embeddings to confirm them."""

    def __init__(self, ids: list[int] | np.ndarray, texts: list[str], *, reuse: VectorMemo | None = None,
                 weighed_like: SimilarityIndex | None = None) -> None:
        """`reuse`: the `memo()` of an earlier index of the same consultation; proposals it holds with the same id
        and text keep their sentence vectors, so a rebuild after a moderation embeds only what is new (embedding
        100,000 proposals is most of a 25 s build). `weighed_like`: an index whose fitted word weights this one
        uses instead of fitting its own (see `extended`)."""
        self.ids = np.asarray(ids)
        self.texts = list(texts)
        self.max_id = int(self.ids.max()) if len(self.ids) else 0
        if weighed_like is not None:
            self._vectorizer = weighed_like._vectorizer
            self._matrix = _weighed_rows(self._vectorizer, self.texts) if self.texts else None
        else:
            self._vectorizer = TfidfVectorizer(analyzer=_analyzer(), sublinear_tf=True, min_df=1, dtype=np.float32)
            self._matrix = self._vectorizer.fit_transform(texts) if len(texts) else None
        # kept by word (one copy only), so a draft's few words each read the proposals holding them (`lexical_scores`)
        self._matrix = None if self._matrix is None else self._matrix.tocsc()
        # sentence vectors (100,000 proposals in 100 MB) find paraphrases that share no word
        self._vectors = self._sentence_vectors(reuse) if self.texts and embeddings.available() else None

    def extended(self, ids: list[int], texts: list[str], *, reuse: VectorMemo | None = None) -> SimilarityIndex:
        """An index of proposals newer than this one that weighs words as this one does (its vocabulary and word
        weights, fitted on every proposal it holds rather than on the few new ones), so a check works the draft's
        words out once for both. Built on every check in a busy room: transforming a few texts costs a fraction of
        fitting a vectorizer. Without the embedding model, word overlap is all there is, and a word this index has
        never seen must still count: then the newer proposals get a vectorizer of their own."""
        shares = self._matrix is not None and embeddings.available()
        return SimilarityIndex(ids, texts, reuse=reuse, weighed_like=self if shares else None)

    def memo(self) -> VectorMemo | None:
        """The sentence vectors by (proposal id, digest of its text): what a later rebuild may reuse, holding no
        text (a hidden or erased proposal's words do not outlive the index that showed them)."""
        if self._vectors is None:
            return None
        return VectorMemo({(int(pid), _digest(text)): row for row, (pid, text) in
                           enumerate(zip(self.ids, self.texts, strict=True))}, self._vectors)

    def _sentence_vectors(self, reuse: VectorMemo | None) -> np.ndarray:
        rows = [None if reuse is None else reuse.rows.get((int(pid), _digest(text)))
                for pid, text in zip(self.ids, self.texts, strict=True)]
        vectors = np.empty((len(self.texts), EMBEDDING_WIDTH), dtype=np.float32)
        missing = [position for position, row in enumerate(rows) if row is None]
        if missing:
            vectors[missing] = unit(embeddings.embed([self.texts[position] for position in missing]))
        found = [position for position, row in enumerate(rows) if row is not None]
        if found:
            vectors[found] = reuse.vectors[[rows[position] for position in found]]
        return vectors

    def lexical_scores(self, text: str, words: DraftWords | None = None) -> np.ndarray:
        """Word-overlap cosine of `text` with every indexed proposal; `words`: `text` weighed by this index's
        vectorizer (`_words`), when the caller has it. Summed word by word over the proposals holding each word."""
        if self._matrix is None or not text.strip():
            return np.zeros(len(self.ids))
        words = self._words(text) if words is None else words
        scores = np.zeros(len(self.ids), dtype=np.float32)
        indptr, rows, weights = self._matrix.indptr, self._matrix.indices, self._matrix.data
        for column, weight in zip(words.columns, words.weights, strict=True):
            start, end = indptr[column], indptr[column + 1]
            scores[rows[start:end]] += weights[start:end] * weight
        return scores

    def _words(self, text: str) -> DraftWords:
        return draft_words(self._vectorizer, text)

    def _candidates(self, text: str, draft: np.ndarray | None, words: DraftWords | None = None,
                    newer: SimilarityIndex | None = None) -> list[tuple[int, str, float, np.ndarray | None]]:
        """The proposals sharing most words with `text`, and those nearest in meaning (a paraphrase may share no
        word: "Keep A&E open" / "Do not close the accident and emergency department"); (id, text, word overlap,
        its sentence vector or None). `draft`: the unit sentence vector of `text` (None without the model);
        `words`: as in `lexical_scores`. `newer`: an index of newer proposals weighing words as this one does
        (`extended`), taken as part of this one: its proposals compete for the same places, as they would in an
        index rebuilt with them."""
        ids, texts, vectors = self.ids, self.texts, self._vectors
        scores = self.lexical_scores(text, words)
        if newer is not None and len(newer.ids):
            ids, texts = np.concatenate([ids, newer.ids]), texts + newer.texts
            scores = np.concatenate([scores, newer.lexical_scores(text, words)])
            vectors = None if vectors is None or newer._vectors is None else (vectors, newer._vectors)
        best = np.argsort(-scores, kind="stable")[:CANDIDATES]
        chosen = [int(i) for i in best if scores[i] >= MIN_OVERLAP]
        if vectors is not None and draft is not None:
            # the nearness of each part, side by side (no copy of the index's vectors)
            nearness = (np.concatenate([part @ draft for part in vectors]) if isinstance(vectors, tuple)
                        else vectors @ draft)
            nearest = np.argpartition(-nearness, min(CANDIDATES, len(nearness) - 1))[:CANDIDATES]
            nearest = nearest[np.argsort(-nearness[nearest], kind="stable")]
            chosen += [int(i) for i in nearest if int(i) not in chosen]
        return [(int(ids[i]), texts[i], float(scores[i]), self._vector_at(i, newer)) for i in chosen]

    def _vector_at(self, position: int, newer: SimilarityIndex | None) -> np.ndarray | None:
        if position < len(self.ids):
            return None if self._vectors is None else self._vectors[position]
        return None if newer._vectors is None else newer._vectors[position - len(self.ids)]

    def query(self, text: str, *, top: int = 5, min_score: float | None = None,
              extra: pd.DataFrame | SimilarityIndex | None = None) -> pd.DataFrame:
        """The proposals similar enough to offer: proposal_id, score (0–1), best first. `extra` adds proposals
        newer than the index, compared directly: a frame (id, body), or an index of them."""
        if not text.strip():
            return pd.DataFrame(columns=["proposal_id", "score"])
        if isinstance(extra, pd.DataFrame):
            extra = SimilarityIndex(extra["id"].tolist(), extra["body"].tolist())
        # the draft is embedded once, and the candidates' sentence vectors come from the index (a check used to
        # embed every candidate again: most of its time)
        draft = unit(embeddings.embed([text]))[0] if embeddings.available() else None
        words = self._words(text) if self._matrix is not None else None
        if extra is not None and len(extra.ids) and words is not None and extra._vectorizer is self._vectorizer:
            candidates = self._candidates(text, draft, words, newer=extra)
        else:
            candidates = self._candidates(text, draft, words)
            if extra is not None and len(extra.ids):  # weighed by words of its own: places of its own
                candidates += extra._candidates(text, draft)
        if not candidates:
            return pd.DataFrame(columns=["proposal_id", "score"])
        bodies = [body for _, body, _, _ in candidates]
        if draft is None or any(vector is None for *_, vector in candidates):
            meaning = meaning_scores(text, bodies)
        else:
            whole = np.array([vector for *_, vector in candidates]) @ draft
            meaning = (whole + leftover_scores(text, bodies)) / 2
        if meaning is None:
            scores, threshold = np.array([score for _, _, score, _ in candidates]), LEXICAL_THRESHOLD
        else:
            scores, threshold = meaning, OFFER_THRESHOLD
        threshold = threshold if min_score is None else min_score
        # best first (ties in candidate order), each proposal once at its best score; worked out on the few
        # candidates directly (a frame sorted and de-duplicated cost more than the rest of the check)
        offered: dict[int, float] = {}
        for position in np.argsort(-scores, kind="stable"):
            pid, score = candidates[position][0], float(scores[position])
            if score >= threshold and pid not in offered:
                offered[pid] = score
                if len(offered) == top:
                    break
        return pd.DataFrame({"proposal_id": np.fromiter(offered, dtype=np.int64, count=len(offered)),
                             "score": np.fromiter(offered.values(), dtype=np.float64, count=len(offered))})


def score_pairs(first: list[str], second: list[str], corpus: list[str]) -> pd.DataFrame:
    """For labelled pairs: the word-overlap score (word weights from `corpus` plus the second texts, as an index
    of real proposals would have them) and the offer score of each (first, second)."""
    index = SimilarityIndex(list(range(len(corpus) + len(second))), corpus + list(second))
    lexical = []
    for position, text in enumerate(first):
        lexical.append(float(index.lexical_scores(text)[len(corpus) + position]))
    meaning = [float(meaning_scores(a, [b])[0]) if embeddings.available() else np.nan
               for a, b in zip(first, second, strict=True)]
    return pd.DataFrame({"lexical": lexical, "meaning": meaning})
