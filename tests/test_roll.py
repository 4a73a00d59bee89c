"""The membership roll: loading, verification at join, one member one participant, throttling, access modes."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from consult import regions, storage
from consult.access import member_join
from consult.access import roll_file as membership
from consult.cli import main as cli
from consult.storage import roll, sign_in

ROLL = pd.DataFrame({
    "Membership No": ["A-1001", "a1002", "A1003", "A1004", "A1001", "", "A1006", "A1007"],
    "Post code": ["ne1 4st", "SW1A 1AA", "CF10 1EP", "BT1 5GS", "XX1 1XX", "M1 1AA", "", "EH1 1YZ"],
    "Region": ["North East", "london", "Cymru", "N. Ireland", "North East", "North West", "Wales", "Mars"],
    "Local party": ["Newcastle Central", "", "Cardiff", "Belfast", "", "", "", ""],
})


def load(engine, frame: pd.DataFrame = ROLL) -> membership.RollFile:
    parsed = membership.read_roll(frame, number_col="Membership No", verifier_col="Post code",
                                  region_col="Region", local_party_col="Local party")
    roll.replace_roll(engine, parsed.rows, verifier_label="Postcode", source_name="roll.csv", actor="officer")
    return parsed


def test_reading_a_messy_roll_reports_bad_rows_by_line():
    parsed = membership.read_roll(ROLL, number_col="Membership No", verifier_col="Post code", region_col="Region")
    assert len(parsed.rows) == 4
    reasons = dict(parsed.rejected)
    assert reasons[6] == "membership number repeated (first on line 2)"
    assert reasons[7] == "no membership number" and reasons[8] == "no readable postcode"
    assert reasons[9] == "region 'Mars' not recognised"
    assert parsed.by_region()[["E12000001", "E12000007", "W92000004", "N92000002"]].tolist() == [1, 1, 1, 1]
    stored = [str(value) for value in parsed.rows.to_numpy().ravel()]
    # only keyed hashes, never the raw values (compared value by value: a random key's hex digest can contain
    # "1001" or "ne1" by chance, which a substring check of the whole table mistook for a leak)
    assert not any("NE1" in value.upper() or "1001" in value for value in stored if not _is_hex_digest(value))
    assert all(_is_hex_digest(value) for value in stored if "1001" in value or "NE1" in value.upper())


def _is_hex_digest(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def test_normalising_what_members_type():
    assert membership.normalise_number(" a-1001 ") == "A1001"
    assert membership.normalise_verifier(" ne1  4st", "postcode") == "NE14ST"
    assert membership.normalise_verifier("01/02/1980", "date_of_birth") == "1980-02-01"
    assert membership.normalise_verifier("1980-02-01", "date_of_birth") == "1980-02-01"
    assert membership.normalise_verifier("not a date", "date_of_birth") == ""


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="no region column 'Where'"):
        membership.read_roll(ROLL, number_col="Membership No", verifier_col="Post code", region_col="Where")


def test_roll_load_saves_the_membership_baseline_and_weighting_uses_it(engine, consultation):
    assert storage.baseline_name_for(engine, consultation) == "population"
    load(engine)
    assert roll.roll_summary(engine).members == 4
    assert storage.baseline(engine, storage.MEMBERSHIP)["E12000007"] == 1.0
    assert storage.baseline_name_for(engine, consultation) == storage.MEMBERSHIP


def test_verify_with_right_and_wrong_details_and_on_two_devices(engine):
    load(engine)
    consultation = storage.create_consultation(engine, title="Members only", question="Q?", access="members")
    first = member_join.verify_and_join(engine, consultation, "A 1001", "NE1 4ST", consented=True, client="1.1.1.1")
    assert first.participant.region == "E12000001" and first.participant.verified and not first.already_joined
    assert first.participant.constituency == "Newcastle Central"
    again = member_join.verify_and_join(engine, consultation, "a1001", "ne14st", consented=True, client="2.2.2.2")
    assert again.already_joined and again.participant.id == first.participant.id  # one member, one voice
    with pytest.raises(storage.Refused) as wrong:
        member_join.verify_and_join(engine, consultation, "A1002", "NE1 4ST", consented=True, client="3.3.3.3")
    with pytest.raises(storage.Refused) as unknown:
        member_join.verify_and_join(engine, consultation, "Z9999", "NE1 4ST", consented=True, client="4.4.4.4")
    assert str(wrong.value) == str(unknown.value) == member_join.not_verified_message("Postcode")


def test_unknown_and_wrong_take_about_the_same_time(engine):
    load(engine)
    consultation = storage.create_consultation(engine, title="Members only", question="Q?", access="members")

    def attempt(number: str, i: int) -> float:
        start = time.perf_counter()
        with pytest.raises(storage.Refused):
            member_join.verify_and_join(engine, consultation, number, "WRONG", consented=True,
                                        client=f"10.0.{len(number)}.{i}")
        elapsed = time.perf_counter() - start
        sign_in.clear(engine, f"member-join|number:{membership.number_hash(number)[:40]}")
        return elapsed

    # one of each first, not counted (the first queries warm the connection and plans), then the two kinds
    # alternately, so a change in the machine's load falls on both alike
    attempt("A1002", 99), attempt("Z99999", 99)
    runs: dict[str, list[float]] = {"A1002": [], "Z99999": []}
    for i in range(15):
        for number in runs:
            runs[number].append(attempt(number, i))
    known, unknown = (sorted(values)[len(values) // 2] for values in runs.values())
    assert max(known, unknown) / min(known, unknown) < 3  # same work either way; a database read dominates


def test_throttling_per_number_and_per_address(engine):
    load(engine)
    consultation = storage.create_consultation(engine, title="Members only", question="Q?", access="members")
    for i in range(member_join.FREE_TRIES):
        with pytest.raises(storage.Refused, match="could not match"):
            member_join.verify_and_join(engine, consultation, "A1002", f"WRONG{i}", consented=True,
                                        client=f"5.5.5.{i}")
    with pytest.raises(storage.Refused, match="wait"):  # the number is resting now, from any address
        member_join.verify_and_join(engine, consultation, "A1002", "SW1A 1AA", consented=True, client="6.6.6.6")
    assert member_join.verify_wait_after(member_join.FREE_TRIES + 20) == member_join.MAX_WAIT_SECONDS
    # a real member elsewhere is not affected by someone else's failures
    assert member_join.verify_and_join(engine, consultation, "A1003", "CF10 1EP", consented=True,
                                       client="6.6.6.6").participant.region == "W92000004"


def test_members_only_refuses_unverified_joins_and_open_joins_are_throttled(engine):
    members_only = storage.create_consultation(engine, title="Members only", question="Q?", access="members")
    with pytest.raises(storage.Refused, match="membership number"):
        storage.add_participant(engine, members_only.id, region="E12000007")
    with pytest.raises(storage.Refused, match="No membership list"):
        member_join.verify_and_join(engine, members_only, "A1001", "NE1 4ST", consented=True, client=None)
    for _ in range(3):
        member_join.check_open_join(engine, "7.7.7.7", members_only.id)
    assert member_join.open_wait_after(member_join.OPEN_JOINS_FREE) == 0
    assert member_join.open_wait_after(member_join.OPEN_JOINS_FREE + 5) == 5
    assert member_join.open_wait_after(member_join.OPEN_JOINS_FREE + 5, active=3) == 0
    with pytest.raises(storage.StoreError):
        storage.create_consultation(engine, title="T", question="Q?", access="secret")


def test_reload_keeps_participants_linked(engine):
    load(engine)
    consultation = storage.create_consultation(engine, title="Mixed", question="Q?", access="mixed")
    joined = member_join.verify_and_join(engine, consultation, "A1003", "CF10 1EP", consented=True, client="x")
    renewed = ROLL.copy()
    renewed.loc[2, "Post code"] = "CF11 9AA"  # the member moved house; the roll is re-loaded
    load(engine, renewed)
    again = member_join.verify_and_join(engine, consultation, "A1003", "CF11 9AA", consented=True, client="y")
    assert again.already_joined and again.participant.id == joined.participant.id
    with pytest.raises(storage.Refused):
        member_join.verify_and_join(engine, consultation, "A1003", "CF10 1EP", consented=True, client="z")


def test_mixed_mode_figures_with_and_without_unverified(engine):
    load(engine)
    consultation = storage.create_consultation(engine, title="Mixed", question="Q?", access="mixed")
    proposal = storage.add_proposal(engine, consultation.id, body="Devolve rail to the regions", author_id=None)
    member = member_join.verify_and_join(engine, consultation, "A1001", "NE1 4ST", consented=True, client="a")
    storage.cast_vote(engine, member.participant.id, proposal.id, 1)
    for _ in range(3):
        visitor = storage.add_participant(engine, consultation.id, region="E12000007")
        storage.cast_vote(engine, visitor.id, proposal.id, -1)
    everyone = storage.votes_frame(engine, consultation.id)
    verified = storage.votes_frame(engine, consultation.id, verified_only=True)
    assert len(everyone) == 4 and verified["value"].tolist() == [1]
    assert storage.participants_frame(engine, consultation.id, verified_only=True)["verified"].all()
    assert storage.counts(engine, consultation.id).unverified == 3


def test_erasing_a_participant_leaves_the_roll_and_exports_never_link(engine):
    from consult.publishing import tables
    from consult.storage import erasure

    load(engine)
    consultation = storage.create_consultation(engine, title="Mixed", question="Q?", access="mixed")
    joined = member_join.verify_and_join(engine, consultation, "A1001", "NE1 4ST", consented=True, client="a")
    proposal = storage.add_proposal(engine, consultation.id, body="Devolve rail to the regions", author_id=None)
    storage.cast_vote(engine, joined.participant.id, proposal.id, 1)
    exported = tables.votes_table(engine, consultation.id).to_csv()
    digest = membership.number_hash("A1001")
    assert digest not in exported and roll.member_key(consultation.id, digest) not in exported
    erasure.erase_participant(engine, joined.participant.id, actor="officer", reason="request")
    assert roll.roll_summary(engine).members == 4  # the party's record stays
    again = member_join.verify_and_join(engine, consultation, "A1001", "NE1 4ST", consented=True, client="b")
    assert not again.already_joined  # nothing left linked them


def test_cli_members_load_and_create(engine, tmp_path, capsys):
    url = engine.url.render_as_string(hide_password=False)
    path = tmp_path / "roll.csv"
    ROLL.to_csv(path, index=False)
    assert cli.main(["members", "load", str(path), "--number-col", "Membership No", "--verifier-col", "Post code",
                     "--region-col", "Region", "--constituency-col", "Local party", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "8 rows: 4 members loaded, 4 rejected" in out and "line 9: region 'Mars' not recognised" in out
    assert f"{regions.region_name('N92000002'):<28}" in out
    assert cli.main(["create", "--title", "Members vote", "--question", "What now?", "--access", "members",
                     "--join-code", "MEMB26", "--db", url]) == 0
    assert "(members access, for the whole party): members join with the code MEMB26" in capsys.readouterr().out
    assert cli.main(["create", "--title", "North East panel", "--question", "What now?", "--access", "members",
                     "--region", "north east", "--local-party", "Newcastle Central", "--db", url]) == 0
    assert "for Newcastle Central in North East" in capsys.readouterr().out
    assert cli.main(["create", "--title", "Nowhere", "--question", "What now?", "--region", "Atlantis",
                     "--db", url]) == 2
    assert "Not a UK region: Atlantis" in capsys.readouterr().err


def test_membership_table_compares_population_members_and_participants(engine, consultation):
    from consult.demo import roll as demo_roll
    from consult.publishing import tables

    assert tables.membership_table(engine, consultation.id) is None  # no roll: nothing to compare
    demo_roll.install(engine, seed=1)
    for region, n in (("E12000007", 30), ("E12000001", 12), ("N92000002", 3)):
        for _ in range(n):
            storage.add_participant(engine, consultation.id, region=region)
    table = tables.membership_table(engine, consultation.id).set_index("region")
    assert table.loc["E12000007", "members_per_population"] > 1.6  # the demo membership leans to London
    assert table.loc["E12000007", "participants"] == 30
    assert pd.isna(table.loc["N92000002", "participants"])  # 3 people: not shown
    assert pd.isna(table.loc["N92000002", "participants_per_member"])
    assert table["member_share"].sum() == pytest.approx(1.0, abs=1e-3)


def test_a_right_answer_does_not_reset_the_count_of_an_address_guessing_other_numbers(engine):
    """The attack found by trying it: four guesses at other members' numbers, then one's own valid number and
    postcode, repeated. Before, the success cleared the address's count and the guesses never slowed down."""
    load(engine)
    consultation = storage.create_consultation(engine, title="Members only", question="Q?", access="members")
    refused_after = None
    for round_number in range(10):
        for guess in range(4):
            try:
                member_join.verify_and_join(engine, consultation, f"Z{round_number}{guess}", "SW1A 1AA",
                                            consented=True, client="203.0.113.9")
            except storage.Refused as refusal:
                if "wait" in str(refusal):
                    refused_after = round_number * 4 + guess
                    break
        if refused_after is not None:
            break
        try:  # one's own right details in between
            member_join.verify_and_join(engine, consultation, "A1003", "CF10 1EP", consented=True,
                                        client="203.0.113.9")
        except storage.Refused as refusal:
            assert "wait" in str(refusal)
    assert refused_after is not None and refused_after <= member_join.FREE_TRIES
    # another address is not slowed by this one's failures, and a right answer there clears nothing here
    member_join.verify_and_join(engine, consultation, "A1002", "SW1A 1AA", consented=True, client="198.51.100.1")
    with pytest.raises(storage.Refused, match="wait"):
        member_join.verify_and_join(engine, consultation, "Z77", "SW1A 1AA", consented=True, client="203.0.113.9")


