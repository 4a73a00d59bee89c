"""Staff passwords (argon2id, legacy scrypt), the sign-in throttle, upgrades, audit and idle expiry."""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import time

import pytest
from sqlalchemy import func, select

from consult import storage
from consult.access import staff_sign_in as auth
from consult.storage import schema as s


def _legacy_scrypt(password: str, n: int) -> str:
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=8, p=1, maxmem=2**30, dklen=32)
    return f"scrypt${n}$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def test_hash_and_verify():
    stored = auth.hash_password("a long passphrase")
    assert stored.startswith("$argon2id$") and "a long passphrase" not in stored
    assert auth.verify_password("a long passphrase", stored)
    assert not auth.verify_password("a long passphrasE", stored)
    assert not auth.verify_password("x", "garbage")
    assert not auth.verify_password("x", "$argon2id$broken")
    assert auth.hash_password("same") != auth.hash_password("same")  # salted
    assert not auth.needs_rehash(stored)
    with pytest.raises(ValueError):
        auth.hash_password("")


@pytest.mark.parametrize("n", [2**14, 2**17])
def test_legacy_scrypt_hashes_still_verify_at_any_cost(n):
    # 2^17 is OWASP's minimum for scrypt; hashlib's default memory cap used to make it fail silently
    stored = _legacy_scrypt("an old password", n)
    assert auth.verify_password("an old password", stored)
    assert not auth.verify_password("another password", stored)
    assert auth.needs_rehash(stored)


def test_absurd_scrypt_parameters_are_refused_not_run():
    stored = _legacy_scrypt("pw", 2**10).replace("scrypt$1024$", f"scrypt${2**30}$")
    assert not auth.verify_password("pw", stored)


def test_accounts_from_secrets_and_environment():
    digest = auth.hash_password("pw-1234567")
    found = auth.accounts_from({"accounts": {"alice": {"role": "officer", "password_hash": digest},
                                             "bob": {"role": "admin", "password_hash": digest},
                                             "carol": {"role": "officer", "password_hash": "plain text"},
                                             "dave": {"role": "officer", "password_hash": _legacy_scrypt("x", 2**14)}}},
                               environ={"CONSULT_FACILITATOR_PASSWORD_HASH": digest})
    assert set(found) == {"alice", "dave", "facilitator"}
    assert found["facilitator"].role == "facilitator"


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def make_throttle(request):
    """The in-process throttle, and the database one (on SQLite and PostgreSQL) that app servers share."""
    if request.param == "memory":
        return lambda clock: auth.Throttle(clock=clock)
    engine = request.getfixturevalue(f"{request.param}_engine")
    return lambda clock: auth.SharedThrottle(engine, clock=clock)


ACCOUNTS = {"alice": auth.Account("alice", "officer", auth.hash_password("right one"))}


def test_sign_in_and_throttle(make_throttle):
    now = [1000.0]
    throttle = make_throttle(lambda: now[0])
    assert auth.sign_in(ACCOUNTS, throttle, "alice", "right one", client="10.0.0.1").role == "officer"
    for _ in range(auth.FREE_TRIES + 1):
        with pytest.raises(PermissionError, match="do not match"):
            auth.sign_in(ACCOUNTS, throttle, "alice", "wrong", client="10.0.0.1")
    with pytest.raises(PermissionError, match=r"Try again in 1 second\.$"):
        auth.sign_in(ACCOUNTS, throttle, "alice", "right one", client="10.0.0.1")
    # the officer at another address is not held up by a guesser
    assert auth.sign_in(ACCOUNTS, throttle, "alice", "right one", client="10.0.0.2").name == "alice"
    now[0] += 1.0
    assert auth.sign_in(ACCOUNTS, throttle, "alice", "right one", client="10.0.0.1").name == "alice"
    assert throttle.reserve(auth.throttle_key("alice", "10.0.0.1")) == 0  # cleared by the right password


def test_wait_message_counts_whole_seconds():
    assert auth.wait_message(3.2).endswith("Try again in 4 seconds.")
    assert auth.wait_message(0.01).endswith("Try again in 1 second.")


