"""Likely duplicates for officers: groups around the proposal to keep, only what says the same thing."""

from __future__ import annotations

import pandas as pd

from consult.proposals import duplicates

SAME_IDEA = ["Give neighbourhood forums real budgets so that decisions are taken close to people.",
             "Please give neighbourhood forums real budgets. Thank you.",
             "My main ask is to give neighbourhood forums real budgets, to keep local knowledge in local hands."]
OTHER_IDEAS = ["Elect regional assemblies by proportional representation.",
               "Invest in tidal and offshore wind off our coast.",
               "Keep libraries and museums open in every town.",
               "Bring the railways back into public ownership."]


def _frame(texts: list[str], votes: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"id": range(1, len(texts) + 1), "body": texts, "votes": votes})


def test_one_idea_three_ways_is_one_group_around_the_most_voted():
    found = duplicates.likely_duplicates(_frame(SAME_IDEA + OTHER_IDEAS, [5, 40, 12, 50, 50, 50, 50]))
    assert found["group"].nunique() == 1
    assert sorted(found["proposal_id"]) == [1, 2, 3]
    assert found.loc[found["keep"], "proposal_id"].tolist() == [2]  # the most voted is kept
    assert (found.loc[~found["keep"], "score"] >= duplicates.LIKELY_DUPLICATE).all()


def test_nothing_alike_lists_nothing_and_tiny_inputs_are_fine():
    assert duplicates.likely_duplicates(_frame(OTHER_IDEAS, [1, 2, 3, 4])).empty
    assert duplicates.likely_duplicates(_frame(SAME_IDEA[:1], [1])).empty
    assert duplicates.likely_duplicates(_frame([], [])).empty


def test_demo_groups_say_the_same_thing():
    """On the demo (1,600 proposals, ideas repeated in many wordings), every listed proposal carries its group's
    kept idea: at least four of its content words (not stop words) appear in it."""
    from consult.demo import consultation as demo

    data = demo.generate()
    frame = pd.DataFrame({"id": range(len(data.proposals)), "body": data.proposals["body"].tolist(),
                          "votes": 1})
    found = duplicates.likely_duplicates(frame)
    assert found["group"].nunique() >= 50
    largest = found[found["group"] == 1]
    kept = largest.loc[largest["keep"], "body"].iloc[0].lower()
    assert len(largest) >= 5
    import re

    from consult.text.cleaning import stop_words

    def content(text: str) -> set[str]:
        return set(re.findall(r"[a-z]+", text.lower())) - set(stop_words())

    shared = [content(body) & content(kept) for body in largest["body"]]
    assert min(len(words) for words in shared) >= 4, shared