def test_an_address_has_a_daily_cap_on_failures_and_ipv6_counts_by_its_64(engine, monkeypatch):
    load(engine)
    consultation = storage.create_consultation(engine, title="Members only", question="Q?", access="members")
    monkeypatch.setattr(member_join, "DAILY_FAILURES_PER_ADDRESS", 3)
    monkeypatch.setattr(member_join, "verify_wait_after", lambda failures: 0.0)  # only the daily cap is left
    for i in range(3):  # each guess from a different address in one /64, as a phone can choose any of them
        with pytest.raises(storage.Refused, match="could not match"):
            member_join.verify_and_join(engine, consultation, f"Z{i}", "SW1A 1AA", consented=True,
                                        client=f"2001:db8:1:2::{i + 1}")
    with pytest.raises(storage.Refused, match="today"):
        member_join.verify_and_join(engine, consultation, "A1002", "SW1A 1AA", consented=True,
                                    client="2001:db8:1:2:ffff::9")
    # the next /64 is another household
    member_join.verify_and_join(engine, consultation, "A1002", "SW1A 1AA", consented=True, client="2001:db8:1:3::1")


def test_simultaneous_tries_on_one_key_are_not_refused_for_each_others_milliseconds(engine):
    """The clock is read under the row lock: 40 joins at once from one hall's address all get in."""
    from concurrent.futures import ThreadPoolExecutor

    def join(_):
        try:
            member_join.check_open_join(engine, "192.0.2.50", 1)
            return True
        except storage.Refused:
            return False

    with ThreadPoolExecutor(8) as pool:
        admitted = list(pool.map(join, range(40)))
    assert sum(admitted) == 40


