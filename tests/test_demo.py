"""The demo consultation: deterministic, realistic, and with ground truth for the analytics tests."""

from __future__ import annotations

import pandas as pd
import pytest

from consult import regions, storage
from consult.demo import consultation as demo


@pytest.fixture(scope="module")
def data() -> demo.DemoData:
    return demo.generate()


def test_same_seed_same_consultation_other_seed_differs(data):
    again = demo.generate()
    for name in ("participants", "proposals", "votes", "events"):
        pd.testing.assert_frame_equal(getattr(data, name), getattr(again, name))
    other = demo.generate(seed=7)
    assert not other.proposals["body"].equals(data.proposals["body"])


def test_size_and_variety(data):
    assert len(data.participants) >= 600
    assert len(data.proposals) >= 1500
    assert 28_000 <= len(data.votes) <= 34_000
    themes = data.proposals["true_theme"].value_counts()
    assert len(themes) >= 10 and themes.min() >= 60
    assert data.proposals["body"].is_unique
    # real variety: no theme is one template; many different openings per theme
    openings = data.proposals.groupby("true_theme")["body"].agg(lambda b: b.str.split().str[:3].str.join(" ").nunique())
    assert (openings >= 30).all()
    assert set(data.proposals["tier"]) == {"uk", "nation", "region", "local"}
    assert not data.votes.duplicated(["participant_external_id", "proposal_external_id"]).any()
    assert data.votes.groupby("proposal_external_id").size().min() >= 3
    assert len(data.events) > len(data.votes)  # some votes were changed


def test_london_is_over_represented_and_the_north_east_under(data):
    share = data.participants["region"].value_counts(normalize=True)
    baseline = regions.population_baseline() / regions.population_baseline().sum()
    ratio = share.reindex(baseline.index) / baseline
    assert ratio["E12000007"] > 1.8
    assert ratio["E12000001"] < 0.7 and ratio["N92000002"] < 0.7
    assert share.index.isin(regions.answer_codes()).all()


def test_regional_tilts_in_themes(data):
    by_region = pd.crosstab(data.proposals["region"], data.proposals["true_theme"], normalize="index")
    overall = data.proposals["true_theme"].value_counts(normalize=True)
    assert by_region.loc["W92000004", "culture"] > 1.8 * overall["culture"]
    # London's housing tilt (2.6) gives about 1.6x the overall share in expectation (London is a third of all
    # proposals, so it pulls the overall share up too); this draw has 1.57x, and housing is London's most
    # over-represented theme
    assert by_region.loc["E12000007", "housing"] > 1.5 * overall["housing"]
    assert (by_region.loc["E12000007"] / overall).idxmax() == "housing"
    # the North East's tilt (transport, 3x) is its largest theme, which the themes test looks for
    assert by_region.loc["E12000001"].idxmax() == "transport"


def test_three_latent_opinion_groups_with_london_leaning_to_one(data):
    groups = data.participants["true_group"]
    assert sorted(groups.unique()) == [0, 1, 2]
    london = data.participants["region"] == "E12000007"
    assert (groups[london] == 0).mean() > (groups[~london] == 0).mean() + 0.2


def test_install_writes_everything(sqlite_engine, data):
    consultation_id = demo.install(sqlite_engine, data=data)
    counts = storage.counts(sqlite_engine, consultation_id)
    assert counts.participants == len(data.participants)
    assert counts.proposals == counts.published == len(data.proposals)
    assert counts.votes == len(data.votes)
    assert len(storage.vote_events_frame(sqlite_engine, consultation_id)) == len(data.events)
    assert storage.get_consultation(sqlite_engine, consultation_id).join_code == demo.JOIN_CODE
    # the demo ships answers, so the Responses page, What happened, the presenter and the report have content
    from consult.storage import responses

    shown = responses.published_responses(sqlite_engine, consultation_id)
    assert len(shown) >= 3 and shown["response"].str.len().min() > 40
    assert set(shown["status"]) >= {"accepted", "referred"}
    assert responses.thresholds(sqlite_engine, consultation_id).everywhere_probability == 0.7
    assert len(responses.published_milestones(sqlite_engine, consultation_id)) == 1
    # and a synthetic membership roll, leaning to London, for the membership comparisons
    from consult.storage import roll

    assert roll.roll_summary(sqlite_engine).members == 20_000
    assert storage.baseline_name_for(sqlite_engine, storage.get_consultation(sqlite_engine, consultation_id)) == \
        storage.MEMBERSHIP


def test_the_demo_meeting_has_decided_ballots_and_one_the_demo_member_can_vote_in(sqlite_engine):
    from consult.access import roll_file as membership
    from consult.ballots import results
    from consult.demo import ballots as demo_ballots
    from consult.demo import roll as demo_roll
    from consult.storage import ballots, roll

    demo_roll.install(sqlite_engine)
    meeting = demo_ballots.install(sqlite_engine)
    listed = ballots.list_ballots(sqlite_engine, meeting).set_index("kind")
    assert listed.loc["motion", "status"] == listed.loc["preferential", "status"] == "closed"
    assert listed.loc["budget", "status"] == "open" and listed.loc["budget", "meeting"] == 1
    motion = ballots.get_ballot(sqlite_engine, int(listed.loc["motion", "id"]))
    outcome = results.result(motion, ballots.papers(sqlite_engine, motion.id))
    assert outcome.motion.quorum_met and not outcome.by_region.empty
    number = membership.number_hash("DM000001")
    found = roll.find_member(sqlite_engine, number, membership.verifier_hash(number, "ZZ99 9XH", "postcode"))
    assert found is not None
    member, _ = roll.join_verified(sqlite_engine, meeting, number, found[0], found[1], consented=True)
    assert ballots.cast(sqlite_engine, int(listed.loc["budget", "id"]), member, [1, 7])
