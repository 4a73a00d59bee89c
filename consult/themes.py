"""Finding themes in proposals: vectors, clustering with an automatic number of themes, labels and evidence.

`ThemeModel` follows scikit-learn's habits: parameters in the constructor, `fit(texts)` sets attributes with a
trailing underscore, `assign(texts)` places new texts in the fitted themes without re-fitting, and the same
input with the same `random_state` gives the same output.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

from consult import embeddings
from consult.text import clean_text
from consult.theme_words import PhraseVectorizer, class_tfidf, make_label, pick_keywords  # noqa: F401

OTHER = -1
OTHER_LABEL = "Other"


@dataclass
class ThemeModel:
    """Themes in short texts, found offline and deterministically.

    Parameters: `n_themes` fixes the number (None: chosen by silhouette between `min_themes` and
    `max_themes`); `semantic` uses static word embeddings (wordllama) beside LSA when available ("auto"),
    always (True, failing if absent) or never (False); `n_components` for LSA; `other_below`, the similarity
    under which a text goes to "Other"; `secondary_ratio`, how close a second or third theme must score to the
    first to be kept (up to `max_themes_per_text`); `min_theme_size` (None: max(5, 0.1% of texts));
    `merge_above`, the centroid similarity at which two themes are one.
    """

    n_themes: int | None = None
    min_themes: int = 4
    max_themes: int = 20
    semantic: bool | str = "auto"
    #: with semantic="auto", embeddings are used up to this many texts (measured: beyond it the embedding
    #: step alone outgrows the 10 s budget for 100,000 texts on 2 cores)
    semantic_max_texts: int = 50_000
    n_components: int = 100
    semantic_weight: float = 0.35
    other_below: float = 0.15
    secondary_ratio: float = 0.9
    max_themes_per_text: int = 3
    min_theme_size: int | None = None
    merge_above: float = 0.9
    #: two themes whose top five keywords overlap this much (Jaccard) are merged
    merge_keyword_overlap: float = 0.6
    n_keywords: int = 8
    n_representatives: int = 5
    selection_sample: int = 3000
    label_sample: int = 20_000
    svd_sample: int = 30_000
    random_state: int = 0
    themes_: pd.DataFrame = field(init=False, repr=False, default=None)

    # -- vectors ---------------------------------------------------------------------------------------------

    def _vectors(self, counts: sparse.csr_matrix, texts: list[str], fitting: bool) -> np.ndarray:
        weighted = self._tfidf.fit_transform(counts) if fitting else self._tfidf.transform(counts)
        if fitting:
            n_comp = max(1, min(self.n_components, weighted.shape[1] - 1, weighted.shape[0] - 1))
            self._svd = TruncatedSVD(n_components=n_comp, random_state=self.random_state, algorithm="randomized",
                                     n_iter=5) if weighted.shape[1] > 1 else None
            if self._svd is None:
                lsa = weighted.toarray()
            else:
                # the axes are learned on a sample; projecting everything on them is a cheap product
                rng = np.random.default_rng(self.random_state)
                rows = np.sort(rng.choice(weighted.shape[0], self.svd_sample, replace=False)) \
                    if weighted.shape[0] > self.svd_sample else slice(None)
                self._svd.fit(weighted[rows])
                lsa = self._svd.transform(weighted)
        else:
            lsa = self._svd.transform(weighted) if self._svd else weighted.toarray()
        lsa = normalize(np.asarray(lsa, dtype=np.float32))
        if not self.semantic_in_use_:
            return lsa
        dense = normalize(embeddings.embed(texts))
        weight = self.semantic_weight
        return normalize(np.hstack([lsa * math.sqrt(1 - weight), dense * math.sqrt(weight)]).astype(np.float32))

    # -- fitting ---------------------------------------------------------------------------------------------

    def fit(self, texts: list[str] | pd.Series, regions: list[str] | pd.Series | None = None) -> ThemeModel:
        texts = ["" if t is None else str(t) for t in list(texts)]
        n = len(texts)
        self.n_texts_ = n
        self.regions_ = None if regions is None else np.asarray(list(regions), dtype=object)
        if self.semantic is True and not embeddings.available():
            raise RuntimeError("semantic=True needs the wordllama package (pip install 'consult-devolution[semantic]')")
        self.semantic_in_use_ = (self.semantic is True or (
            self.semantic == "auto" and n <= self.semantic_max_texts)) and embeddings.available()
        self.silhouettes_: dict[int, float] = {}
        if n == 0:
            self._empty()
            return self
        self._vectorizer = PhraseVectorizer(min_df=2 if n >= 20 else 1)
        self._tfidf = TfidfTransformer(sublinear_tf=True)
        # identical texts (campaign responses) are vectorised once
        distinct, inverse = np.unique(np.array(texts, dtype=object), return_inverse=True)
        distinct = distinct.tolist()
        counts = self._vectorizer.fit_transform(distinct)
        vectors = self._vectors(counts, distinct, fitting=True)[inverse]
        min_size = self.min_theme_size or max(5, math.ceil(0.001 * n))
        self.min_size_ = min_size
        unique_rows = len(set(texts))
        if n < 2 * min_size or unique_rows < 2:
            centroids = normalize(vectors.mean(axis=0, keepdims=True))
            self.k_ = 1
        else:
            k = self.n_themes or self._choose_k(vectors, min_size, unique_rows)
            k = max(1, min(k, unique_rows, n // min_size))
            centroids = self._cluster(vectors, k)
            centroids = self._apply_rules(vectors, centroids, min_size)
            self.k_ = len(centroids)
        self.centroids_ = centroids
        assignments = self._assign_vectors(vectors)
        self._describe(texts, vectors, assignments)
        for _ in range(10):  # themes whose labels say the same thing are one theme
            pair = self._lookalike_pair()
            if pair is None:
                break
            self._merge_centroids(*pair)
            assignments = self._assign_vectors(vectors)
            self._describe(texts, vectors, assignments)
        return self

    def _lookalike_pair(self) -> tuple[int, int] | None:
        real = self.themes_[self.themes_["theme"] != OTHER]
        words = [set(k[:5]) for k in real["keywords"]]
        labels = real["label"].str.lower().tolist()
        for i in range(len(real)):
            for j in range(i + 1, len(real)):
                union = words[i] | words[j]
                overlap = len(words[i] & words[j]) / len(union) if union else 0.0
                if labels[i] == labels[j] or overlap >= self.merge_keyword_overlap:
                    return int(real.iloc[i]["theme"]), int(real.iloc[j]["theme"])
        return None

    def _merge_centroids(self, a: int, b: int) -> None:
        sizes = np.bincount(self.labels_[self.labels_ >= 0], minlength=len(self.centroids_)).astype(float)
        merged = normalize((self.centroids_[a] * sizes[a] + self.centroids_[b] * sizes[b])[None, :])
        self.centroids_ = np.vstack([np.delete(self.centroids_, [a, b], axis=0), merged]).astype(np.float32)
        self.k_ = len(self.centroids_)

    def _empty(self) -> None:
        self.k_ = 0
        self.centroids_ = np.zeros((0, 1), dtype=np.float32)
        self.labels_ = np.zeros(0, dtype=int)
        self.assignments_ = pd.DataFrame(columns=["text", "theme", "score", "rank"])
        self.themes_ = pd.DataFrame(columns=["theme", "label", "keywords", "size", "share", "representatives"])

    def _kmeans(self, k: int, n: int):
        if n > 20_000:
            return MiniBatchKMeans(n_clusters=k, random_state=self.random_state, n_init=3, batch_size=4096,
                                   max_iter=100)
        return KMeans(n_clusters=k, random_state=self.random_state, n_init=4)

    def _choose_k(self, vectors: np.ndarray, min_size: int, unique_rows: int) -> int:
        rng = np.random.default_rng(self.random_state)
        sample = vectors if len(vectors) <= self.selection_sample else vectors[
            np.sort(rng.choice(len(vectors), self.selection_sample, replace=False))]
        upper = min(self.max_themes, unique_rows - 1, len(vectors) // min_size, len(sample) - 1)
        lower = min(self.min_themes, upper)
        if upper < 2:
            return 1
        def score(k: int) -> float:
            if k not in self.silhouettes_:
                labels = KMeans(n_clusters=k, random_state=self.random_state, n_init=1).fit_predict(sample)
                self.silhouettes_[k] = -1.0 if len(set(labels)) < 2 else float(silhouette_score(
                    sample, labels, metric="cosine", sample_size=min(len(sample), 2000),
                    random_state=self.random_state))
            return self.silhouettes_[k]

        # every other k first, then the neighbours of the best: half the fits of a full sweep
        candidates = list(range(max(2, lower), upper + 1, 2)) + ([upper] if (upper - max(2, lower)) % 2 else [])
        best_k = max(candidates, key=lambda k: (score(k), -k))
        for k in (best_k - 1, best_k + 1):
            if max(2, lower) <= k <= upper:
                score(k)
        best_k = max(self.silhouettes_, key=lambda k: (self.silhouettes_[k], -k))
        return best_k

    def _cluster(self, vectors: np.ndarray, k: int) -> np.ndarray:
        model = self._kmeans(k, len(vectors)).fit(vectors)
        return normalize(model.cluster_centers_.astype(np.float32))

    def _apply_rules(self, vectors: np.ndarray, centroids: np.ndarray, min_size: int) -> np.ndarray:
        """No tiny themes (dissolve and reassign), no near-duplicates (merge): repeat until stable."""
        for _ in range(30):
            nearest = (vectors @ centroids.T).argmax(axis=1)
            sizes = np.bincount(nearest, minlength=len(centroids))
            if len(centroids) > 1 and sizes.min() < min_size:
                centroids = np.delete(centroids, int(sizes.argmin()), axis=0)
                continue
            similarity = centroids @ centroids.T
            np.fill_diagonal(similarity, -1)
            if len(centroids) > 1 and similarity.max() >= self.merge_above:
                a, b = np.unravel_index(similarity.argmax(), similarity.shape)
                merged = normalize((centroids[a] * sizes[a] + centroids[b] * sizes[b])[None, :])
                centroids = np.vstack([np.delete(centroids, [a, b], axis=0), merged])
                continue
            break
        # one update so every centre sits at its members' mean after the rules changed the set
        nearest = (vectors @ centroids.T).argmax(axis=1)
        membership = sparse.csr_matrix((np.ones(len(vectors), dtype=np.float32), (nearest, np.arange(len(vectors)))),
                                       shape=(len(centroids), len(vectors)))
        sums = np.asarray(membership @ vectors)
        centroids = normalize(np.where(np.abs(sums).sum(axis=1, keepdims=True) > 0, sums, centroids)).astype(np.float32)
        return centroids

    # -- assigning -------------------------------------------------------------------------------------------

    def _assign_vectors(self, vectors: np.ndarray) -> pd.DataFrame:
        similarity = np.clip(vectors @ self.centroids_.T, 0.0, 1.0) if len(self.centroids_) else np.zeros(
            (len(vectors), 0))
        n, k = similarity.shape
        if k == 0:
            return pd.DataFrame({"text": np.arange(n), "theme": OTHER, "score": 0.0, "rank": 1})
        order = np.argsort(-similarity, axis=1, kind="stable")[:, : self.max_themes_per_text]
        top = similarity[np.arange(n), order[:, 0]]
        rows_text, rows_theme, rows_score, rows_rank = [], [], [], []
        for rank in range(order.shape[1]):
            score = similarity[np.arange(n), order[:, rank]]
            if rank == 0:
                keep = np.ones(n, dtype=bool)
                theme = np.where(top < self.other_below, OTHER, order[:, 0])
            else:
                keep = (top >= self.other_below) & (score >= self.other_below) & (score >= self.secondary_ratio * top)
                theme = order[:, rank]
            idx = np.flatnonzero(keep)
            rows_text.append(idx)
            rows_theme.append(theme[idx])
            rows_score.append(score[idx])
            rows_rank.append(np.full(len(idx), rank + 1))
        frame = pd.DataFrame({"text": np.concatenate(rows_text), "theme": np.concatenate(rows_theme),
                              "score": np.concatenate(rows_score).astype(float), "rank": np.concatenate(rows_rank)})
        return frame.sort_values(["text", "rank"], kind="stable").reset_index(drop=True)

    def assign(self, texts: list[str] | pd.Series) -> pd.DataFrame:
        """Place new texts in the fitted themes (no re-fit): rows text (position), theme, score, rank."""
        texts = [clean_text(t) for t in list(texts)]
        if not texts or self.k_ == 0:
            return pd.DataFrame({"text": np.arange(len(texts)), "theme": OTHER, "score": 0.0, "rank": 1})
        vectors = self._vectors(self._vectorizer.transform(texts), texts, fitting=False)
        return self._assign_vectors(vectors)

    # -- describing ------------------------------------------------------------------------------------------

    def _describe(self, texts: list[str], vectors: np.ndarray, assignments: pd.DataFrame) -> None:
        primary = assignments[assignments["rank"] == 1].set_index("text")
        labels = primary["theme"].reindex(range(len(texts))).to_numpy()
        self.labels_ = labels
        self.assignments_ = assignments
        # labels come from real phrases, counted on at most `label_sample` texts
        rng = np.random.default_rng(self.random_state)
        sample = np.arange(len(texts)) if len(texts) <= self.label_sample else np.sort(
            rng.choice(len(texts), self.label_sample, replace=False))
        phrases = PhraseVectorizer(min_df=self._vectorizer.min_df, adjacent_phrases=True)
        phrase_counts = phrases.fit_transform([texts[i] for i in sample])
        weights = class_tfidf(phrase_counts, labels[sample], self.k_)
        rows = []
        for theme in range(self.k_):
            members = np.flatnonzero(labels == theme)
            keywords = pick_keywords(weights[theme], phrases.terms_, phrases.surface_, self.n_keywords)
            rows.append({
                "theme": theme, "label": make_label(keywords), "keywords": keywords, "size": len(members),
                "share": len(members) / max(len(texts), 1),
                "representatives": self._representatives(members, vectors, theme),
            })
        others = np.flatnonzero(labels == OTHER)
        if len(others):
            rows.append({"theme": OTHER, "label": OTHER_LABEL, "keywords": [], "size": len(others),
                         "share": len(others) / len(texts), "representatives": others[:0].tolist()})
        self.themes_ = pd.DataFrame(rows)
        self.class_weights_ = weights

    def _representatives(self, members: np.ndarray, vectors: np.ndarray, theme: int) -> list[int]:
        """Texts nearest the theme's centre, covering as many regions as possible."""
        if len(members) == 0:
            return []
        closeness = vectors[members] @ self.centroids_[theme]
        ranked = members[np.argsort(-closeness, kind="stable")]
        if self.regions_ is None:
            return ranked[: self.n_representatives].tolist()
        chosen, seen_regions = [], set()
        for index in ranked:
            if self.regions_[index] not in seen_regions:
                chosen.append(int(index))
                seen_regions.add(self.regions_[index])
            if len(chosen) == self.n_representatives:
                return chosen
        for index in ranked:
            if int(index) not in chosen:
                chosen.append(int(index))
            if len(chosen) == self.n_representatives:
                break
        return chosen
