"""Finding similar proposals."""

from __future__ import annotations

import pandas as pd

from consult.similar import SimilarityIndex


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
