"""Small builders shared by tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from consult import storage
from consult.access import member_link
from consult.demo import consultation as demo

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def app_test(url: str, **secrets):
    """The whole app under Streamlit's AppTest, on the database at `url`, nobody signed in."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["connections"] = {"consult": {"url": url}}
    for key, value in secrets.items():
        at.secrets[key] = value
    at.user = {"is_logged_in": False}
    return at


def joined(url: str, engine, consultation, region: str = "W92000004"):
    """An AppTest for a member who has joined `consultation` (their token in the URL), and the member."""
    member = storage.add_participant(engine, consultation.id, region=region)
    at = app_test(url)
    at.query_params["p"] = member_link.link_token(member.token)
    return at, member


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


def sign_in_as(at, url: str, account: str, role: str):
    """Give an AppTest a live staff session, as the sign-in page would (a row in staff_sessions)."""
    from consult.storage import db, staff_sessions

    engine = db.make_engine(url)
    try:
        at.session_state["staff_session"] = staff_sessions.start(engine, account, role)
    finally:
        engine.dispose()
    return at


def vote_button(at, choice: str):
    """The vote page's button for `choice` ('agree', 'disagree' or 'pass') on the card shown (keys hold the
    proposal's id)."""
    return next(button for button in at.button if (button.key or "").startswith(f"vote_{choice}_"))


def count_cells(max_votes: int = 30):
    """A hypothesis strategy: (agree, seen) count arrays of 1-6 proposals by 1-5 regions, up to `max_votes` a cell."""
    import numpy as np
    from hypothesis import strategies as st

    @st.composite
    def cells(draw):
        n_prop = draw(st.integers(1, 6))
        n_reg = draw(st.integers(1, 5))
        size = n_prop * n_reg
        seen = np.array(draw(st.lists(st.integers(0, max_votes), min_size=size, max_size=size)),
                        dtype=float).reshape(n_prop, n_reg)
        share = np.array(draw(st.lists(st.floats(0, 1), min_size=size, max_size=size))).reshape(n_prop, n_reg)
        return np.floor(seen * share), seen

    return cells()
