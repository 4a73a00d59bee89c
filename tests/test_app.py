"""The Streamlit app through AppTest: member pages, their messages, and the staff gate."""

from __future__ import annotations

import re

import pytest
from helpers import app_test, joined, sign_in_as, vote_button
from streamlit.testing.v1 import AppTest

from consult import regions, storage
from consult.access import staff_sign_in as auth

PASSWORD = "correct horse battery"


@pytest.fixture
def app_db(sqlite_engine, sqlite_url):
    consultation = storage.create_consultation(
        sqlite_engine, title="Devolution test", question="What powers should regions have?", join_code="TEST42",
        min_chars=15, max_chars=300, max_proposals_per_participant=3)
    bodies = ["Give the North East control over its bus services", "Elect regional assemblies by STV",
              "Let Wales keep a share of income tax", "Fund GP surgeries in rural Cumbria",
              "Publish every assembly decision online", "Protect the Welsh language in schools",
              "**bold** <img src=x onerror=alert(1)> [link](http://example.com)"]
    for body in bodies:
        storage.add_proposal(sqlite_engine, consultation.id, body=body, author_id=None, is_seed=True, region="E12000001")
    return sqlite_engine, sqlite_url, consultation


_app, _joined = app_test, joined


def test_join_prefills_the_code_from_the_link_and_explains_every_problem(app_db):
    _, url, _ = app_db
    at = _app(url)
    at.query_params["join"] = "TEST42"
    at.run()
    assert not at.exception
    assert at.text_input[0].value == "TEST42"
    at.text_input[0].set_value("")
    at.button[0].click().run()
    errors = [e.value for e in at.error]
    assert any("join code" in e for e in errors) and any("where you live" in e for e in errors)
    assert any("privacy notice" in e for e in errors)
    at.text_input[0].set_value("NOPE99")
    at.selectbox[0].set_value("W92000004")
    at.checkbox[0].check()
    at.button[0].click().run()
    assert any("No consultation has the join code NOPE99" in e.value for e in at.error)


def test_joining_makes_a_participant_and_keeps_them_in_the_url(app_db):
    engine, url, consultation = app_db
    at = _app(url)
    at.query_params["join"] = "test42"
    at.run()
    at.selectbox[0].set_value("S92000003")
    at.text_input[1].set_value("Glasgow Kelvin")
    at.checkbox[0].check()
    at.button[0].click().run()
    assert not at.exception
    people = storage.participants_frame(engine, consultation.id)
    assert people.iloc[-1]["region"] == "S92000003" and people.iloc[-1]["constituency"] == "Glasgow Kelvin"
    assert at.query_params["p"]
    assert at.title[0].value == "Vote on proposals"
    # a fresh session with the same link is the same participant
    again = _app(url)
    again.query_params["p"] = at.query_params["p"]
    again.run()
    assert "You are taking part" in again.success[0].value
    assert len(storage.participants_frame(engine, consultation.id)) == len(people)


def test_member_erases_their_own_participation(app_db):
    engine, url, consultation = app_db
    at, member = _joined(url, engine, consultation)
    mine = storage.add_proposal(engine, consultation.id, body="Regional banks for every nation", author_id=member.id)
    storage.cast_vote(engine, member.id, mine.id - 1, -1)
    at.run()
    erase = [b.label for b in at.button].index("Erase my participation")
    at.button[erase].click().run()
    assert any("Tick the box" in e.value for e in at.error)
    assert storage.participant_by_token(engine, member.token) is not None
    at.radio[0].set_value("remove")
    at.checkbox[[c.label for c in at.checkbox].index("I understand this cannot be undone")].check()
    at.button[erase].click().run()
    assert not at.exception
    assert any("has been erased" in m.value for m in at.success)
    assert storage.participant_by_token(engine, member.token) is None
    assert storage.get_proposal(engine, mine.id).status == "hidden"
    assert "p" not in at.query_params


def test_member_pages_ask_strangers_to_join(app_db):
    _, url, _ = app_db
    for page in ("vote", "propose", "my_region"):
        at = _app(url).run()
        at.switch_page(f"consult/app/pages/{page}.py").run()
        assert not at.exception
        assert "Join the consultation first" in at.info[0].value


def test_voting_records_votes_and_moves_on(app_db):
    engine, url, consultation = app_db
    at, member = _joined(url, engine, consultation)
    at.run()
    at.switch_page("consult/app/pages/vote.py").run()
    assert at.get("progress")[0].proto.text.startswith("0 votes ·")
    shown = at.text[0].value
    vote_button(at, "agree").click().run()
    assert not at.exception
    votes = storage.participant_votes(engine, member.id)
    assert len(votes) == 1 and list(votes.values()) == [1]
    assert storage.get_proposal(engine, next(iter(votes))).body == shown
    assert at.get("progress")[0].proto.text.startswith("1 vote ·")
    assert at.text[0].value != shown
    for _ in range(6):
        vote_button(at, "pass").click().run()
    assert "voted on every proposal" in at.success[0].value


