"""Who chose to answer: the selection check recovers a known answer ratio, flags only the region that has one,
says so in words, and the report carries the words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from markupsafe import escape
from scipy import special

from consult import regions, storage
from consult.publishing import report, selection_note
from consult.support.selection import SelectionCheck

CODES = regions.region_codes()
LONDON = "E12000007"


def cards(seed: int, london_answers: tuple[float, float], n_members: int = 1500, n_proposals: int = 200,
          per_member: int = 20) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Members shown `per_member` cards each; London's answer a card they would agree with, or not, with the two
    probabilities; everyone else answers 80% of cards. Returns shown, votes and London's true share over its cards."""
    rng = np.random.default_rng(seed)
    truth = special.expit(rng.normal(0.2, 1.0, (n_proposals, 1)) + rng.normal(0.0, 0.5, (n_proposals, 12)))
    region = rng.integers(0, 12, n_members)
    member = np.repeat(np.arange(n_members), per_member)
    proposal = np.argsort(rng.random((n_members, n_proposals)), axis=1)[:, :per_member].ravel()
    home = region[member]
    would_agree = rng.random(member.size) < truth[proposal, home]
    is_london = np.array(CODES)[home] == LONDON
    rate = np.where(is_london, np.where(would_agree, *london_answers), 0.8)
    answered = rng.random(member.size) < rate
    shown = pd.DataFrame({"participant_id": member, "proposal_id": proposal, "region": np.array(CODES)[home]})
    votes = shown[answered].assign(value=np.where(would_agree, 1, -1)[answered])
    return shown, votes, float(truth[proposal[is_london], CODES.index(LONDON)].mean())


def test_a_known_answer_ratio_is_recovered_and_only_its_region_is_flagged():
    shown, votes, london_truth = cards(1, (0.9, 0.45))
    found = SelectionCheck().fit(shown, votes).regions_.set_index("region")
    london = found.loc[LONDON]
    assert london["answer_ratio"] == pytest.approx(2.0, abs=0.25)
    assert london["adjusted_share"] == pytest.approx(london_truth, abs=0.03)
    assert london["answered_share"] - london_truth > 0.1  # what the plain figure would say
    assert london["inflation_low"] <= london["inflation"] <= london["inflation_high"]
    assert found["may_be_inflated"].tolist() == [code == LONDON for code in found.index]


def test_no_region_is_flagged_where_answering_does_not_depend_on_opinion():
    for seed in range(3):
        shown, votes, _ = cards(seed, (0.8, 0.8))
        found = SelectionCheck(random_state=seed).fit(shown, votes).regions_
        assert not found["may_be_inflated"].any()
        assert found["answer_ratio"].between(0.8, 1.25).all()


def test_the_same_input_gives_the_same_answer():
    shown, votes, _ = cards(2, (0.9, 0.6), n_members=400)
    first = SelectionCheck(random_state=5).fit(shown, votes).regions_
    pd.testing.assert_frame_equal(first, SelectionCheck(random_state=5).fit(shown, votes).regions_)


def test_what_cannot_be_told_is_said_not_guessed():
    assert selection_note.selection_sentences(SelectionCheck().fit(
        pd.DataFrame(columns=["participant_id", "proposal_id", "region"]),
        pd.DataFrame(columns=["participant_id", "proposal_id", "value", "region"])).regions_) == [
        selection_note.NOT_RECORDED]
    # every card answered: no unanswered card can show a difference
    shown, votes, _ = cards(3, (1.0, 1.0), n_members=300)
    everything = shown.merge(votes, on=["participant_id", "proposal_id", "region"])
    check = SelectionCheck().fit(everything[["participant_id", "proposal_id", "region"]], everything)
    assert not check.regions_["identified"].any()
    assert selection_note.selection_sentences(check.regions_) == [selection_note.TOO_FEW]


def test_the_sentence_names_the_region_and_its_figures_and_small_regions_stay_out():
    shown, votes, _ = cards(1, (0.9, 0.45))
    found = SelectionCheck().fit(shown, votes).regions_
    london = found.set_index("region").loc[LONDON]
    sentences = selection_note.selection_sentences(found)
    assert len(sentences) == 1 and sentences[0].startswith("London's agree share may be raised by who chose to answer")
    assert f"would be about {london['adjusted_share']:.0%} rather than {london['answered_share']:.0%}" in sentences[0]
    assert selection_note.selection_sentences(found, min_cell=10_000) == [selection_note.TOO_FEW]
    calm = selection_note.selection_sentences(SelectionCheck().fit(*cards(4, (0.8, 0.8))[:2]).regions_)
    assert calm[0].startswith("No region's figure looks raised by who chose to answer")


def test_the_report_says_who_chose_to_answer(engine, consultation):
    members = [storage.add_participant(engine, consultation.id, region=LONDON if i % 2 else "W92000004")
               for i in range(24)]
    texts = [f"Devolve power number {i} to the regions and their assemblies" for i in range(12)]
    proposals = [storage.add_proposal(engine, consultation.id, body=text, author_id=members[i].id)
                 for i, text in enumerate(texts)]
    for member in members:
        for proposal in proposals:
            storage.record_shown(engine, member.id, proposal.id, consultation.id)
        storage.cast_vote(engine, member.id, proposals[0].id, 1)
    page = report.build(engine, consultation.id)
    assert "<h3>Who chose to answer</h3>" in page
    sentences = selection_note.selection_findings(engine, consultation.id)
    assert sentences and all(f"<p>{escape(sentence)}</p>" in page for sentence in sentences)
