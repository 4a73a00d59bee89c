"""Scopes: a consultation limited to regions or local parties admits only people in them, tells others kindly, and
cannot be narrowed past people who have joined."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult import storage
from consult.access import member_join
from consult.storage import schema as s
from consult.storage.scopes import Scope
from tests.test_roll import load

NORTH_EAST, SCOTLAND, WALES = "E12000001", "S92000003", "W92000004"


def test_scope_in_words_and_who_it_admits():
    assert Scope().text == "the whole party" and Scope().admits(SCOTLAND, None)
    panel = Scope.checked([NORTH_EAST])
    assert panel.text == "North East"
    assert panel.admits(NORTH_EAST, None) and not panel.admits(SCOTLAND, "Newcastle Central")
    local = Scope.checked([NORTH_EAST], ["Newcastle  Central", "Gateshead", "Gateshead"])
    assert local.local_parties == ("Newcastle Central", "Gateshead")
    assert local.text == "Newcastle Central or Gateshead in North East"
    assert local.admits(NORTH_EAST, "newcastle central") and not local.admits(NORTH_EAST, "Sunderland")
    assert not local.admits(NORTH_EAST, None)
    with pytest.raises(storage.StoreError, match="Not a UK region: Mars"):
        Scope.checked(["Mars"])
    with pytest.raises(storage.StoreError, match="comma"):
        Scope.checked([], ["Leeds, North"])


def test_a_regional_panel_refuses_a_verified_member_from_elsewhere_kindly(engine):
    load(engine)  # A1001 is in the North East (Newcastle Central), A1003 in Wales
    panel = storage.create_consultation(engine, title="North East members' panel", question="Q?", access="members",
                                        scope=Scope.checked([NORTH_EAST]))
    assert panel.scope.regions == (NORTH_EAST,)
    with pytest.raises(storage.Refused) as refused:
        member_join.verify_and_join(engine, panel, "A1003", "CF10 1EP", consented=True, client="1.1.1.1")
    message = str(refused.value)
    assert "for members in North East" in message and "places you in Wales" in message
    assert "thank you for wanting to take part" in message
    with engine.connect() as conn:
        assert conn.execute(select(s.participants.c.id)
                            .where(s.participants.c.consultation_id == panel.id)).first() is None
    joined = member_join.verify_and_join(engine, panel, "A1001", "NE1 4ST", consented=True, client="1.1.1.1")
    assert joined.participant.region == NORTH_EAST and joined.participant.verified


def test_a_local_party_scope_checks_the_roll_and_needs_verified_members(engine):
    load(engine)
    with pytest.raises(storage.StoreError, match="verified members only"):
        storage.create_consultation(engine, title="Cardiff", question="Q?", access="open",
                                    scope=Scope.checked([], ["Cardiff"]))
    cardiff = storage.create_consultation(engine, title="Cardiff", question="Q?", access="members",
                                          scope=Scope.checked([], ["Cardiff"]))
    with pytest.raises(storage.Refused, match="members of Cardiff. Your membership record gives Newcastle Central"):
        member_join.verify_and_join(engine, cardiff, "A1001", "NE1 4ST", consented=True, client="1.1.1.1")
    assert member_join.verify_and_join(engine, cardiff, "A1003", "CF10 1EP", consented=True,
                                       client="1.1.1.1").participant.region == WALES
    with pytest.raises(storage.StoreError, match="limited to local parties"):
        storage.update_settings(engine, cardiff.id, actor="officer", access="mixed")
    assert storage.get_consultation(engine, cardiff.id).access == "members"


def test_open_joins_choose_a_region_in_scope(engine):
    panel = storage.create_consultation(engine, title="Scotland and Wales", question="Q?",
                                        scope=Scope.checked([SCOTLAND, WALES]))
    with pytest.raises(storage.Refused, match="for members in Scotland or Wales. You chose North East"):
        storage.add_participant(engine, panel.id, region=NORTH_EAST)
    with pytest.raises(storage.Refused, match="You did not give a region"):
        storage.add_participant(engine, panel.id, region="UNDISCLOSED")
    assert storage.add_participant(engine, panel.id, region=WALES).region == WALES


def test_a_scope_cannot_be_narrowed_past_people_who_joined(engine, consultation):
    storage.add_participant(engine, consultation.id, region=SCOTLAND)
    storage.add_participant(engine, consultation.id, region=NORTH_EAST)
    with pytest.raises(storage.Refused, match="1 person outside North East has already joined"):
        storage.set_scope(engine, consultation.id, Scope.checked([NORTH_EAST]), actor="officer")
    assert storage.get_consultation(engine, consultation.id).scope.whole_party
    widened = storage.set_scope(engine, consultation.id, Scope.checked([NORTH_EAST, SCOTLAND]), actor="officer")
    assert widened.scope.text == "North East or Scotland"
    with pytest.raises(storage.StoreError, match="switch who may join first"):
        storage.set_scope(engine, consultation.id, Scope.checked([], ["Cardiff"]), actor="officer")
    assert storage.audit_frame(engine, consultation.id)["action"].eq("set_scope").sum() == 1


def test_the_database_refuses_a_local_scope_on_an_open_consultation(engine, consultation):
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(update(s.consultations).where(s.consultations.c.id == consultation.id)
                     .values(scope_local_parties="Cardiff"))