def test_voting_closed_is_explained(app_db):
    engine, url, consultation = app_db
    at, _ = _joined(url, engine, consultation)
    storage.set_phase(engine, consultation.id, "results", actor="t")
    at.run()
    at.switch_page("consult/app/pages/vote.py").run()
    assert "Voting is closed" in at.info[0].value


def test_propose_validates_offers_similar_and_saves(app_db):
    engine, url, consultation = app_db
    at, member = _joined(url, engine, consultation)
    at.run()
    at.switch_page("consult/app/pages/propose.py").run()
    at.text_area(key="draft_text").input("Too short").run()
    at.button[0].click().run()
    assert "at least 15" in at.error[0].value
    assert at.text_area(key="draft_text").value == "Too short"  # the member's text is kept
    at.text_area(key="draft_text").input("Give the North East more control over bus services").run()
    at.button[0].click().run()
    assert "Similar proposals already exist" in at.warning[0].value
    assert "Give the North East control over its bus services" in [t.value for t in at.text]
    at.button(key=[b.key for b in at.button if b.key and b.key.startswith("support_")][0]).click().run()
    assert "agreed with the existing proposal" in at.success[0].value
    assert list(storage.participant_votes(engine, member.id).values()) == [1]
    at.text_area(key="draft_text").input("Give the North East more control over bus services").run()
    at.button[0].click().run()
    at.button[-1].click().run()  # "No, mine is different"
    assert "is published" in at.success[0].value
    assert storage.proposals_frame(engine, consultation.id)["body"].str.contains("more control").any()


def test_sending_the_same_proposal_twice_thanks_the_member_and_keeps_one(app_db):
    engine, url, consultation = app_db
    at, member = _joined(url, engine, consultation)
    at.run()
    at.switch_page("consult/app/pages/propose.py").run()
    for _ in range(2):  # a second press that arrives after the first was saved, as on a slow connection
        at.text_area(key="draft_text").input("Let every island council run its own ferry timetable").run()
        at.button[0].click().run()
        if at.warning:  # similar proposals by others are offered: the member says theirs is different
            shown = [t.value for t in at.text]
            assert "Let every island council run its own ferry timetable" not in shown  # never their own
            at.button[-1].click().run()
        assert not at.error
        assert "is published" in at.success[0].value
    assert storage.proposals_written(engine, member.id) == 1


def test_a_proposal_sent_after_proposals_close_is_refused_and_explained(app_db):
    engine, url, consultation = app_db
    at, member = _joined(url, engine, consultation)
    at.run()
    at.switch_page("consult/app/pages/propose.py").run()
    at.text_area(key="draft_text").input("Let every island council run its own ferry timetable").run()
    storage.set_phase(engine, consultation.id, "voting", actor="facilitator")
    at.button[0].click().run()
    assert not at.exception
    assert "not taking new proposals" in at.info[0].value
    assert storage.proposals_written(engine, member.id) == 0


def test_pre_moderation_and_limits_are_explained(app_db):
    engine, url, consultation = app_db
    storage.update_settings(engine, consultation.id, actor="t", moderation="pre", max_proposals_per_participant=1)
    at, _ = _joined(url, engine, consultation)
    at.run()
    at.switch_page("consult/app/pages/propose.py").run()
    at.text_area(key="draft_text").input("Completely new idea about ferries to the islands").run()
    at.button[0].click().run()
    assert "once an organiser has checked it" in at.success[0].value
    at.run()
    assert "made all 1 of your proposals" in at.info[0].value


def test_my_region_needs_five_votes_then_compares(app_db):
    engine, url, consultation = app_db
    at, member = _joined(url, engine, consultation)
    at.run()
    at.switch_page("consult/app/pages/my_region.py").run()
    assert "at least 5" in at.info[0].value
    for proposal_id in storage.proposals_frame(engine, consultation.id)["id"][:5]:
        storage.cast_vote(engine, member.id, int(proposal_id), 1)
    at.run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    comparisons = [c for c in captions if c.startswith("You agreed")]
    assert len(comparisons) == 5
    # one voter in Wales: an estimate with its range, said to lean on the national figure (no count is shown)
    assert all("Wales: about" in c and "leans on the national figure" in c for c in comparisons)
    # one whole-UK figure per proposal on the page: the comparison and the widest-support list say the same
    import re

    whole_uk: dict[str, set[str]] = {}
    texts = [t.value for t in at.text]
    card_captions = [c for c in captions if "whole UK: about" in c or c.startswith("Whole UK: about")]
    assert len(card_captions) == len(texts) >= 5
    for text, said in zip(texts, card_captions, strict=True):
        whole_uk.setdefault(text, set()).add(re.search(r"[Ww]hole UK: about (\d+%)", said).group(1))
    assert all(len(figures) == 1 for figures in whole_uk.values()), whole_uk
    assert any(len(figures) == 1 and sum(t == text for t in texts) == 2 for text, figures in whole_uk.items())
    assert not any("of voters agree" in c for c in captions)


