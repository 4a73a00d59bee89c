"""The ballot pages under AppTest: a verified member votes once and keeps a receipt, then checks it after close;
an officer creates, opens and closes a ballot and sees turnout, then the result and the count sheet."""

from __future__ import annotations

import pandas as pd
from helpers import app_test, sign_in_as

from consult import storage
from consult.access import member_link
from consult.storage import ballots, db, roll


def _setup(sqlite_url):
    engine = db.make_engine(sqlite_url)
    storage.init_db(engine)
    numbers = [f"n{i}" for i in range(12)]
    roll.replace_roll(engine, pd.DataFrame({"number_hash": numbers, "verifier_hash": ["v"] * 12,
                                            "region": ["W92000004"] * 12, "local_party": [None] * 12,
                                            "branch": [None] * 12}), verifier_label="Postcode", actor="t")
    consultation = storage.create_consultation(engine, title="Devolution", question="What next?")
    members = [roll.join_verified(engine, consultation.id, n, "W92000004", None, consented=True)[0] for n in numbers]
    return engine, consultation, members


def test_a_verified_member_votes_once_keeps_a_receipt_and_checks_it_after_close(sqlite_url):
    engine, consultation, members = _setup(sqlite_url)
    ballot_id = ballots.create_ballot(engine, consultation.id, "motion", "Set up a Welsh assembly committee", [])
    ballots.open_ballot(engine, ballot_id)
    at = app_test(sqlite_url)
    at.query_params["p"] = member_link.link_token(members[0].token)
    at.run()
    at.switch_page("consult/app/pages/ballots.py").run()
    assert not at.exception
    assert at.subheader[0].value == "Set up a Welsh assembly committee"
    at.radio(key=f"motion_{ballot_id}").set_value("for")
    at.button[0].click().run()
    receipt = at.session_state[f"receipt_{ballot_id}"]
    assert any(receipt in t.value for t in at.text)
    assert ballots.turnout(engine, ballot_id) == (1, 12)
    at.run()
    assert not any(r.key == f"motion_{ballot_id}" for r in at.radio)  # no second paper
    ballots.close_ballot(engine, ballot_id)
    at.run()
    assert any(t.value.startswith("Carried: 1 for") for t in at.text)
    assert any("Your paper was counted" in s.value and s.value.endswith("for") for s in at.success)


def test_an_officer_creates_opens_and_closes_a_preferential_ballot(sqlite_url):
    engine, consultation, members = _setup(sqlite_url)
    at = sign_in_as(app_test(sqlite_url), sqlite_url, "olivia", "officer")
    at.run()
    at.switch_page("consult/app/pages/ballots_admin.py").run()
    assert not at.exception
    at.radio[0].set_value("preferential")
    at.text_input[0].input("Regional convenor")
    at.text_area[1].input("Ann\nBen\nCy")
    at.button[0].click().run()
    assert any("Draft created" in s.value for s in at.success), [e.value for e in at.error]
    ballot_id = int(ballots.list_ballots(engine, consultation.id)["id"].iloc[0])
    at.button(key=f"open_{ballot_id}").click().run()
    assert ballots.get_ballot(engine, ballot_id).status == "open"
    for i, member in enumerate(members):
        ballots.cast(engine, ballot_id, member, [[1, 2], [2], [3, 1]][i % 3])
    at.run()
    assert any(m.value == "12 of 12" for m in at.metric)
    at.button(key=f"close_{ballot_id}").click().run()
    assert any(t.value.startswith("Elected (1 of 3)") for t in at.text)
    assert any("SHA-256" in t.value for t in at.text)


def test_the_presenter_shows_a_meeting_ballots_turnout_then_its_result_only_after_close(sqlite_url):
    engine, consultation, members = _setup(sqlite_url)
    ballot_id = ballots.create_ballot(engine, consultation.id, "motion", "Adopt the devolution motion", [],
                                      meeting=True)
    ballots.open_ballot(engine, ballot_id)
    for member, choice in zip(members[:5], ["for", "for", "for", "against", "abstain"], strict=True):
        ballots.cast(engine, ballot_id, member, choice)
    at = app_test(sqlite_url)
    at.query_params["code"] = consultation.join_code
    at.run()
    at.switch_page("consult/app/pages/present.py").run()
    assert not at.exception
    headers = [h.value for h in at.header]
    assert "Vote now: Adopt the devolution motion" in headers and "Just in" not in headers
    assert not any(m.label == "For" for m in at.metric)  # no result while the ballot is open
    ballots.close_ballot(engine, ballot_id)
    at.run()
    assert "Result: Adopt the devolution motion" in [h.value for h in at.header]
    assert {m.label: m.value for m in at.metric if m.label in ("For", "Against")} == {"For": "3", "Against": "1"}


def test_a_facilitator_creates_and_opens_a_meeting_ballot(sqlite_url):
    engine, consultation, _ = _setup(sqlite_url)
    at = sign_in_as(app_test(sqlite_url), sqlite_url, "fran", "facilitator")
    at.run()
    assert not at.exception
    form_title = next(t for t in at.text_input if t.label == "Title" and t.max_chars == 300)
    form_title.input("Who chairs the regional assembly group?")
    next(t for t in at.text_area if t.label.startswith("Options")).input("Ann\nBen")
    next(r for r in at.radio if r.label == "Kind").set_value("preferential")
    next(b for b in at.button if b.label == "Create draft").click().run()
    ballot_id = int(ballots.list_ballots(engine, consultation.id)["id"].iloc[0])
    assert ballots.get_ballot(engine, ballot_id).meeting
    at.button(key=f"open_{ballot_id}").click().run()
    assert ballots.get_ballot(engine, ballot_id).status == "open"
    assert ballots.meeting_ballot(engine, consultation.id) == ballot_id
