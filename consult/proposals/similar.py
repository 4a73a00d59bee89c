"""Finding proposals similar to a draft, so members can support an existing one instead of repeating it.

Word overlap alone is fooled by the same frame around a different subject ("stop the closure of rural post
offices" / "... rural bus routes": cosine 0.71). So word overlap only finds candidates (one sparse product,
milliseconds at 100,000 proposals), and a candidate is offered when two meaning checks agree on average: the
sentence embeddings of the two texts, and the embeddings of what they do *not* share (the words of each that the
other lacks: "post offices" against "bus routes" is far apart, "franchising" against "franchise bus services"
close; nothing left over counts as a match). The threshold was chosen on hand-labelled pairs
(`tests/data/similar_pairs.csv`): of what is offered there, 12 of 13 are true duplicates (0.92; 0.40 of the
duplicates found), where word overlap alone reaches at most about 0.6 at any threshold. It does not depend on
the corpus.
"ports" against "airports" still passes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from consult.text import embeddings
from consult.text.cleaning import WORD_PATTERN, stemmer, stop_words

OFFER_THRESHOLD = 0.42  # mean of the sentence and left-over-words embedding cosines from which one is offered
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


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def semantic_scores(text: str, others: list[str]) -> np.ndarray | None:
    """Cosine of sentence embeddings between `text` and each of `others` (None without the embedding model)."""
    if not embeddings.available() or not others:
        return None
    vectors = _unit(embeddings.embed([text, *others]))
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
    stem = stemmer()
    mine = _content_words(text)
    my_stems = {stem(w) for w in mine}
    scores, to_embed = np.ones(len(others)), []
    for position, other in enumerate(others):
        theirs = _content_words(other)
        their_stems = {stem(w) for w in theirs}
        only_mine = [w for w in mine if stem(w) not in their_stems]
        only_theirs = [w for w in theirs if stem(w) not in my_stems]
        if only_mine and only_theirs:
            to_embed.append((position, " ".join(only_mine), " ".join(only_theirs)))
    if to_embed:
        vectors = _unit(embeddings.embed([t for _, a, b in to_embed for t in (a, b)]))
        for k, (position, _, _) in enumerate(to_embed):
            scores[position] = float(vectors[2 * k] @ vectors[2 * k + 1])
    return scores


def meaning_scores(text: str, others: list[str]) -> np.ndarray | None:
    """The offer score: the mean of the sentence and left-over-words cosines (None without the model)."""
    whole, leftover = semantic_scores(text, others), leftover_scores(text, others)
    return None if whole is None or leftover is None else (whole + leftover) / 2


class SimilarityIndex:
    """TF-IDF over stemmed words and word pairs for candidates; sentence embeddings to confirm them."""

    def __init__(self, ids: list[int] | np.ndarray, texts: list[str]) -> None:
        self.ids = np.asarray(ids)
        self.texts = list(texts)
        self.max_id = int(self.ids.max()) if len(self.ids) else 0
        self._vectorizer = TfidfVectorizer(analyzer=_analyzer(), sublinear_tf=True, min_df=1, dtype=np.float32)
        self._matrix = self._vectorizer.fit_transform(texts) if len(texts) else None

    def lexical_scores(self, text: str) -> np.ndarray:
        """Word-overlap cosine of `text` with every indexed proposal."""
        if self._matrix is None or not text.strip():
            return np.zeros(len(self.ids))
        return (self._matrix @ self._vectorizer.transform([text]).T).toarray().ravel()

    def _candidates(self, text: str) -> list[tuple[int, str, float]]:
        scores = self.lexical_scores(text)
        best = np.argsort(-scores, kind="stable")[:CANDIDATES]
        return [(int(self.ids[i]), self.texts[i], float(scores[i])) for i in best if scores[i] >= MIN_OVERLAP]

    def query(self, text: str, *, top: int = 5, min_score: float | None = None,
              extra: pd.DataFrame | None = None) -> pd.DataFrame:
        """The proposals similar enough to offer: proposal_id, score (0–1), best first. `extra` (id, body) adds
        proposals newer than the index, compared directly."""
        candidates = self._candidates(text) if text.strip() else []
        if extra is not None and len(extra) and text.strip():
            candidates += SimilarityIndex(extra["id"].tolist(), extra["body"].tolist())._candidates(text)
        if not candidates:
            return pd.DataFrame(columns=["proposal_id", "score"])
        meaning = meaning_scores(text, [body for _, body, _ in candidates])
        if meaning is None:
            scores, threshold = np.array([score for _, _, score in candidates]), LEXICAL_THRESHOLD
        else:
            scores, threshold = meaning, OFFER_THRESHOLD
        frame = pd.DataFrame({"proposal_id": [pid for pid, _, _ in candidates], "score": scores})
        frame = frame[frame["score"] >= (threshold if min_score is None else min_score)]
        return frame.sort_values("score", ascending=False, kind="stable").drop_duplicates("proposal_id").head(top)


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
