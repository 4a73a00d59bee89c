"""Scopes in the app: a facilitator limits a consultation to a region, a member from elsewhere is told kindly on the
join page (as the database says: nobody joined), one from the region joins."""

from __future__ import annotations

from helpers import app_test, sign_in_as

from consult import storage
from consult.access import staff_sign_in as auth
from consult.storage import roll
from tests.test_roll import load

PASSWORD = "correct horse battery"
NORTH_EAST = "E12000001"


def _facilitator(url: str):
    accounts = {"fran": {"role": "facilitator", "password_hash": auth.hash_password(PASSWORD)}}
    return sign_in_as(app_test(url, accounts=accounts), url, "fran", "facilitator")


def _by_label(widgets, label: str):
    return next(widget for widget in widgets if widget.label.startswith(label))


def test_facilitator_creates_a_regional_panel_and_narrowing_past_joiners_is_refused(sqlite_engine, sqlite_url):
    load(sqlite_engine)
    at = _facilitator(sqlite_url).run()
    at.switch_page("consult/app/pages/facilitator.py").run()
    at.text_input[0].set_value("North East members' panel")
    at.text_area[0].set_value("What should the combined authority do first?")
    _by_label(at.radio, "Who may join").set_value("members")
    _by_label(at.multiselect, "Only members in these regions").set_value([NORTH_EAST])
    at.button[0].click().run()
    assert not at.exception
    made = storage.get_consultation(sqlite_engine, int(storage.list_consultations(sqlite_engine).iloc[0]["id"]))
    assert made.scope.regions == (NORTH_EAST,) and made.access == "members"
    assert any(expander.label == "Who it is for: North East" for expander in at.expander)

    other = storage.create_consultation(sqlite_engine, title="Everyone", question="Q?", join_code="EVRY26")
    storage.add_participant(sqlite_engine, other.id, region="S92000003")
    at.run()
    at.selectbox[0].set_value("EVRY26").run()
    at.multiselect(key=f"scope_{other.id}_regions").set_value([NORTH_EAST])
    next(b for b in at.button if b.label == "Save who it is for").click().run()
    assert any("1 person outside North East has already joined" in e.value for e in at.error)
    assert storage.get_consultation(sqlite_engine, other.id).scope.whole_party


def test_a_member_from_elsewhere_is_told_kindly_and_one_from_the_region_joins(sqlite_engine, sqlite_url):
    load(sqlite_engine)
    panel = storage.create_consultation(sqlite_engine, title="North East members' panel", question="Q?",
                                        access="members", join_code="NEPA26",
                                        scope=storage.Scope.checked([NORTH_EAST]))
    assert roll.roll_summary(sqlite_engine) is not None
    at = app_test(sqlite_url)
    at.query_params["join"] = "NEPA26"
    at.run()
    assert any("for party members in North East" in md.value for md in at.markdown)
    at.text_input[0].set_value("A1003")  # Wales on the roll
    at.text_input[1].set_value("CF10 1EP")
    at.checkbox[0].check()
    at.button[0].click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("for members in North East" in e and "places you in Wales" in e for e in errors), errors
    assert storage.participants_frame(sqlite_engine, panel.id).empty
    at.text_input[0].set_value("A1001")
    at.text_input[1].set_value("NE1 4ST")
    at.button[0].click().run()
    people = storage.participants_frame(sqlite_engine, panel.id)
    assert people["region"].tolist() == [NORTH_EAST]


def test_an_open_join_link_offers_only_the_regions_in_scope(sqlite_engine, sqlite_url):
    storage.create_consultation(sqlite_engine, title="Scotland and Wales", question="Q?", join_code="SCWA26",
                                scope=storage.Scope.checked(["S92000003", "W92000004"]))
    at = app_test(sqlite_url)
    at.query_params["join"] = "SCWA26"
    at.run()
    assert at.selectbox[0].options == ["Scotland", "Wales"]
    assert any("For members in Scotland or Wales" in c.value for c in at.caption)
