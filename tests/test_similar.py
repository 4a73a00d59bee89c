"""Finding similar proposals."""

from __future__ import annotations

import pandas as pd

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


def test_offers_meet_the_precision_target_on_labelled_pairs():
    """Similar proposals are offered only when similar: precision >= 0.9 on hand-labelled pairs, where word
    overlap alone cannot reach it at any threshold (the same frame around a different subject fools it)."""
    from pathlib import Path

    from consult.demo import consultation as demo
    from consult.proposals import similar
    pairs = pd.read_csv(Path(__file__).parent / "data" / "similar_pairs.csv")
    corpus = demo.generate(n_participants=200, n_proposals=600).proposals["body"].tolist()
    scores = similar.score_pairs(pairs["a"].tolist(), pairs["b"].tolist(), corpus)
    offered = scores["meaning"] >= similar.OFFER_THRESHOLD
    duplicates = pairs["duplicate"] == 1
    assert offered.sum() >= 10
    assert duplicates[offered].mean() >= 0.9
    assert (offered & duplicates).sum() / duplicates.sum() >= 0.35
    best_lexical = max(duplicates[scores["lexical"] >= t].mean() for t in (0.2, 0.3, 0.4, 0.5, 0.6)
                       if (scores["lexical"] >= t).any())
    assert best_lexical < 0.9
