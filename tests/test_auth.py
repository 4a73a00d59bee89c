"""Staff passwords and the brute-force throttle."""

from __future__ import annotations

import pytest

from consult import auth


def test_hash_and_verify():
    stored = auth.hash_password("a long passphrase")
    assert stored.startswith("scrypt$") and "a long passphrase" not in stored
    assert auth.verify_password("a long passphrase", stored)
    assert not auth.verify_password("a long passphrasE", stored)
    assert not auth.verify_password("x", "garbage")
    assert auth.hash_password("same") != auth.hash_password("same")  # salted
    with pytest.raises(ValueError):
        auth.hash_password("")


def test_accounts_from_secrets_and_environment():
    digest = auth.hash_password("pw-1234567")
    found = auth.accounts_from({"accounts": {"alice": {"role": "officer", "password_hash": digest},
                                             "bob": {"role": "admin", "password_hash": digest},
                                             "carol": {"role": "officer", "password_hash": "plain text"}}},
                               environ={"CONSULT_FACILITATOR_PASSWORD_HASH": digest})
    assert set(found) == {"alice", "facilitator"}
    assert found["facilitator"].role == "facilitator"


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def make_throttle(request):
    """The in-process throttle, and the database one (on SQLite and PostgreSQL) that app servers share."""
    if request.param == "memory":
        return lambda clock: auth.Throttle(clock=clock)
    engine = request.getfixturevalue(f"{request.param}_engine")
    return lambda clock: auth.SharedThrottle(engine, clock=clock)


def test_sign_in_and_throttle(make_throttle):
    now = [1000.0]
    throttle = make_throttle(lambda: now[0])
    accounts = {"alice": auth.Account("alice", "officer", auth.hash_password("right one"))}
    assert auth.sign_in(accounts, throttle, "alice", "right one").role == "officer"
    for _ in range(3):
        with pytest.raises(PermissionError, match="do not match"):
            auth.sign_in(accounts, throttle, "alice", "wrong")
    with pytest.raises(PermissionError, match="do not match"):
        auth.sign_in(accounts, throttle, "nobody", "wrong")
    with pytest.raises(PermissionError, match="Try again in"):
        auth.sign_in(accounts, throttle, "alice", "right one")
    now[0] += 2
    assert auth.sign_in(accounts, throttle, "alice", "right one").name == "alice"
    assert throttle.wait_seconds("alice") == 0


def test_servers_sharing_a_database_share_the_count(engine):
    now = [5000.0]
    first, second = (auth.SharedThrottle(engine, clock=lambda: now[0]) for _ in range(2))
    accounts = {"alice": auth.Account("alice", "officer", auth.hash_password("right one"))}
    for server in (first, second, first):
        with pytest.raises(PermissionError, match="do not match"):
            auth.sign_in(accounts, server, "Alice", "wrong")
    with pytest.raises(PermissionError, match="Try again in 1 seconds"):
        auth.sign_in(accounts, second, "alice", "right one")
    for _ in range(8):  # 11 failures: 2^8 s, capped
        second.failed("alice")
    assert 59 < first.wait_seconds("ALICE") <= 60  # capped at a minute
    now[0] += 61
    assert auth.sign_in(accounts, first, "alice", "right one").name == "alice"
    assert second.wait_seconds("alice") == 0
