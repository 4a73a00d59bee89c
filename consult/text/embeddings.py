"""Static word embeddings from the wordllama package, loaded from its own folder (never from the network)."""

from __future__ import annotations

from functools import cache

import numpy as np


def available() -> bool:
    try:
        import wordllama  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _model():
    from pathlib import Path

    import wordllama
    from wordllama import WordLlama

    # the default loader looks for updates online; the model ships inside the wheel
    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def preload() -> None:
    """Load the model now (a server warms it while a member reads the join page), if the package is there."""
    if available():
        _model()


def embed(texts: list[str], batch_size: int = 20_000) -> np.ndarray:
    """One 256-dimensional vector per text (float32)."""
    model = _model()
    parts = [np.asarray(model.embed(texts[i : i + batch_size]), dtype=np.float32)
             for i in range(0, len(texts), batch_size)]
    return np.vstack(parts) if parts else np.zeros((0, 256), dtype=np.float32)


@cache
def _plain_tokenizer():
    """wordllama's tokenizer without the padding its loader switches on (padding costs time on word lists)."""
    import copy

    tokenizer = copy.deepcopy(_model().tokenizer)
    tokenizer.no_padding()
    return tokenizer


def word_token_matrix(words: list[str] | np.ndarray):
    """Words x model tokens: how many times each sub-word token occurs in each word (sparse CSR)."""
    from scipy import sparse

    vocabulary_size = _model().embedding.shape[0]
    encoded = _plain_tokenizer().encode_batch([str(w) for w in words], add_special_tokens=False)
    lengths = np.fromiter((len(e.ids) for e in encoded), dtype=np.int64, count=len(encoded))
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    token_ids = np.fromiter((i for e in encoded for i in e.ids), dtype=np.int64, count=int(indptr[-1]))
    np.clip(token_ids, 0, vocabulary_size - 1, out=token_ids)
    matrix = sparse.csr_matrix((np.ones(len(token_ids), dtype=np.float32), token_ids, indptr),
                               shape=(len(encoded), vocabulary_size))
    matrix.sum_duplicates()
    return matrix


class SifEmbedder:
    """Sentence vectors as a smooth-inverse-frequency weighted mean of wordllama's token vectors, with the
    corpus's common direction removed (Arora, Liang and Ma 2017, "A simple but tough-to-beat baseline for
    sentence embeddings"): weight(token) = a / (a + p(token)), p estimated on the texts being embedded.

    It works from a word-count matrix the caller already has (documents x words), so the text is tokenised
    once per distinct word rather than once per document: 100,000 proposals cost a sparse product, not a
    second pass of the tokenizer. Measured against wordllama's plain mean pooling (its `embed`) on the
    labelled sets with the true k, alone: NMI 0.63 -> 0.79 on the demo, but 0.58 -> 0.54 on eval_sentiments (an
    earlier run gave 0.17 -> 0.45 there; session 21's does not reproduce it)
    (`benchmarks/bench_themes.py --embeddings`).

    `smoothing` (the paper's a) is 0.01, ten times the paper's 1e-3, because p is estimated on the consultation
    itself: a theme's own words recur there ("bus" in a tenth of a transport consultation's texts has p near 0.01),
    and at a = 1e-3 they kept a tenth of their weight, as if they were "the". The paper estimated p on a billion
    words, where such words are rare. Measured (`benchmarks/bench_themes.py`, five seeds; fifteen agree): NMI on
    eval_sentiments 0.591 -> 0.617, gambling q1 0.446 -> 0.437, q2 0.400 -> 0.386, demo 0.964 -> 0.925; on 300-text
    samples of eval_sentiments +0.03 to +0.06, on a 400-proposal demo +0.035; every shared set then beats both plain
    baselines by 0.03 on NMI and ARI, which a = 1e-3 did not on eval_sentiments.
    """

    def __init__(self, smoothing: float = 0.01) -> None:
        self.smoothing = smoothing

    def fit_transform(self, word_counts, words) -> np.ndarray:
        from sklearn.decomposition import TruncatedSVD

        self.words_ = np.asarray(words, dtype=object)
        self._word_tokens = word_token_matrix(self.words_)
        tokens = (word_counts @ self._word_tokens).tocsr()
        frequency = np.asarray(tokens.sum(axis=0)).ravel()
        probability = frequency / max(frequency.sum(), 1.0)
        self.token_weights_ = (self.smoothing / (self.smoothing + probability)).astype(np.float32)
        raw = self._pool(tokens)
        if raw.shape[0] >= 2 and np.abs(raw).sum() > 0:
            self.common_direction_ = TruncatedSVD(1, random_state=0).fit(raw).components_.astype(np.float32)
        else:
            self.common_direction_ = np.zeros((1, raw.shape[1]), dtype=np.float32)
        return self._finish(raw)

    def transform(self, word_counts) -> np.ndarray:
        return self._finish(self._pool((word_counts @ self._word_tokens).tocsr()))

    def _pool(self, tokens) -> np.ndarray:
        from scipy import sparse

        lengths = np.maximum(np.asarray(tokens.sum(axis=1)).ravel(), 1.0)
        weighted = sparse.diags((1.0 / lengths).astype(np.float32)) @ tokens @ sparse.diags(self.token_weights_)
        return np.asarray(weighted @ _model().embedding, dtype=np.float32)

    def _finish(self, raw: np.ndarray) -> np.ndarray:
        from sklearn.preprocessing import normalize

        raw = raw - (raw @ self.common_direction_.T) @ self.common_direction_
        return normalize(raw).astype(np.float32)