def test_the_right_password_is_never_held_up_longer_than_the_stated_maximum(make_throttle):
    now = [0.0]
    throttle = make_throttle(lambda: now[0])
    checked = 0
    while checked < 40:  # a patient guesser at the officer's own address, trying whenever allowed
        try:
            auth.sign_in(ACCOUNTS, throttle, "alice", "wrong", client="office")
        except PermissionError as exc:
            if "Try again" in str(exc):
                now[0] += float(re.search(r"Try again in (\d+) second", str(exc)).group(1))
            else:
                checked += 1  # the guess was checked: a wait has just begun
    with pytest.raises(PermissionError, match="Try again in 30 seconds"):
        auth.sign_in(ACCOUNTS, throttle, "alice", "right one", client="office")
    now[0] += auth.MAX_WAIT_SECONDS
    assert auth.sign_in(ACCOUNTS, throttle, "alice", "right one", client="office").name == "alice"


def test_parallel_guesses_take_turns(engine):
    throttle = auth.SharedThrottle(engine)
    outcomes: list[str] = []
    lock = threading.Lock()

    def guess() -> None:
        try:
            auth.sign_in(ACCOUNTS, throttle, "alice", "wrong", client="botnet-node")
        except PermissionError as exc:
            with lock:
                outcomes.append("checked" if "do not match" in str(exc) else "refused")

    threads = [threading.Thread(target=guess) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # the free tries, then the one that starts the wait; everyone else is refused without a password check
    assert outcomes.count("checked") == auth.FREE_TRIES + 1
    assert outcomes.count("refused") == 24 - auth.FREE_TRIES - 1


def test_made_up_names_are_counted_like_real_ones_and_cannot_buy_guesses(engine):
    """Before, made-up names shared one count per address and real names had their own, so once the shared count
    was spent, a name that was refused at once was made up and one that was checked was real."""
    throttle = auth.SharedThrottle(engine)

    def outcome(name: str) -> str:
        try:
            auth.sign_in(ACCOUNTS, throttle, name, "wrong", client="10.9.9.9")
        except PermissionError as exc:
            return "checked" if "do not match" in str(exc) else "refused"
        return "signed in"

    real = [outcome("alice") for _ in range(auth.FREE_TRIES + 2)]
    made_up = [outcome("nobody-at-all") for _ in range(auth.FREE_TRIES + 2)]
    assert real == made_up == ["checked"] * (auth.FREE_TRIES + 1) + ["refused"]
    # inventing names: the address's own budget runs out, so names are no way round the per-name count
    outcomes = [outcome(f"nobody-{i}") for i in range(2 * auth.ADDRESS_FREE_TRIES)]
    # (as for one name: the free tries, then the one that starts the wait)
    assert outcomes.count("checked") == auth.ADDRESS_FREE_TRIES + 1 - 2 * (auth.FREE_TRIES + 1)
    with engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(s.sign_in_throttle)
                            .where(s.sign_in_throttle.c.key.contains("10.9.9.9"))).scalar()
    assert rows <= auth.ADDRESS_FREE_TRIES + 2  # one per name that was checked, and the address's own


def test_password_hashing_runs_two_at_a_time_and_turns_away_a_crowd(monkeypatch):
    """Forty sign-ins at once took a server from 418 MB to 1.58 GB (argon2id takes 64 MiB each) and stalled it."""
    gate = auth.HashingGate(workers=2, queue=4, wait_seconds=5)
    monkeypatch.setattr(auth, "HASHING", gate)
    inside, most, lock, release = [0], [0], threading.Lock(), threading.Event()
    real_verify = auth.verify_password

    def slow_verify(password, stored):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        release.wait(5)
        with lock:
            inside[0] -= 1
        return real_verify(password, stored)

    monkeypatch.setattr(auth, "verify_password", slow_verify)
    outcomes: list[str] = []

    def attempt(i: int) -> None:
        try:
            auth.sign_in(ACCOUNTS, auth.Throttle(), "alice", "right one", client=f"10.1.0.{i}")
            outcomes.append("in")
        except PermissionError as exc:
            outcomes.append("busy" if "Many people" in str(exc) else str(exc))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while outcomes.count("busy") < 34 and time.monotonic() < deadline:
        time.sleep(0.01)
    busy_before_release = outcomes.count("busy")
    release.set()
    for thread in threads:
        thread.join()
    assert most[0] == 2  # never more than two hashes at once
    assert busy_before_release == 34  # the rest were told at once, not after a wait
    assert outcomes.count("in") == 6


def test_an_account_without_a_role_is_refused_not_made_an_officer(caplog):
    digest = auth.hash_password("pw-1234567")
    found = auth.accounts_from({"accounts": {"erin": {"password_hash": digest}}}, environ={})
    assert found == {}
    assert "erin" in caplog.text and "role" in caplog.text


