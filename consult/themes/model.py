"""Finding themes in proposals: vectors, clustering with an automatic number of themes, labels and evidence.

`ThemeModel` is a scikit-learn estimator: parameters only in the constructor, `fit(texts, regions)` sets the
learned state (names ending in `_`) and returns the model, `assign(texts)` places new texts in the fitted themes
without re-fitting, `sklearn.base.clone` works, and the same input with the same `random_state` gives the same
output.

The pipeline, each step measured against a plain TF-IDF + k-means baseline in `benchmarks/bench_themes.py`:
1. vectors: LSA of stemmed word-and-phrase TF-IDF, beside smooth-inverse-frequency weighted static word
   embeddings (`embeddings.SifEmbedder`), each half of the similarity; names mentioned in passing (a town, not
   the subject) are left out of both (`incidental_names`);
2. the number of themes by stability across k-means seeds and a consensus partition (`theme_clustering`);
3. rules: no theme under the minimum size, no two themes that say the same thing (close centres, or labels and
   keywords in common), at most `max_other_share` in "Other";
4. labels from class-based TF-IDF phrases that occur in the theme's texts, negation-aware, one per theme, widened
   by a second phrase where one covers more of the theme ("Wind and energy").
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

from consult.text import embeddings
from consult.text.cleaning import clean_text
from consult.themes import clustering as theme_clustering
from consult.themes import incidental_names, placement
from consult.themes.labels import ThemeLabeller
from consult.themes.placement import OTHER
from consult.themes.words import (  # noqa: F401
    PhraseVectorizer,
    class_tfidf,
    label_stems,
    pick_keywords,
    same_subject,
)

OTHER_LABEL = "Other"


class ThemeModel(BaseEstimator):
    """Themes in short texts, found offline and deterministically.

    Parameters: `n_themes` fixes the number (None: chosen by stability between `min_themes` and `max_themes`);
    `semantic` adds static word embeddings (wordllama) to LSA when available ("auto"), always (True, failing if
    absent) or never (False); `semantic_weight`, their share of the similarity; `n_components` for LSA;
    `other_below`, the similarity under which a text may go to "Other", and `max_other_share`, the most that
    "Other" may hold (the weakest fits go there, the rest to their nearest theme); `secondary_ratio`, how close a
    second or third theme must score to the first to be kept (up to `max_themes_per_text`); `min_theme_size`
    (None: max(5, 0.1% of texts)); `merge_above`, the centre similarity at which two themes are one;
    `merge_related_above`, the lower centre similarity at which two themes whose labels share a word are one
    ("Good service" and "Great service"); `merge_keyword_overlap`, the Jaccard overlap of top keywords at which
    two themes are one; `stability_runs` k-means runs per candidate k on a sample of `selection_sample` texts
    projected on `selection_dimensions` axes; `label_coverage`, the share of a theme's texts a phrase must
    occur in to be its label; `leave_out_incidental_names`, leave names mentioned in passing (a town, not the
    subject) out of the vectors (`incidental_names`; needs the sentence vectors; `incidental_names_` lists them
    as the texts write them, `name_verdicts_` gives every name's verdict).
    """

    def __init__(self, n_themes: int | None = None, min_themes: int = 4, max_themes: int = 20,
                 semantic: bool | str = "auto", semantic_weight: float = 0.5, n_components: int = 100,
                 other_below: float = 0.15, max_other_share: float = 0.05, secondary_ratio: float = 0.9,
                 max_themes_per_text: int = 3, min_theme_size: int | None = None, merge_above: float = 0.9,
                 merge_related_above: float = 0.75, merge_keyword_overlap: float = 0.6, n_keywords: int = 8,
                 n_representatives: int = 5, label_coverage: float = 0.1, stability_runs: int = 6, selection_sample: int = 1500,
                 selection_dimensions: int = 48, label_texts_per_theme: int = 250, svd_sample: int = 30_000,
                 leave_out_incidental_names: bool = True, random_state: int = 0) -> None:
        self.n_themes = n_themes
        self.min_themes = min_themes
        self.max_themes = max_themes
        self.semantic = semantic
        self.semantic_weight = semantic_weight
        self.n_components = n_components
        self.other_below = other_below
        self.max_other_share = max_other_share
        self.secondary_ratio = secondary_ratio
        self.max_themes_per_text = max_themes_per_text
        self.min_theme_size = min_theme_size
        self.merge_above = merge_above
        self.merge_related_above = merge_related_above
        self.merge_keyword_overlap = merge_keyword_overlap
        self.n_keywords = n_keywords
        self.n_representatives = n_representatives
        self.label_coverage = label_coverage
        self.stability_runs = stability_runs
        self.selection_sample = selection_sample
        self.selection_dimensions = selection_dimensions
        self.label_texts_per_theme = label_texts_per_theme
        self.svd_sample = svd_sample
        self.leave_out_incidental_names = leave_out_incidental_names
        self.random_state = random_state

    # -- vectors ---------------------------------------------------------------------------------------------

    def _fit_vectors(self, texts: list[str]) -> np.ndarray:
        self.vectorizer_ = PhraseVectorizer(min_df=2 if len(texts) >= 20 else 1)
        self.tfidf_ = TfidfTransformer(sublinear_tf=True)
        counts = self.vectorizer_.fit_transform(texts)
        self._leave_out_incidental_names(texts)
        weighted = self.tfidf_.fit_transform(counts @ self.phrases_kept_)
        n_comp = max(1, min(self.n_components, weighted.shape[1] - 1, weighted.shape[0] - 1))
        self.svd_ = None
        if weighted.shape[1] > 1:
            # the axes are learned on a sample; projecting everything on them is a cheap product
            self.svd_ = TruncatedSVD(n_components=n_comp, random_state=self.random_state, algorithm="randomized",
                                     n_iter=5)
            rng = np.random.default_rng(self.random_state)
            rows = np.sort(rng.choice(weighted.shape[0], self.svd_sample, replace=False)) \
                if weighted.shape[0] > self.svd_sample else slice(None)
            self.svd_.fit(weighted[rows])
        lexical = self._lexical(weighted)
        if not self.semantic_in_use_:
            return lexical
        # the single words the phrase counter already read (stop words aside: measured, they change NMI by
        # under 0.01 once the frequency weighting plays common words down) feed the sentence vectors
        self.embedder_ = embeddings.SifEmbedder()
        semantic = self.embedder_.fit_transform(self.vectorizer_.word_counts_ @ self.words_kept_,
                                                self.vectorizer_.words_)
        return self._join(lexical, semantic)

    def _leave_out_incidental_names(self, texts: list[str]) -> None:
        """Names mentioned in passing ("In Hull we ...") are left out of both views, so texts are not grouped by
        the town they name (`incidental_names`); a name that is the subject ("the Barnett formula") stays. Judged
        only with the sentence vectors, which the judgement reads."""
        if self.leave_out_incidental_names and self.semantic_in_use_:
            self.name_verdicts_ = incidental_names.judge_names(
                texts, self.vectorizer_.word_counts_, self.vectorizer_.words_, embeddings.SifEmbedder,
                random_state=self.random_state)
            self.incidental_names_ = [name for name, verdict in self.name_verdicts_.items()
                                      if verdict == incidental_names.IN_PASSING]
        # 0/1 diagonals: a name's columns count nothing, in fitting and in `assign` alike
        self.phrases_kept_, self.words_kept_ = incidental_names.columns_kept(
            self.incidental_names_, self.vectorizer_.terms_, self.vectorizer_.words_)

    def _transform_vectors(self, texts: list[str]) -> np.ndarray:
        phrases, words = self.vectorizer_.transform_with_words(texts)
        lexical = self._lexical(self.tfidf_.transform(phrases @ self.phrases_kept_))
        if not self.semantic_in_use_:
            return lexical
        return self._join(lexical, self.embedder_.transform(words @ self.words_kept_))

    def _lexical(self, weighted: sparse.csr_matrix) -> np.ndarray:
        lsa = self.svd_.transform(weighted) if self.svd_ is not None else weighted.toarray()
        return normalize(np.asarray(lsa, dtype=np.float32))

    def _join(self, lexical: np.ndarray, semantic: np.ndarray) -> np.ndarray:
        weight = self.semantic_weight
        return normalize(np.hstack([lexical * math.sqrt(1 - weight), semantic * math.sqrt(weight)])
                         ).astype(np.float32)

    # -- fitting ---------------------------------------------------------------------------------------------

    def fit(self, texts: list[str] | pd.Series, regions: list[str] | pd.Series | None = None) -> ThemeModel:
        """Find the themes. Runs with one BLAS and OpenMP thread whatever the process allows: sums split across
        threads add in a different order, and the partition changed with the thread count (held-out NMI 0.257 with
        two threads, 0.262 with one), so the same seed gave different themes on different machines."""
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return self._fit(texts, regions)

    def _fit(self, texts: list[str] | pd.Series, regions: list[str] | pd.Series | None = None) -> ThemeModel:
        texts = ["" if t is None else str(t) for t in list(texts)]
        n = len(texts)
        self.n_texts_ = n
        self.regions_ = None if regions is None else np.asarray(list(regions), dtype=object)
        if self.semantic is True and not embeddings.available():
            raise RuntimeError("semantic=True needs the wordllama package (pip install 'consult-devolution[semantic]')")
        self.semantic_in_use_ = self.semantic in (True, "auto") and embeddings.available()
        self.stabilities_: dict[int, float] = {}
        self.incidental_names_: list[str] = []
        self.name_verdicts_: dict[str, str] = {}
        if n == 0:
            self._empty()
            return self
        # identical texts (campaign responses) are vectorised once
        distinct, inverse = np.unique(np.array(texts, dtype=object), return_inverse=True)
        vectors = self._fit_vectors(distinct.tolist())[inverse]
        self._labeller = None
        min_size = self.min_theme_size or max(5, math.ceil(0.001 * n))
        self.min_size_ = min_size
        unique_rows = len(distinct)
        if n < 2 * min_size or unique_rows < 2:
            centroids = normalize(vectors.mean(axis=0, keepdims=True))
        else:
            centroids = self._apply_rules(vectors, self._cluster(vectors, min_size, unique_rows), min_size)
        self.centroids_ = centroids.astype(np.float32)
        self.k_ = len(self.centroids_)
        assignments = self._assign_vectors(vectors)
        self._describe(texts, vectors, assignments)
        for _ in range(20):  # themes whose labels or keywords say the same thing are one theme
            pair = self._lookalike_pair()
            if pair is None:
                break
            self._merge_centroids(*pair)
            assignments = self._assign_vectors(vectors)
            self._describe(texts, vectors, assignments)
        # the settled themes' labels are widened by a second phrase where one covers more of the theme ("Wind and
        # energy"); merges above compare the narrow labels, so widening never joins two themes
        real = self.themes_["theme"] != OTHER
        narrow = self.themes_.loc[real, "label"].tolist()
        self.themes_.loc[real, "label"] = self._labeller.broaden(texts, self.labels_, narrow)
        return self

    def _cluster(self, vectors: np.ndarray, min_size: int, unique_rows: int) -> np.ndarray:
        rows, sample = theme_clustering.selection_sample(vectors, self.selection_sample, self.selection_dimensions,
                                                         self.random_state)
        upper = max(1, min(self.max_themes, unique_rows - 1, len(vectors) // min_size, len(sample) // 2))
        if self.n_themes:
            k = max(1, min(self.n_themes, unique_rows, len(vectors) // min_size))
            runs = theme_clustering.kmeans_runs(sample, k, self.stability_runs, self.random_state) if k > 1 else []
        elif upper < 2:
            k, runs = 1, []
        else:
            candidates = list(range(min(max(2, self.min_themes), upper), upper + 1))
            k, self.stabilities_, runs_by_k = theme_clustering.choose_k(
                sample, candidates, n_runs=self.stability_runs, random_state=self.random_state)
            runs = runs_by_k[k]
        if k == 1:
            return normalize(vectors.mean(axis=0, keepdims=True))
        if len(rows) < k * 2:  # too few texts in the sample for a consensus: plain k-means on everything
            return normalize(KMeans(n_clusters=k, n_init=4, random_state=self.random_state).fit(vectors)
                             .cluster_centers_.astype(np.float32))
        consensus = theme_clustering.consensus_labels(runs, k)
        centroids = theme_clustering.centres(vectors[rows], consensus)
        # a few k-means steps on every text from the consensus centres settle them on the whole consultation
        steps = MiniBatchKMeans if len(vectors) > 20_000 else KMeans
        options = {"batch_size": 4096, "max_iter": 20} if steps is MiniBatchKMeans else {"max_iter": 10}
        model = steps(n_clusters=len(centroids), init=centroids, n_init=1, random_state=self.random_state,
                      **options).fit(vectors)
        return normalize(model.cluster_centers_.astype(np.float32))

    def _lookalike_pair(self) -> tuple[int, int] | None:
        """Two themes that say the same thing: the same label, labels that differ only by a word of praise or
        complaint ("Good service" / "Excellent service"), most top keywords shared, or a label word in common
        with centres close enough."""
        real = self.themes_[self.themes_["theme"] != OTHER]
        words = [set(k[:5]) for k in real["keywords"]]
        labels = real["label"].str.lower().tolist()
        stems = [label_stems(label) for label in labels]
        themes = real["theme"].astype(int).tolist()
        closeness = self.centroids_ @ self.centroids_.T
        for i in range(len(real)):
            for j in range(i + 1, len(real)):
                union = words[i] | words[j]
                overlap = len(words[i] & words[j]) / len(union) if union else 0.0
                related = bool(stems[i] & stems[j]) and closeness[themes[i], themes[j]] >= self.merge_related_above
                if (labels[i] == labels[j] or same_subject(labels[i], labels[j]) or related
                        or overlap >= self.merge_keyword_overlap):
                    return themes[i], themes[j]
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
        self.themes_ = pd.DataFrame(columns=["theme", "label", "keywords", "size", "share", "coherence",
                                             "representatives"])

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
        return placement.place(similarity, other_below=self.other_below, max_other_share=self.max_other_share,
                               secondary_ratio=self.secondary_ratio, max_themes=self.max_themes_per_text)

    def assign(self, texts: list[str] | pd.Series) -> pd.DataFrame:
        """Place new texts in the fitted themes (no re-fit): rows text (position), theme, score, rank."""
        texts = [clean_text(t) for t in list(texts)]
        if not texts or self.k_ == 0:
            return pd.DataFrame({"text": np.arange(len(texts)), "theme": OTHER, "score": 0.0, "rank": 1})
        vectors = self._transform_vectors(texts)
        similarity = vectors @ self.centroids_.T
        frame = self._assign_vectors(vectors)
        # a new text is judged alone: "Other" when it fits no theme, whatever the share rule did in fit
        unfit = similarity.max(axis=1) < self.other_below
        frame = frame[~(frame["text"].isin(np.flatnonzero(unfit)) & (frame["rank"] > 1))].copy()
        frame.loc[frame["text"].isin(np.flatnonzero(unfit)), "theme"] = OTHER
        return frame.reset_index(drop=True)

    # -- describing ------------------------------------------------------------------------------------------

    def _describe(self, texts: list[str], vectors: np.ndarray, assignments: pd.DataFrame) -> None:
        primary = assignments[assignments["rank"] == 1].set_index("text")
        labels = primary["theme"].reindex(range(len(texts))).to_numpy()
        self.labels_ = labels
        self.assignments_ = assignments
        if self._labeller is None:
            # labels come from real phrases, counted once per fit (merges later only join themes)
            self._labeller = ThemeLabeller(min_df=self.vectorizer_.min_df, coverage=self.label_coverage,
                                           n_keywords=self.n_keywords, texts_per_theme=self.label_texts_per_theme,
                                           names_left_out=self._names_not_for_labels(),
                                           random_state=self.random_state).fit(texts, labels)
        theme_labels, keyword_lists, weights = self._labeller.describe(texts, labels, self.k_)
        closeness = np.einsum("ij,ij->i", vectors, self.centroids_[np.maximum(labels, 0)])
        rows = []
        for theme in range(self.k_):
            members = np.flatnonzero(labels == theme)
            rows.append({
                "theme": theme, "label": theme_labels[theme], "keywords": keyword_lists[theme],
                "size": len(members), "share": len(members) / max(len(texts), 1),
                # coherence: how close the theme's texts sit to its centre (mean cosine), so weak themes show
                "coherence": float(closeness[members].mean()) if len(members) else 0.0,
                "representatives": self._representatives(members, vectors, theme),
            })
        others = np.flatnonzero(labels == OTHER)
        if len(others):
            rows.append({"theme": OTHER, "label": OTHER_LABEL, "keywords": [], "size": len(others),
                         "share": len(others) / len(texts), "coherence": np.nan,
                         "representatives": others[:0].tolist()})
        self.themes_ = pd.DataFrame(rows)
        self.class_weights_ = weights

    def _names_not_for_labels(self) -> tuple[str, ...]:
        return incidental_names.not_for_labels(self.name_verdicts_)

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
