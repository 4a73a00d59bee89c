"""Names mentioned in passing: found from capitals, judged by whether their texts talk alike, left out of themes."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from conftest import shared_data

from consult.text import embeddings
from consult.themes import incidental_names
from consult.themes.incidental_names import capitalised_names, mean_pair_cosine
from consult.themes.model import ThemeModel
from consult.themes.words import PhraseVectorizer

needs_vectors = pytest.mark.skipif(not embeddings.available(), reason="the wordllama sentence vectors are absent")

TOWNS = ["Hull", "Bristol", "Leeds", "Ipswich", "Swindon", "Carlisle"]
TOPICS = {
    "transport": ["buses should run every hour on rural routes", "the railway line needs reopening for commuters",
                  "bus fares are too high for young people", "more trains and fewer cancellations on the railway",
                  "a tram network would cut traffic and congestion"],
    "housing": ["affordable homes for local families are needed", "rents are too high and social housing too scarce",
                "build council houses on brownfield land", "young people cannot afford a home of their own",
                "empty homes should be brought back into use"],
    "schools": ["school budgets are stretched and classes too big", "more teachers and smaller classes in primary school",
                "apprenticeships and college places for school leavers", "teachers need better pay to stay in schools",
                "fund school meals and breakfast clubs for pupils"],
}
# a name that is the subject: every text holding it is about funding, and they talk alike beyond the name
SUBJECT = ["the Barnett formula should be replaced by needs based funding",
           "scrap the Barnett formula and fund regions by need", "the Barnett formula shortchanges poorer regions",
           "replace Barnett with a fair funding settlement for every region",
           "a needs based formula instead of Barnett would be fairer funding"]


def _consultation() -> list[str]:
    """Topic texts, each naming a town in passing (the same towns across every topic), and the funding texts."""
    towns = itertools.cycle(TOWNS)
    texts = []
    for repeat in range(3):
        for sentences in TOPICS.values():
            for sentence in sentences:
                texts.append(f"In {next(towns)} {sentence}" if repeat < 2 else f"{sentence.capitalize()}.")
    texts += SUBJECT + [f"{text}, said a member" for text in SUBJECT]
    return texts


def test_names_are_words_capitalised_in_mid_sentence():
    texts = ["We need buses in Hull. Buses matter.", "Fund the NHS properly and Hull too.", "Leeds is big.",
             "the council in Leeds and the council in leeds", "Stop the cuts now", "I think the NHS needs money"]
    names = capitalised_names(texts)
    assert names["hull"] == "Hull" and names["nhs"] == "NHS"  # as the texts write them
    assert "leeds" not in names  # one of its two mid-sentence uses is lower case: under 80%
    assert "buses" not in names and "stop" not in names  # a capital that opens a sentence says nothing
    assert capitalised_names(["As someone in Hull: Create jobs", "Note: Create homes"]) == {}
    assert capitalised_names([]) == {} and capitalised_names(["", "?!"]) == {}


def test_capitals_or_title_case_throughout_name_nothing():
    shouted = ["BUILD MORE HOMES IN HULL NOW", "FIX THE BUSES IN HULL", "Build More Homes For Young People",
               "Fix The Buses And The Trains", "More Homes For Families"]
    assert capitalised_names(shouted) == {}
    # beside ordinary texts, a shouted one neither makes nor unmakes a name
    assert capitalised_names(shouted + ["we need buses in Hull", "and homes in Hull too"]) == {"hull": "Hull"}


@needs_vectors
def test_a_consultation_written_in_capitals_keeps_its_words():
    texts = [text.upper() for text in _consultation()]
    model = ThemeModel(random_state=0).fit(texts)
    assert model.incidental_names_ == []
    assert model.k_ >= 2 and model.phrases_kept_.diagonal().all() and model.words_kept_.diagonal().all()


def test_a_name_needs_two_mid_sentence_uses():
    assert capitalised_names(["We love Bath."]) == {}
    assert capitalised_names(["We love Bath.", "and Bath again"]) == {"bath": "Bath"}


def test_a_text_in_lower_case_throughout_says_nothing_about_names():
    sentence_case = ["For Leicester we need buses.", "Leicester needs trams. In Leicester the fares are high."]
    lower_case = ["speaking as someone from leicester, fund buses", "buses for leicester please"]
    assert capitalised_names(sentence_case + lower_case) == {"leicester": "Leicester"}
    # a lower-case use in a text that capitalises elsewhere still counts against a name
    assert capitalised_names(sentence_case + ["We need buses for leicester and trams for leicester."]) == {}


def test_the_names_left_out_in_words():
    assert incidental_names.in_words([]) == ""
    assert incidental_names.in_words(["Hull", "Leeds"]) == \
        "Names mentioned in passing, left out of the themes: Hull, Leeds."
    assert incidental_names.in_words([f"Town{i}" for i in range(15)], shown=12).endswith("Town11 and 3 more.")


def test_mean_pair_cosine_is_the_mean_over_distinct_pairs():
    vectors = np.random.default_rng(0).normal(size=(7, 5))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pairs = [vectors[i] @ vectors[j] for i in range(7) for j in range(7) if i != j]
    assert mean_pair_cosine(vectors) == pytest.approx(np.mean(pairs))
    assert mean_pair_cosine(vectors[:1]) == 0.0


@needs_vectors
def test_towns_named_in_passing_are_incidental_and_a_subject_name_is_not():
    texts = _consultation()
    vectorizer = PhraseVectorizer(min_df=2)
    vectorizer.fit_transform(texts)
    found = incidental_names.incidental_names(texts, vectorizer.word_counts_, vectorizer.words_,
                                              embeddings.SifEmbedder)
    assert sorted(found) == sorted(TOWNS)
    assert "barnett" in capitalised_names(texts) and "Barnett" not in found


@needs_vectors
def test_a_name_found_in_the_sample_is_judged_on_all_the_texts_that_hold_it():
    texts = _consultation() * 3  # each town in 15 texts; in a 40-text sample, in about two
    vectorizer = PhraseVectorizer(min_df=2)
    vectorizer.fit_transform(texts)
    found = incidental_names.incidental_names(texts, vectorizer.word_counts_, vectorizer.words_,
                                              embeddings.SifEmbedder, sample=40, random_state=0)
    seen = incidental_names.capitalised_names([texts[i] for i in np.sort(
        np.random.default_rng(0).choice(len(texts), 40, replace=False))])
    sampled_towns = {seen[word] for word in seen if word != "barnett"}
    assert sampled_towns and set(found) == sampled_towns


@needs_vectors
def test_each_name_gets_a_verdict_and_only_a_subject_may_label_a_theme():
    texts = _consultation() + ["run the Derry ferry daily", "build the Derry bus station",
                               "we think Derry needs a university"]
    vectorizer = PhraseVectorizer(min_df=2)
    vectorizer.fit_transform(texts)
    verdicts = incidental_names.judge_names(texts, vectorizer.word_counts_, vectorizer.words_,
                                            embeddings.SifEmbedder)
    assert verdicts["Barnett"] == incidental_names.SUBJECT
    assert verdicts["Derry"] == incidental_names.TOO_FEW  # three texts: too few to judge, or to be a theme
    assert {verdicts[town] for town in TOWNS} == {incidental_names.IN_PASSING}
    model = ThemeModel(random_state=0).fit(texts)
    assert model.name_verdicts_ == verdicts
    assert set(model._names_not_for_labels()) == {town.lower() for town in TOWNS} | {"derry"}


@needs_vectors
def test_nothing_to_judge_gives_no_names():
    vectorizer = PhraseVectorizer(min_df=1)
    texts = ["buses and trains", "homes and rents", "schools and teachers"]
    vectorizer.fit_transform(texts)
    assert incidental_names.incidental_names(texts, vectorizer.word_counts_, vectorizer.words_,
                                             embeddings.SifEmbedder) == []


@needs_vectors
def test_the_model_leaves_passing_names_out_of_both_views_and_of_labels():
    texts = _consultation()
    model = ThemeModel(random_state=0).fit(texts)
    assert sorted(model.incidental_names_) == sorted(TOWNS)
    towns = {town.lower() for town in TOWNS}
    assert not any(towns & set(label.lower().split()) for label in model.themes_["label"])
    # a new text's town counts for nothing: with or without it, the text gets the same vector
    with_town, without = model._transform_vectors(["In Carlisle buses should run every hour",
                                                    "In buses should run every hour"])
    assert with_town == pytest.approx(without, abs=1e-6)
    assert model.assign(["In Carlisle buses should run every hour"])["theme"].iloc[0] == \
        model.assign(["buses should run every hour"])["theme"].iloc[0]
    # the option off: the towns count again
    kept = ThemeModel(random_state=0, leave_out_incidental_names=False).fit(texts)
    assert kept.incidental_names_ == []
    assert not np.allclose(*kept._transform_vectors(["In Carlisle buses should run every hour",
                                                     "In buses should run every hour"]))


def test_without_sentence_vectors_no_name_is_judged():
    model = ThemeModel(random_state=0, semantic=False).fit(_consultation())
    assert model.incidental_names_ == []


@needs_vectors
def test_a_real_city_is_not_made_a_theme():
    """375 real comments about Bowling Green, Kentucky: with names in, two themes were the city's name ("Bowling
    Green", "BG"); named in passing, they are left out and no theme is labelled by them."""
    comments = pd.read_csv(shared_data("polis", "bg2050-volunteers", "comments.csv"))["comment-body"].dropna()
    model = ThemeModel(random_state=0).fit(comments.astype(str).tolist())
    assert {"BG", "Bowling", "Green"} <= set(model.incidental_names_)
    labels = [label.lower().split() for label in model.themes_["label"]]
    assert not any({"bg", "bowling", "green"} & set(words) for words in labels)
    with_names = ThemeModel(random_state=0, leave_out_incidental_names=False).fit(comments.astype(str).tolist())
    assert any({"bg", "bowling"} & set(label.lower().split()) for label in with_names.themes_["label"])
