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


def test_sign_in_and_throttle():
    now = [1000.0]
    throttle = auth.Throttle(clock=lambda: now[0])
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
