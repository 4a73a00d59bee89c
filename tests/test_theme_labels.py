"""Theme labels read as topics: noun phrases from the texts, never a lone adjective, a cut-off modifier or the start
of an instruction (consult/themes/labels.py, consult/themes/phrase_grammar.py)."""

from __future__ import annotations

import numpy as np
import pytest

from consult.themes.labels import ThemeLabeller, preferred_first
from consult.themes.phrase_grammar import PhraseUsage, word_classes

TEXTS = [
    "The staff were so helpful and kind.",
    "Helpful staff at the front desk.",
    "We should stop councils merging without asking residents.",
    "Councils should stop cutting the library hours.",
    "Fund fuel poor households to insulate their homes.",
    "Fuel poor households pay the most for energy.",
    "A multi-year funding settlement would let us plan.",
    "Give the region a multi-year settlement, not annual bidding.",
    "Build more affordable housing for young families.",
    "Affordable housing is out of reach here.",
    "Waiting times for appointments are far too long.",
    "The waiting times at the surgery keep growing.",
    "Enforcement is logistically complex and costly.",
    "Monitoring every broadcast is logistically complex.",
    "Gambling adverts normalizes gambling for children.",
    "Promote responsible gambling in every advert.",
    "Keep services in local hands.",
    "Decisions belong in local hands, not Whitehall.",
    "Power should sit in local hands.",
    "Parks stay in local hands when councils merge.",
    "Leave it in local hands.",
    "A self-exclusion scheme for every app.",
    "Self-exclusion registers should cover all sites.",
]


@pytest.fixture(scope="module")
def usage() -> PhraseUsage:
    return PhraseUsage().fit([text.lower() for text in TEXTS])


@pytest.mark.parametrize("phrase", ["staff", "councils", "fuel poor households", "affordable housing", "waiting times",
                                    "responsible gambling", "funding settlement", "NHS",
                                    "self exclusion"])  # a compound of two nouns names its topic before a noun
def test_noun_phrases_are_topics(usage, phrase):
    assert usage.is_topic(phrase)


@pytest.mark.parametrize("phrase, why", [
    ("helpful", "a lone adjective"),
    ("fuel poor", "the front of 'fuel poor households': 'poor' describes"),
    ("stop councils", "an instruction: 'should stop councils'"),
    ("multi year", "a hyphenated compound before a noun ('multi-year funding')"),
    ("logistically complex", "opens on an adverb"),
    ("local hands", "an idiom: every use is 'in local hands', which says where, not what"),
    ("normalizes gambling", "opens on a verb"),
    ("better", "praise, not a topic"),
    ("", "nothing"),
])
def test_fragments_are_not_topics(usage, phrase, why):
    assert not usage.is_topic(phrase), why


def test_word_classes_come_from_the_bundled_lexicon():
    assert word_classes("helpful") == frozenset({"ADJ"})
    assert "NOUN" in word_classes("Councils")
    assert word_classes("Beeching") == frozenset()  # a name it does not know: allowed to end a label


def test_a_phrase_is_preferred_to_a_word_only_when_it_covers_the_theme():
    coverage = {"housing": 0.4, "affordable housing": 0.3, "local hands": 0.1}
    precision = {"housing": 0.9, "affordable housing": 0.9, "local hands": 0.9}
    assert preferred_first(["housing", "affordable housing"], coverage, precision)[0] == "affordable housing"
    assert preferred_first(["housing", "local hands"], coverage, precision)[0] == "housing"
    # a word used all over the consultation gives way to one this theme owns
    assert preferred_first(["assembly", "scrutiny"], {"assembly": 0.7, "scrutiny": 0.2},
                           {"assembly": 0.2, "scrutiny": 0.95})[0] == "scrutiny"
    assert preferred_first([], {}, {}) == []


def test_a_theme_whose_strongest_word_is_an_adjective_is_labelled_by_its_subject():
    praise = [f"The nurses were helpful and the {ward} ward was clean." for ward in ("maternity", "children's",
                                                                                    "surgical", "day")] * 3
    parking = [f"Car parking at the hospital costs too much on {day}." for day in ("Monday", "Friday", "weekends",
                                                                                   "holidays")] * 3
    texts = praise + parking
    labels = np.array([0] * len(praise) + [1] * len(parking))
    names, keywords, _ = ThemeLabeller(min_df=2).fit(texts, labels).describe(texts, labels, 2)
    assert "helpful" in [k.lower() for k in keywords[0]]  # the keyword list still says what the texts stress
    assert names[0].lower() != "helpful" and word_classes(names[0].split()[-1].lower()) & {"NOUN", "PROPN"}
    assert "parking" in names[1].lower()
    assert len(set(names)) == 2