def test_a_much_smaller_file_does_not_replace_the_roll_unless_asked(engine, tmp_path, capsys):
    load(engine)
    before = roll.roll_summary(engine).members
    one_row = ROLL.head(1)
    parsed = membership.read_roll(one_row, number_col="Membership No", verifier_col="Post code", region_col="Region")
    with pytest.raises(storage.StoreError, match="more than half"):
        roll.replace_roll(engine, parsed.rows, verifier_label="Postcode", actor="officer")
    assert roll.roll_summary(engine).members == before  # nothing changed
    path = tmp_path / "one.csv"
    one_row.to_csv(path, index=False)
    url = engine.url.render_as_string(hide_password=False)
    args = ["members", "load", str(path), "--db", url, "--number-col", "Membership No", "--verifier-col", "Post code",
            "--region-col", "Region"]
    assert cli.main(args) == 2 and "more than half" in capsys.readouterr().err
    assert cli.main([*args, "--replace"]) == 0
    assert roll.roll_summary(engine).members == 1


def test_switching_to_members_only_midway_stops_counting_unverified_participants(engine):
    load(engine)
    consultation = storage.create_consultation(engine, title="Mixed", question="Q?", access="mixed")
    proposal = storage.add_proposal(engine, consultation.id, body="Regional assemblies elected by STV",
                                    author_id=None, is_seed=True)
    visitor = storage.add_participant(engine, consultation.id, region="E12000007")  # a supporter, not verified
    member = member_join.verify_and_join(engine, consultation, "A1003", "CF10 1EP", consented=True,
                                         client="192.0.2.7").participant
    storage.cast_vote(engine, visitor.id, proposal.id, -1)
    storage.cast_vote(engine, member.id, proposal.id, 1)
    assert len(storage.votes_frame(engine, consultation.id)) == 2
    storage.update_settings(engine, consultation.id, actor="facilitator", access="members")
    votes = storage.votes_frame(engine, consultation.id)
    assert votes["participant_id"].tolist() == [member.id]  # the supporter's vote no longer counts
    assert storage.participants_frame(engine, consultation.id)["id"].tolist() == [member.id]
    from consult.storage import tallies

    stats = tallies.top_consensus(engine, consultation.id, min_votes=1)
    assert stats["votes"].tolist() == [1]  # the running tallies the presenter reads were rebuilt
    with pytest.raises(storage.Refused, match="verified party members"):
        storage.cast_vote(engine, visitor.id, proposal.id, 1)
    with pytest.raises(storage.Refused, match="verified party members"):
        storage.add_proposal(engine, consultation.id, body="Another idea from a supporter", author_id=visitor.id)
    storage.update_settings(engine, consultation.id, actor="facilitator", access="mixed")  # and back again
    assert len(storage.votes_frame(engine, consultation.id)) == 2


