"""Automatic moderation flags."""

from __future__ import annotations

import pandas as pd
import pytest

from consult.proposals import flags as moderation


@pytest.mark.parametrize(("text", "flag"), [
    ("Email me at jo.bloggs@example.org about it", "email address"),
    ("Ring 07700 900123 any time", "phone number"),
    ("Ring +44 20 7946 0958 any time", "phone number"),
    ("The flooding at SW1A 1AA is terrible", "postcode"),
    ("My neighbour John Smith dumps rubbish", "name of a person"),
    ("Ring Councillor Dave Jones about the ferry", "name of a person"),  # a title at its capital, as written
    ("Cllr. Ann Lee never answers", "name of a person"),
    ("The council are idiots", "abusive language"),
])
def test_flags(text, flag):
    assert flag in moderation.flags(text)


def test_ordinary_proposals_are_not_flagged():
    for text in ["Give the North East control over buses", "Fund 200 more GP places by 2030",
                 "Elect the assembly by STV in 2027", "The M62 needs investment",
                 "Councillors Should Meet In Public"]:
        assert moderation.flags(text) == ()


def test_queue_has_pending_first_then_flagged():
    frame = pd.DataFrame({"id": [1, 2, 3, 4], "status": ["published", "pending", "published", "hidden"],
                          "body": ["call 07700 900123", "fine text", "fine too", "idiots"]})
    queue = moderation.queue(frame)
    assert queue["id"].tolist() == [2, 1]
