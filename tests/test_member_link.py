"""The member's link is no permanent credential: a signed cookie keeps them, the link in the address expires."""

from __future__ import annotations

from helpers import app_test

from consult import storage
from consult.access import member_link


def test_link_tokens_expire_and_cannot_be_forged():
    token = "abcDEF123_-x"
    link = member_link.link_token(token, now=1_000, ttl_seconds=60)
    assert member_link.token_from_link(link, now=1_059) == token
    assert member_link.token_from_link(link, now=1_061) is None  # expired
    raw, expires, signature = link.split("~")
    assert member_link.token_from_link(f"{raw}~{int(expires) + 3600}~{signature}", now=1_000) is None  # stretched
    assert member_link.token_from_link(f"someoneelse~{expires}~{signature}", now=1_000) is None
    for junk in ("", token, "~~", "a~b~c", "x" * 500):
        assert member_link.token_from_link(junk, now=1_000) is None


def test_cookie_values_are_signed():
    value = member_link.cookie_value("tok_1")
    assert member_link.token_from_cookie(value) == "tok_1"
    assert member_link.token_from_cookie(value.replace("tok_1", "tok_2")) is None
    assert member_link.token_from_cookie("tok_1") is None and member_link.token_from_cookie(None) is None
    script = member_link.set_cookie_script("tok_1", secure=True)
    assert "SameSite=Lax" in script and "Secure" in script and value in script
    assert "Max-Age=0" in member_link.set_cookie_script(None, secure=False)


def test_a_raw_token_or_an_expired_link_in_the_address_opens_nothing(sqlite_engine, sqlite_url):
    consultation = storage.create_consultation(sqlite_engine, title="Links", question="Q?", join_code="LINKOI")
    member = storage.add_participant(sqlite_engine, consultation.id, region="E12000007")
    for value in (member.token, member_link.link_token(member.token, ttl_seconds=-1)):
        at = app_test(sqlite_url)
        at.query_params["p"] = value
        at.run()
        assert not at.success  # not "You are taking part"
        at.switch_page("consult/app/pages/vote.py").run()
        assert "Join the consultation first" in at.info[0].value
    at = app_test(sqlite_url)
    at.query_params["p"] = member_link.link_token(member.token)
    at.run()
    assert "You are taking part" in at.success[0].value