def test_the_open_join_limit_grows_for_a_hall_that_takes_part_but_not_for_a_script(engine, monkeypatch):
    monkeypatch.setattr(member_join, "OPEN_JOINS_FREE", 10)
    consultation = storage.create_consultation(engine, title="Open", question="Q?")

    def joins_until_refused(client: str, *, votes: bool) -> int:
        for n in range(200):
            try:
                member_join.check_open_join(engine, client, consultation.id)
            except storage.Refused:
                return n
            if votes:
                member_join.note_taking_part(engine, consultation.id, client)
        return 200

    # a script: the free allowance (and the join that starts the wait), then it waits
    assert joins_until_refused("198.51.100.66", votes=False) == member_join.OPEN_JOINS_FREE + 1
    assert joins_until_refused("203.0.113.77", votes=True) == 200  # a hall whose members vote as they join
    table = member_join.open_joins_by_network(engine, consultation.id)
    assert table["joins"].tolist() == [200, 11] and table["took_part"].tolist() == [200, 0]
    assert table["network"].str.match(r"^N-[0-9a-f]{8}$").all()  # a pseudonym, never the address
    assert not table.astype(str).apply(lambda c: c.str.contains("198.51|203.0")).any().any()


def test_a_supporter_who_verifies_on_the_same_device_stays_one_participant(engine):
    load(engine)
    consultation = storage.create_consultation(engine, title="Mixed", question="Q?", access="mixed")
    proposal = storage.add_proposal(engine, consultation.id, body="A regional bank for Wales", author_id=None,
                                    is_seed=True)
    supporter = storage.add_participant(engine, consultation.id, region="E12000007")  # said London
    storage.cast_vote(engine, supporter.id, proposal.id, 1)
    joined = member_join.verify_and_join(engine, consultation, "A1003", "CF10 1EP", consented=True,
                                         client="192.0.2.8", current=supporter)
    assert joined.participant.id == supporter.id and joined.participant.verified
    assert joined.participant.region == "W92000004"  # the roll's region now
    votes = storage.votes_frame(engine, consultation.id)
    assert votes[["participant_id", "region"]].values.tolist() == [[supporter.id, "W92000004"]]
    # another browser: a supporter there who verifies as the same member is folded into the member, not doubled
    elsewhere = storage.add_participant(engine, consultation.id, region="E12000007")
    storage.cast_vote(engine, elsewhere.id, proposal.id, -1)
    again = member_join.verify_and_join(engine, consultation, "A1003", "CF10 1EP", consented=True,
                                        client="192.0.2.9", current=elsewhere)
    assert again.participant.id == supporter.id and again.already_joined
    assert storage.votes_frame(engine, consultation.id)["participant_id"].tolist() == [supporter.id]
    assert storage.participant_by_token(engine, elsewhere.token) is None
