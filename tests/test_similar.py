"""Finding similar proposals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from consult.proposals.similar import SimilarityIndex


def test_paraphrases_are_found_and_unrelated_ones_are_not():
    index = SimilarityIndex([1, 2, 3], ["Give the North East control over its bus services",
                                        "Elect regional assemblies by proportional representation",
                                        "Protect the Welsh language in schools"])
    found = index.query("More control of bus services for the North East")
    assert found["proposal_id"].tolist()[0] == 1
    assert index.query("Ferries to the Scottish islands").empty
    assert index.query("").empty


def test_newer_proposals_than_the_index_are_compared_too():
    index = SimilarityIndex([1], ["Protect the Welsh language in schools"])
    extra = pd.DataFrame({"id": [7], "body": ["Bring rail services under the assembly's control"]})
    found = index.query("Put rail services under assembly control", extra=extra)
    assert found["proposal_id"].tolist() == [7]


def test_empty_index():
    assert SimilarityIndex([], []).query("anything").empty


def test_offers_find_most_paraphrases_on_labelled_pairs():
    """Similar proposals are offered for most real paraphrases (the member decides, so recall comes first) while
    most offers are right, through the whole path members use (candidates, then meaning): recall >= 0.85 and
    precision >= 0.8 on hand-labelled pairs whose negatives are mostly the same frame around a different subject.
    Word overlap alone cannot reach that precision at any threshold."""
    from pathlib import Path

    import numpy as np

    from consult.demo import consultation as demo
    from consult.proposals import similar
    pairs = pd.read_csv(Path(__file__).parent / "data" / "similar_pairs.csv")
    corpus = demo.generate(n_participants=200, n_proposals=600).proposals["body"].tolist()
    index = SimilarityIndex(list(range(len(corpus) + len(pairs))), corpus + pairs["b"].tolist())
    offered = np.array([len(corpus) + k in set(index.query(a, top=50)["proposal_id"])
                        for k, a in enumerate(pairs["a"])])
    duplicates = (pairs["duplicate"] == 1).to_numpy()
    recall = (offered & duplicates).sum() / duplicates.sum()
    precision = duplicates[offered].mean()
    assert recall >= 0.85 and precision >= 0.8, (recall, precision)
    scores = similar.score_pairs(pairs["a"].tolist(), pairs["b"].tolist(), corpus)
    best_lexical = max(duplicates[scores["lexical"] >= t].mean() for t in (0.2, 0.3, 0.4, 0.5, 0.6)
                       if (scores["lexical"] >= t).any())
    assert best_lexical < 0.8


def test_a_paraphrase_sharing_no_word_is_offered():
    texts = ["Do not close the accident and emergency department at our hospital"] + [
        f"Build {n} new council homes in every town" for n in ("more", "many", "better", "greener", "cheaper")] + [
        f"Keep the {place} open at weekends" for place in ("library", "museum", "swimming pool", "park cafe")]
    index = SimilarityIndex(list(range(len(texts))), texts)
    assert index.query("Keep A&E open at our local hospital", top=3)["proposal_id"].tolist()[:1] == [0]


def test_a_rebuild_reuses_the_vectors_of_unchanged_proposals_and_embeds_only_new_ones(monkeypatch):
    from consult.proposals import similar
    from consult.text import embeddings

    texts = ["Give the North East control over its bus services", "Elect regional assemblies by STV",
             "Protect the Welsh language in schools"]
    first = SimilarityIndex([1, 2, 3], texts)
    memo = first.memo()
    assert all(isinstance(key[1], str) and key[1] not in texts for key in memo.rows)  # digests, never the text
    embedded: list[list[str]] = []
    real = embeddings.embed
    monkeypatch.setattr(similar.embeddings, "embed", lambda batch, **kw: embedded.append(list(batch)) or real(batch))
    # #2 hidden, #3 edited, #4 new: only the edited and the new texts are embedded again
    rebuilt = SimilarityIndex([1, 3, 4], [texts[0], "Protect Welsh in every school", "Fund rural buses"], reuse=memo)
    assert embedded == [["Protect Welsh in every school", "Fund rural buses"]]
    assert np.allclose(rebuilt._vectors[0], first._vectors[0])
    assert rebuilt.query("More control of bus services for the North East")["proposal_id"].tolist()[0] == 1


def test_newer_proposals_weighed_as_the_index_weighs_words_are_found_as_before():
    """`extended` (the per-check index of proposals newer than the shared one) offers what an index fitted on the
    newer proposals alone offered, word for word, while transforming the draft once."""
    from consult.text import embeddings

    index = SimilarityIndex([1, 2], ["Protect the Welsh language in schools", "Give councils more say over buses"])
    newer_ids, newer_texts = [7, 8], ["Bring rail services under the assembly's control",
                                      "Fund more police officers in rural areas"]
    extended = index.extended(newer_ids, newer_texts)
    assert (extended._vectorizer is index._vectorizer) == embeddings.available()
    own = SimilarityIndex(newer_ids, newer_texts)
    for draft in ("Put rail services under assembly control", "More police for the countryside", "Ferries"):
        assert index.query(draft, extra=extended)["proposal_id"].tolist() == \
            index.query(draft, extra=own)["proposal_id"].tolist()
    assert index.query("Put rail services under assembly control", extra=extended)["proposal_id"].tolist()[0] == 7


def test_without_the_embedding_model_newer_proposals_keep_words_the_index_never_saw(monkeypatch):
    """Word overlap is all there is without the model: a newer proposal found only through a word the shared
    index has never seen must still be offered."""
    from consult.text import embeddings

    monkeypatch.setattr(embeddings, "available", lambda: False)
    index = SimilarityIndex([1], ["Protect the Welsh language in schools"])
    extended = index.extended([7], ["Reopen the Skegness ferry terminal"])
    assert extended._vectorizer is not index._vectorizer
    assert index.query("Skegness ferry terminal should reopen", extra=extended)["proposal_id"].tolist() == [7]


def test_each_proposal_is_offered_once_best_first_and_at_most_top():
    texts = [f"Give the North East control over its bus services {suffix}" for suffix in ("now", "soon", "today")]
    index = SimilarityIndex([1, 2, 3], texts)
    found = index.query("Give the North East control over its bus services", top=2,
                        extra=index.extended([1], [texts[0]]))
    assert len(found) == 2 and found["proposal_id"].is_unique
    assert found["score"].is_monotonic_decreasing
    assert found["proposal_id"].dtype == np.int64


def test_newer_proposals_compete_for_the_places_an_index_rebuilt_with_them_would_give():
    """The index of newer proposals shares the main index's places for candidates: a check offers what an index
    rebuilt with every proposal offers (word weights aside: the rebuilt one counts the newer proposals too)."""
    from consult.demo import consultation as demo

    corpus = demo.generate(n_participants=200, n_proposals=400).proposals["body"].tolist()
    older, newer = corpus[:370], corpus[370:]
    index = SimilarityIndex(list(range(370)), older)
    extended = index.extended(list(range(370, 400)), newer)
    rebuilt = SimilarityIndex(list(range(400)), corpus)
    drafts = [text[: len(text) // 2] for text in corpus[::13]]
    same = [index.query(draft, extra=extended)["proposal_id"].tolist() == rebuilt.query(draft)["proposal_id"].tolist()
            for draft in drafts]
    assert sum(same) >= len(drafts) - 1, f"{sum(same)} of {len(drafts)}"  # 31 of 31 when written


def test_a_draft_is_weighed_exactly_as_the_vectorizer_transforms_it():
    """The direct weighing of a draft (`draft_words`) gives transform's TF-IDF row, and the word-by-word scores
    the sparse product's, on the demo's proposals with drafts that repeat words, share none or are only stop
    words."""
    from consult.demo import consultation as demo
    from consult.proposals.similar import draft_words

    corpus = demo.generate(n_participants=200, n_proposals=400).proposals["body"].tolist()
    index = SimilarityIndex(list(range(len(corpus))), corpus)
    drafts = corpus[:50] + ["buses buses buses in the north east", "zzz qqq", "the and of", "", "Ports? Airports!"]
    for draft in drafts:
        row = index._vectorizer.transform([draft])
        words = draft_words(index._vectorizer, draft)
        expected = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        assert dict(zip(words.columns.tolist(), words.weights.tolist(), strict=True)) == pytest.approx(expected,
                                                                                                         rel=1e-5)
        if draft.strip():
            np.testing.assert_allclose(index.lexical_scores(draft), (index._matrix @ row.T).toarray().ravel(),
                                       rtol=1e-5, atol=1e-6)
    # and many at once, as the proposals newer than an index are weighed (rows without a known word among them)
    newer = index.extended(list(range(len(drafts))), drafts)
    np.testing.assert_allclose(newer._matrix.toarray(), index._vectorizer.transform(drafts).toarray(), rtol=1e-5,
                               atol=1e-7)