def test_hostile_text_is_shown_literally(app_db):
    engine, url, consultation = app_db
    at, _ = _joined(url, engine, consultation)
    at.run()
    at.switch_page("consult/app/pages/vote.py").run()
    seen = set()
    for _ in range(7):
        seen.add(at.text[0].value)
        vote_button(at, "pass").click().run()
    assert "**bold** <img src=x onerror=alert(1)> [link](http://example.com)" in seen
    assert not any("<img" in m.value for m in at.markdown)


def test_staff_pages_need_a_sign_in(app_db):
    _, url, _ = app_db
    at = _app(url).run()
    with pytest.raises(ValueError, match="registered"):
        at.switch_page("consult/app/pages/overview.py").run()
    at.switch_page("consult/app/pages/signin.py").run()
    assert "No staff accounts" in at.warning[0].value


def test_staff_addresses_answer_on_a_first_run_and_members_moving_on_do_not_carry_them(app_db):
    """The stand-ins at staff pages' addresses (a sign-in page that then shows the page) are registered on a
    session's first run, where an address is opened, and for anyone not taking part; a member moving between
    member pages goes without them (they were a twentieth of what each member page run cost the server)."""
    from consult.app import navigation

    engine, url, consultation = app_db
    visitor = _app(url).run()
    assert navigation.HELD_BACK_SECTION in visitor.session_state["consult_pages"]
    at, _member = _joined(url, engine, consultation)
    at.run()
    assert navigation.HELD_BACK_SECTION in at.session_state["consult_pages"]  # the first run
    at.switch_page("consult/app/pages/vote.py").run()
    assert navigation.HELD_BACK_SECTION not in at.session_state["consult_pages"]
    vote_button(at, "agree").click().run()
    assert not at.exception and navigation.HELD_BACK_SECTION not in at.session_state["consult_pages"]


def test_sign_in_with_wrong_then_right_password(app_db):
    _, url, _ = app_db
    accounts = {"officer1": {"role": "officer", "password_hash": auth.hash_password(PASSWORD)}}
    at = _app(url, accounts=accounts).run()
    at.switch_page("consult/app/pages/signin.py").run()
    at.text_input[0].set_value("officer1")
    at.text_input[1].set_value("wrong password")
    at.button[0].click().run()
    assert "do not match" in at.error[0].value
    at.text_input[1].set_value(PASSWORD)
    at.button[0].click().run()
    assert at.session_state["role"] == "officer"
    at.switch_page("consult/app/pages/overview.py").run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert len(at.dataframe[0].value) == 12


def _signed_in(url: str, role: str = "facilitator") -> AppTest:
    accounts = {"fran": {"role": role, "password_hash": auth.hash_password(PASSWORD)}}
    return sign_in_as(_app(url, accounts=accounts), url, "fran", role)


def test_facilitator_creates_a_consultation_and_changes_phase(app_db):
    engine, url, consultation = app_db
    at = _signed_in(url).run()
    at.switch_page("consult/app/pages/facilitator.py").run()
    assert not at.exception
    at.text_input[0].set_value("")
    at.button[0].click().run()  # "Create" with no title
    assert any("title is required" in e.value for e in at.error)
    at.text_input[0].set_value("Evening call: transport")
    at.text_area[0].set_value("What should the region do about buses?")
    at.button[0].click().run()
    assert any("Members join with the code" in s.value for s in at.success)
    created = storage.list_consultations(engine).iloc[0]
    assert created["title"] == "Evening call: transport"
    at.selectbox[0].set_value("TEST42").run()
    at.get("button_group")[0].set_value("voting").run()
    assert storage.get_consultation(engine, consultation.id).phase == "voting"
    assert any("Voting only" in s.value for s in at.success)


def test_facilitator_moderates_the_live_queue(app_db):
    engine, url, consultation = app_db
    storage.update_settings(engine, consultation.id, actor="t", moderation="pre")
    member = storage.add_participant(engine, consultation.id, region="E12000001")
    pending = storage.add_proposal(engine, consultation.id, body="Waiting for a facilitator to approve", author_id=member.id)
    at = _signed_in(url).run()
    at.switch_page("consult/app/pages/facilitator.py").run()
    at.selectbox[0].set_value("TEST42").run()
    assert "Waiting for a facilitator to approve" in [t.value for t in at.text]
    at.button(key=f"approve_{pending.id}").click().run()
    assert storage.get_proposal(engine, pending.id).status == "published"
    assert storage.audit_frame(engine, consultation.id).iloc[0]["reason"] == "approved live"


