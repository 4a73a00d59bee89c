"""The report's summary page: findings in plain English, confidence in words, a reason when there is nothing."""

import numpy as np
import pandas as pd
import pytest

from consult.publishing import report_summary as summary


def representation(suppressed_last: bool = True) -> pd.DataFrame:
    return pd.DataFrame({"name": ["London", "North East", "Wales"], "ratio": [1.8, 0.4, 1.0],
                         "suppressed": [False, False, suppressed_last]})


def published(votes: int = 40) -> pd.DataFrame:
    return pd.DataFrame({
        "text": ["Give <b>Wales</b> its own rail budget", "Elect regional mayors", "Abolish county councils"],
        "votes": [votes, votes, votes], "consensus_rank": [2, 1, 3], "prob_all": [0.7, 0.9, 0.1],
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
    assert "very likely (90%) to have a majority in all 12 regions; 80% of voters agree." in text
    assert "&lt;b&gt;Wales&lt;/b&gt;" in text and "<b>" not in text
    assert "least in Wales" in text and "nan" not in text


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


def test_small_spreads_are_not_reported_as_division():
    close = published().assign(divisiveness=[0.03, 0.02, 0.01])
    text = summary.division_finding(close)
    assert text.startswith("The regions largely agree: no proposal's regional estimates are more than 3 points")
    assert "Give &lt;b&gt;Wales&lt;/b&gt; its own rail budget" in text


def test_themes_with_their_clear_regional_lean_only():
    themes = pd.DataFrame({"id": [1, 2, 3], "label": ["Buses", "Housing", "Other"], "size": [50, 80, 10],
                           "is_other": [False, False, True]})
    distinctive = pd.DataFrame({"theme_id": [1, 2], "region_name": ["North East", "London"],
                                "ratio": [2.3, 1.4], "lower": [1.4, 0.98], "upper": [3.6, 1.9]})
    text = summary.themes_finding(themes, distinctive)
    assert text.index("Housing") < text.index("Buses") and "Other" not in text
    assert "leans to North East (2.3 times the rest of the UK, 95% 1.4–3.6)" in text
    assert "<strong>Housing</strong> (80 proposals): raised about as often in every region" in text
    assert "not been found" in summary.themes_finding(themes.iloc[:0], distinctive.iloc[:0])