def test_servers_sharing_a_database_share_the_count(engine):
    now = [5000.0]
    first, second = (auth.SharedThrottle(engine, clock=lambda: now[0]) for _ in range(2))
    for server in (first, second, first, second):
        with pytest.raises(PermissionError, match="do not match"):
            auth.sign_in(ACCOUNTS, server, "alice", "wrong", client="x")
    with pytest.raises(PermissionError, match="Try again in 1 second"):
        auth.sign_in(ACCOUNTS, first, "alice", "right one", client="x")


def test_sign_ins_are_audited_and_old_hashes_upgraded(engine):
    legacy = {"dave": auth.Account("dave", "facilitator", _legacy_scrypt("dave's password", 2**14))}
    throttle = auth.SharedThrottle(engine)
    with pytest.raises(PermissionError):
        auth.sign_in(legacy, throttle, "dave", "wrong", client="1.2.3.4", engine=engine)
    with pytest.raises(PermissionError):
        auth.sign_in(legacy, throttle, "my secret password typed as a name", "x", engine=engine)
    auth.sign_in(legacy, throttle, "dave", "dave's password", client="1.2.3.4", engine=engine)
    log = storage.audit_frame(engine)
    assert list(log["action"])[::-1] == ["sign_in_failed", "sign_in_failed", "sign_in"]
    assert "my secret password" not in " ".join(log["actor"]) + " ".join(log["detail"])
    assert "upgraded to argon2id" in log.iloc[0]["detail"]
    with engine.connect() as conn:
        upgraded = conn.execute(select(s.staff_password_upgrades.c.password_hash)).scalar()
    assert upgraded.startswith("$argon2id$")
    # the upgraded hash is used from now on, and a new configured password still wins over it
    assert auth.sign_in(legacy, throttle, "dave", "dave's password", engine=engine).name == "dave"
    changed = {"dave": auth.Account("dave", "facilitator", auth.hash_password("a new password"))}
    with pytest.raises(PermissionError):
        auth.sign_in(changed, throttle, "dave", "dave's password", engine=engine)
    assert auth.sign_in(changed, throttle, "dave", "a new password", engine=engine).name == "dave"


def test_idle_sessions_expire():
    assert not auth.session_expired(None, 10_000)
    assert not auth.session_expired(1000, 1000 + 29 * 60)
    assert auth.session_expired(1000, 1000 + 31 * 60)
    assert auth.idle_minutes({}, environ={"CONSULT_STAFF_IDLE_MINUTES": "5"}) == 5
    assert auth.idle_minutes({"staff_idle_minutes": 12}, environ={}) == 12
    assert auth.idle_minutes({}, environ={"CONSULT_STAFF_IDLE_MINUTES": "soon"}) == auth.DEFAULT_IDLE_MINUTES


def test_idle_throttle_rows_are_cleared_out_at_most_once_a_minute(sqlite_engine):
    from consult.storage import sign_in

    def keys() -> set[str]:
        with sqlite_engine.connect() as conn:
            return set(conn.execute(select(s.sign_in_throttle.c.key)).scalars())

    start = 10_000_000_000
    no_wait = lambda failures: 0.0  # noqa: E731
    sign_in.reserve_try(sqlite_engine, "join|10.0.0.1", no_wait, clock=lambda: start)
    later = start + sign_in.IDLE_ROWS_KEPT_MS + 1
    sign_in.reserve_try(sqlite_engine, "join|10.0.0.2", no_wait, clock=lambda: later)
    assert keys() == {"join|10.0.0.2"}  # an hour without a try: forgotten
    # the clear-out scans the table, so a try within the minute after one does not repeat it
    with sqlite_engine.begin() as conn:
        conn.execute(s.sign_in_throttle.insert().values(key="join|10.0.0.9", failures=0, next_try_ms=0, last_ms=0))
    sign_in.reserve_try(sqlite_engine, "join|10.0.0.3", no_wait, clock=lambda: later + 1_000)
    assert "join|10.0.0.9" in keys()
    sign_in.reserve_try(sqlite_engine, "join|10.0.0.4", no_wait, clock=lambda: later + sign_in.FORGET_EVERY_MS)
    assert keys() == {"join|10.0.0.2", "join|10.0.0.3", "join|10.0.0.4"}
