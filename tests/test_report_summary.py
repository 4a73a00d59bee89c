"""The report's summary page: findings in plain English, confidence in words, a reason when there is nothing."""

import numpy as np
import pandas as pd
import pytest

from consult import regions
from consult.publishing import report_summary as summary
from consult.support import direct


def representation(suppressed_last: bool = True) -> pd.DataFrame:
    return pd.DataFrame({"name": ["London", "North East", "Wales"], "ratio": [1.8, 0.4, 1.0],
                         "suppressed": [False, False, suppressed_last]})


def published(votes: int = 40, regions_with_own_votes: int = 12) -> pd.DataFrame:
    return pd.DataFrame({
        "text": ["Give <b>Wales</b> its own rail budget", "Elect regional mayors", "Abolish county councils"],
        "votes": [votes, votes, votes], "consensus_rank": [2, 1, 3], "prob_all": [0.7, 0.9, 0.1],
        "regions_with_own_votes": [regions_with_own_votes] * 3,
        "support": [0.66, 0.8, 0.3], "weakest_region": ["Wales", np.nan, ""],
        "strongest_region": ["London", "Scotland", None], "divisiveness": [0.05, 0.02, 0.3]})


@pytest.mark.parametrize(("p", "words"), [(0.97, "almost certain"), (0.85, "very likely"), (0.6, "likely"),
                                          (0.5, "about as likely as not"), (0.3, "unlikely"),
                                          (0.05, "very unlikely")])
def test_likelihood_in_words(p, words):
    assert summary.likelihood(p) == words


def test_participation_names_the_most_over_and_under_represented_regions_and_what_is_hidden():
    text = summary.participation_finding(representation(), 1234, "population")
    assert "1,234 people took part" in text
    assert "<strong>London</strong> is the most over-represented region (1.8 times its share)" in text
    assert "<strong>North East</strong> the most under-represented (0.4 times its share)" in text
    assert "1 region has too few participants to show" in text
    assert "Nobody" in summary.participation_finding(representation(), 0, "population")


def test_supported_everywhere_in_rank_order_with_text_escaped_and_no_nan_region():
    text = summary.everywhere_finding(published())
    assert text.startswith("Supported in every region")
    assert text.index("Elect regional mayors") < text.index("rail budget")
    assert "very likely (90%) to have a majority in all 12 regions; 80% of 40 voters agree." in text
    assert "&lt;b&gt;Wales&lt;/b&gt;" in text and "<b>" not in text
    assert "least in Wales" in text and "nan" not in text


def test_a_chance_resting_on_few_regions_with_votes_is_called_rough():
    mixed = summary.everywhere_finding(published(votes=30, regions_with_own_votes=3).assign(
        regions_with_own_votes=[3, 3, 12]))
    assert ("very likely (90%; rough: only 3 of 12 regions have 10+ votes) to have a majority in all 12 "
            "regions; 80% of 30 voters agree.") in mixed
    assert mixed.count("rough") == 2 and mixed.endswith("</ul>")
    # a caveat all three figures share is said once, under the list
    shared = summary.everywhere_finding(published(votes=30, regions_with_own_votes=3))
    assert "very likely (90%) to have a majority in all 12 regions; 80% of 30 voters agree." in shared
    assert shared.endswith("</ul>All three figures are rough: only 3 of 12 regions have 10+ votes.")
    assert shared.count("rough") == 1
    assert "rough" not in summary.everywhere_finding(published(regions_with_own_votes=6))


def test_when_nothing_is_likely_everywhere_the_summary_says_so():
    weak = published().assign(prob_all=[0.3, 0.2, 0.1])
    assert summary.everywhere_finding(weak).startswith("No proposal is yet likely to have a majority")
    assert "No proposal has votes yet" in summary.everywhere_finding(published(votes=0))


def test_division_shows_the_widest_spread_first_and_says_when_there_is_no_region():
    text = summary.division_finding(published().assign(divisiveness=[0.12, 0.02, 0.3]))
    assert text.index("Abolish county councils") < text.index("rail budget")
    assert "30 points apart" in text and "no region yet" in text
    # under 10 points apart is not division: only the widest stays
    assert "rail budget" not in summary.division_finding(published())
    assert "Not enough votes" in summary.division_finding(published(votes=0))


