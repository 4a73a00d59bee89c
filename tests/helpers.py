"""Small builders shared by tests."""

from __future__ import annotations

import pandas as pd

from consult import demo


def demo_votes(data: demo.DemoData) -> pd.DataFrame:
    """The demo's current votes as consult's votes frame, with integer ids and the voter's region."""
    person = {e: i for i, e in enumerate(data.participants["external_id"])}
    proposal = {e: i for i, e in enumerate(data.proposals["external_id"])}
    region = dict(zip(data.participants["external_id"], data.participants["region"], strict=True))
    return pd.DataFrame({
        "participant_id": data.votes["participant_external_id"].map(person),
        "proposal_id": data.votes["proposal_external_id"].map(proposal),
        "value": data.votes["value"].astype("int8"),
        "region": data.votes["participant_external_id"].map(region),
    })


def votes(rows: list[tuple[int, int, int, str]]) -> pd.DataFrame:
    """(participant, proposal, value, region) tuples as a votes frame."""
    return pd.DataFrame(rows, columns=["participant_id", "proposal_id", "value", "region"]).astype(
        {"participant_id": "int64", "proposal_id": "int64", "value": "int8"}
    )