def test_without_grammar_the_labeller_is_the_old_one():
    texts = ["Helpful staff, helpful nurses.", "Helpful and kind staff.", "Bus fares are too high.",
             "Bus fares keep rising."]
    labels = np.array([0, 0, 1, 1])
    old, _, _ = ThemeLabeller(min_df=2, max_phrase_words=2, grammar=False).fit(texts, labels).describe(texts, labels, 2)
    new, _, _ = ThemeLabeller(min_df=2).fit(texts, labels).describe(texts, labels, 2)
    assert old[0] == "Helpful" and new[0] != "Helpful"
    assert old[1] == new[1] == "Bus fares"


TOWNS = ["Hull", "Leeds", "York", "Selby", "Goole", "Whitby", "Ripon", "Malton"]


def _widened(texts: list[str], labels: np.ndarray) -> tuple[list[str], list[str]]:
    labeller = ThemeLabeller(min_df=2).fit(texts, labels)
    narrow, _, _ = labeller.describe(texts, labels, int(labels.max()) + 1)
    return narrow, labeller.broaden(texts, labels, narrow)


def test_a_label_is_widened_by_a_phrase_that_reaches_the_texts_it_misses():
    energy = ([f"Put community wind turbines on the hills above {town}." for town in TOWNS]
              + [f"Energy bills in {town} are too high for pensioners." for town in TOWNS]
              + [f"Insulate homes in {town} so energy costs fall." for town in TOWNS])
    # every parking text says "car parking": "nurses" and "hospital" reach no text the label misses
    parking = ([f"Car parking at the hospital in {town} costs too much." for town in TOWNS]
               + [f"Free car parking for nurses in {town}." for town in TOWNS])
    library = ["Open the library in Hull on Sundays.", "Keep the library in Leeds open.",
               "Library hours in York are short.", "Fund the library in Selby."]  # too few texts to widen
    labels = np.array([0] * len(energy) + [1] * len(parking) + [2] * len(library))
    narrow, wide = _widened(energy + parking + library, labels)
    assert wide[0].startswith(narrow[0] + " and ") and "energy" in wide[0].lower()
    assert "wind" in narrow[0].lower() and "energy" not in narrow[0].lower()
    assert wide[1] == narrow[1] and "parking" in wide[1].lower()
    assert wide[2] == narrow[2] == "Library"


def test_a_widening_name_keeps_its_capital_and_its_whole_phrase():
    fiscal = ([f"Let {town} keep the income tax raised here." for town in TOWNS]
              + [f"Scrap the Barnett formula, it short-changes {town}." for town in TOWNS])
    parking = [f"Car parking in {town} costs too much." for town in TOWNS]
    labels = np.array([0] * len(fiscal) + [1] * len(parking))
    narrow, wide = _widened(fiscal + parking, labels)
    assert "Barnett formula" in wide[0] and wide[0] != narrow[0]


def test_no_label_is_widened_without_grammar_or_themes():
    texts = ["Bus fares are too high.", "Bus fares keep rising.", "Rail fares too."]
    labels = np.array([0, 0, 0])
    labeller = ThemeLabeller(min_df=2, grammar=False).fit(texts, labels)
    assert labeller.broaden(texts, labels, ["Bus fares"]) == ["Bus fares"]
    assert ThemeLabeller(min_df=2).fit(texts, labels).broaden(texts, labels, []) == []
    # a numbered fallback is not a phrase of the texts: it stays as it is
    assert ThemeLabeller(min_df=2).fit(texts, labels).broaden(texts, labels, ["Bus fares (2)"]) == ["Bus fares (2)"]


def test_a_capital_counts_in_mid_sentence_not_where_a_sentence_opens():
    from consult.themes.labels import as_written

    assert as_written("scrap barnett formula", ["We must scrap the Barnett formula.", "The Barnett formula is old.",
                                               "Scrap barnett formula"]) == "Scrap Barnett formula"
    assert as_written("housing and homes", ["Homes are scarce. Homes cost too much.", "We need homes",
                                           "Housing first"]) == "Housing and homes"