def test_small_spreads_are_agreement_only_where_a_difference_could_have_shown():
    close = published().assign(divisiveness=[0.03, 0.02, 0.01])
    needed = direct.votes_to_detect(0.10)
    assert 190 <= needed <= 200  # 10 points near an even split, 80% power, 5% two-sided
    sparse = summary.division_finding(close, votes_per_region=6)
    assert sparse.startswith("We cannot detect regional differences at this density: a typical proposal has 6 "
                             "votes from each region")
    assert f"takes about {needed:,}." in sparse and "largely agree" not in sparse
    assert "not that the regions agree" in sparse
    assert summary.division_finding(close).startswith("We cannot detect")  # density unknown: no claim either
    dense = summary.division_finding(close, votes_per_region=400)
    assert dense.startswith("The regions largely agree: no proposal's regional estimates are more than 3 points")
    assert "Give &lt;b&gt;Wales&lt;/b&gt; its own rail budget" in dense


def test_votes_per_region_is_the_median_cell_with_empty_regions_as_zero():
    votes = pd.DataFrame({"participant_id": range(8), "proposal_id": [1] * 6 + [2] * 2, "value": 1,
                          "region": ["E12000007"] * 5 + ["W92000004"] + ["E12000007"] * 2})
    assert direct.votes_per_region_cell(votes) == 0.0  # most regions have no votes on either proposal
    everywhere = pd.DataFrame({"participant_id": range(24), "proposal_id": 1, "value": 1,
                               "region": regions.region_codes() * 2})
    assert direct.votes_per_region_cell(everywhere) == 2.0


def test_themes_with_their_clear_regional_lean_only():
    themes = pd.DataFrame({"id": [1, 2, 3], "label": ["Buses", "Housing", "Other"], "size": [50, 80, 10],
                           "is_other": [False, False, True]})
    distinctive = pd.DataFrame({"theme_id": [1, 2], "region_name": ["North East", "London"],
                                "ratio": [2.3, 1.4], "lower": [1.4, 1.1], "upper": [3.6, 1.9],
                                "clear_lower": [1.2, 0.98]})
    text = summary.themes_finding(themes, distinctive)
    assert text.index("Housing") < text.index("Buses") and "Other" not in text
    assert "leans to North East (2.3 times the rest of the UK, 95% 1.4–3.6)" in text
    # London's lean is clear at 95% but not after the correction for picking the top theme: not named here
    assert "<strong>Housing</strong> (80 proposals): no clear regional lean" in text
    assert text.endswith("Neither has been checked by an officer yet.")
    three = pd.DataFrame({"id": [1, 2, 3], "label": ["Buses", "Housing", "Tax"], "size": [50, 80, 20],
                          "is_other": [False] * 3})
    assert summary.themes_finding(three, distinctive).endswith("None of the three has been checked by an officer yet.")
    checked = summary.themes_finding(themes.assign(checked=[True, False, False]), distinctive)
    assert "<strong>Buses</strong> (50 proposals, checked by an officer): leans to North East" in checked
    assert checked.endswith("The other has not been checked by an officer yet.")
    every = summary.themes_finding(themes.assign(checked=[True, True, False]), distinctive)
    assert every.endswith("</ul>") and "not been checked" not in every
    one = summary.themes_finding(themes.iloc[[0, 2]], distinctive)
    assert one.endswith("It has not been checked by an officer yet.")
    assert "not been found" in summary.themes_finding(themes.iloc[:0], distinctive.iloc[:0])


def test_what_is_uncertain_and_what_was_answered_in_words():
    sparse = summary.uncertain_finding(votes_per_region=3, themes_total=8, themes_checked=5, baseline="membership")
    assert "not a random sample" in sparse and "against the membership baseline" in sparse
    assert "with 3 votes per region on a typical proposal" in sparse
    assert "3 of the 8 themes have not been checked by an officer" in sparse
    dense = summary.uncertain_finding(votes_per_region=500, themes_total=8, themes_checked=8, baseline="population")
    assert "cannot be told from chance" not in dense and "themes" not in dense
    answered = summary.answered_finding({"published": 1600, "answered": 5, "crossed": 34, "crossed_answered": 5})
    assert answered == ("The party has published an answer to 5 of the 1,600 published proposals. 34 proposals "
                        "crossed a threshold that calls for an answer: 5 answered, <strong>29 awaiting an "
                        "answer</strong>.")
    assert "No proposal has crossed" in summary.answered_finding({"published": 3, "answered": 0, "crossed": 0})


def test_long_quotes_are_cut_at_a_word_and_linked_to_their_full_text():
    quotes = summary.Quotes(limit=40)
    text = "Give the assembly powers over buses, trams and the regional railway network"
    cut = quotes.html(text, 17)
    assert cut.startswith("“Give the assembly powers over buses…”") and "#proposal-17" in cut
    assert quotes.cut == {17: text}
    assert quotes.html("Short and whole", 3) == "“Short and whole”" and 3 not in quotes.cut