def test_facilitator_page_is_not_for_members(app_db):
    _, url, _ = app_db
    at = _app(url).run()
    with pytest.raises(ValueError, match="registered"):
        at.switch_page("consult/app/pages/facilitator.py").run()


def _presenter(url: str) -> AppTest:
    """The presenter view in kiosk mode for TEST42, opened with the code typed in lower case."""
    at = _app(url)
    at.query_params["code"] = "test42"
    at.query_params["mode"] = "kiosk"
    at.run()
    at.switch_page("consult/app/pages/present.py")
    at.query_params["code"] = "TEST42"
    return at.run()


def test_presenter_view_shows_code_counts_and_hides_results_until_revealed(app_db):
    engine, url, consultation = app_db
    at = _presenter(url)
    assert not at.exception
    assert any('class="code">TEST42<' in h.proto.body for h in at.get("html"))
    assert [m.value for m in at.metric][:2] == ["0", "7"]
    storage.update_settings(engine, consultation.id, actor="t", results_visible=False)
    at.run()
    assert any("hidden until the facilitator reveals" in c.value for c in at.caption)


def test_presenter_says_how_many_voters_a_share_is_of(app_db):
    """"100% agree" on a projector means little without the count: 80 voters, all agreeing, are said as such (ten
    in each of eight regions: with fewer the screen shows the room's own results, not what every region supports)."""
    engine, url, consultation = app_db
    first = int(storage.proposals_frame(engine, consultation.id)["id"].iloc[0])
    for number in range(80):
        voter = storage.add_participant(engine, consultation.id, region=regions.region_codes()[number % 8])
        storage.cast_vote(engine, voter.id, first, 1)
    at = _presenter(url)
    assert not at.exception
    assert any(re.fullmatch(r"100% of 80 voters agree · majority everywhere \d+% likely", c.value)
               for c in at.caption), [c.value for c in at.caption]


def test_presenter_calls_a_chance_resting_on_few_regions_rough(app_db):
    """Ten people in each of eight regions, but ten votes on the proposal in only five of them: "a majority in all 12
    regions" leans on the model's caution about the rest, so the screen calls it rough (briefly: every line of the
    shared screen must fit a 720p projector, `test_e2e_live.py`)."""
    engine, url, consultation = app_db
    first = int(storage.proposals_frame(engine, consultation.id)["id"].iloc[0])
    for region_number, voters in enumerate([10] * 5 + [2] * 3):
        for number in range(10):
            voter = storage.add_participant(engine, consultation.id, region=regions.region_codes()[region_number])
            if number < voters:
                storage.cast_vote(engine, voter.id, first, 1)
    at = _presenter(url)
    assert not at.exception
    assert any(re.fullmatch(r"100% of 56 voters agree · majority everywhere \d+% likely \(rough\)", c.value)
               for c in at.caption), [c.value for c in at.caption]


def test_presenter_view_with_a_wrong_code(app_db):
    _, url, _ = app_db
    at = _app(url).run()
    at.switch_page("consult/app/pages/present.py")
    at.query_params["code"] = "NOPE99"
    at.run()
    assert "No consultation has the join code" in at.error[0].value


def test_an_empty_consultation_invites_the_first_proposal_instead_of_thanking_for_votes(sqlite_engine, sqlite_url):
    consultation = storage.create_consultation(sqlite_engine, title="Empty", question="Q?", join_code="EMPTY2")
    at, _ = _joined(sqlite_url, sqlite_engine, consultation)
    at.run()
    at.switch_page("consult/app/pages/vote.py").run()
    assert not at.exception
    assert "No proposals yet: be the first" in at.info[0].value
    assert not any("voted on every proposal" in s.value for s in at.success)


def test_agree_disagree_and_pass_look_the_same(app_db):
    engine, url, consultation = app_db
    at, _ = _joined(url, engine, consultation)
    at.run()
    at.switch_page("consult/app/pages/vote.py").run()
    kinds = {b.label: b.proto.type for b in at.button if b.label in ("Agree", "Disagree", "Pass")}
    assert len(kinds) == 3 and len(set(kinds.values())) == 1


def test_what_a_proposal_is_about_starts_at_the_members_own_region(app_db):
    engine, url, consultation = app_db
    at, member = _joined(url, engine, consultation)  # a member in Wales
    at.run()
    at.switch_page("consult/app/pages/propose.py").run()
    assert at.selectbox(key="draft_tier").value == "region"
    at.text_area(key="draft_text").input("Let Wales run its own rail franchise from Cardiff").run()
    at.button[0].click().run()
    if at.warning:
        at.button[-1].click().run()
    saved = storage.proposals_frame(engine, consultation.id).set_index("author_id").loc[member.id]
    assert saved["tier"] == "region"
