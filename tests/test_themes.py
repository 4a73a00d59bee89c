"""The theme engine: quality on labelled data, determinism, edge cases, labels and evidence."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from conftest import shared_data
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from consult.demo import consultation as demo
from consult.text import embeddings
from consult.text.cleaning import tokens
from consult.themes.labels import make_label
from consult.themes.model import OTHER, ThemeModel, pick_keywords


def _primary_topic(cell: str) -> str:
    """The first gold theme listed for a response ("none" for the few with no theme)."""
    match = re.search(r"'([A-L])': \{", cell)
    return match.group(1) if match else "none"


def _eval_sentiments():
    frame = pd.read_csv(shared_data("themefinder-evals", "eval_sentiments.csv"))
    gold = frame["target_topics"].map(_primary_topic)
    return frame["response"].tolist(), gold.tolist()


def _gambling_q1():
    base = shared_data("themefinder-evals", "gambling_XS")
    responses = [json.loads(line) for line in (base / "inputs/question_part_1/responses.jsonl").open()]
    mapping = next((base / "outputs" / "mapping").glob("*/question_part_1/mapping.jsonl"))
    primary = {r["response_id"]: r["labels"][0] for r in map(json.loads, mapping.open())}
    return [r["response"] for r in responses], [primary[r["response_id"]] for r in responses]


def test_default_mode_uses_embeddings_when_installed():
    model = ThemeModel().fit(["buses in the north", "rail in the south", "tax powers"] * 4)
    assert model.semantic_in_use_ == embeddings.available()


def _baseline(texts, k):
    """The plain pipeline the benchmark compares with: TF-IDF, LSA(100), k-means with the true k given."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(stop_words="english").fit_transform(texts)
    lsa = TruncatedSVD(n_components=min(100, vectors.shape[1] - 1), random_state=0).fit_transform(vectors)
    return KMeans(n_clusters=k, n_init=4, random_state=0).fit_predict(lsa)


def test_eval_sentiments_beats_the_plain_baseline_that_is_given_k():
    texts, gold = _eval_sentiments()
    model = ThemeModel().fit(texts)
    baseline = _baseline(texts, len(set(gold)))
    assert 8 <= model.k_ <= 16
    assert normalized_mutual_info_score(gold, model.labels_) >= normalized_mutual_info_score(gold, baseline) + 0.02
    assert adjusted_rand_score(gold, model.labels_) >= adjusted_rand_score(gold, baseline) + 0.05


@pytest.mark.skipif(not embeddings.available(), reason="wordllama is not installed")
def test_eval_sentiments_beats_wordllama_sentence_vectors_given_k_by_three_points():
    """The stronger plain baseline (#32): wordllama's own sentence vectors and k-means with the true k. Means
    over three seeds, as one seed of either is a draw; fails with the sentence vectors' old smoothing (1e-3)."""
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import normalize
    from threadpoolctl import threadpool_limits

    texts, gold = _eval_sentiments()
    vectors = normalize(embeddings.embed(texts))
    ours, baseline = [], []
    for seed in range(3):
        with threadpool_limits(limits=1):
            plain = KMeans(n_clusters=len(set(gold)), n_init=4, random_state=seed).fit_predict(vectors)
        labels = ThemeModel(random_state=seed).fit(texts).labels_
        baseline.append((normalized_mutual_info_score(gold, plain), adjusted_rand_score(gold, plain)))
        ours.append((normalized_mutual_info_score(gold, labels), adjusted_rand_score(gold, labels)))
    gain = np.mean(ours, axis=0) - np.mean(baseline, axis=0)
    assert gain[0] >= 0.03 and gain[1] >= 0.03, gain


@pytest.mark.skipif(not embeddings.available(), reason="wordllama is not installed")
def test_eighteen_pooled_human_themes_are_not_taken_for_four():
    """#32 item 2: eval_sentiments and the demo pooled, every human theme with 40+ texts (18). Two consultations
    make four big clusters that k-means finds every time, and on these seeds the choice fell on them (k = 4, NMI
    0.53) until k had to beat the same sample with its columns shuffled."""
    texts, gold = _eval_sentiments()
    data = demo.generate()
    texts = texts + data.proposals["body"].tolist()
    gold = np.array([f"eval {g}" for g in gold] + [f"demo {g}" for g in data.proposals["true_theme"]])
    themes, counts = np.unique(gold, return_counts=True)
    keep = np.isin(gold, themes[counts >= 40])
    assert len(themes[counts >= 40]) == 18
    texts = [t for t, k in zip(texts, keep, strict=True) if k]
    for seed in (0, 4):
        model = ThemeModel(random_state=seed).fit(texts)
        assert 12 <= model.k_ <= 20
        assert normalized_mutual_info_score(gold[keep], model.labels_) >= 0.8


def test_nmi_on_gambling_question_one_with_automatic_k():
    texts, gold = _gambling_q1()
    model = ThemeModel().fit(texts)
    assert normalized_mutual_info_score(gold, model.labels_) >= 0.42


def test_demo_ground_truth_themes_are_found():
    data = demo.generate()
    model = ThemeModel().fit(data.proposals["body"].tolist(), data.proposals["region"].tolist())
    assert model.k_ >= 10
    assert normalized_mutual_info_score(data.proposals["true_theme"], model.labels_) >= 0.9
    assert adjusted_rand_score(data.proposals["true_theme"], model.labels_) >= 0.85
    assert (model.labels_ == OTHER).mean() <= 0.05


def test_same_input_and_seed_give_identical_output_and_seeds_agree():
    texts = demo.generate(seed=3, n_participants=300, n_proposals=600).proposals["body"].tolist()
    first, again = ThemeModel(random_state=1).fit(texts), ThemeModel(random_state=1).fit(texts)
    np.testing.assert_array_equal(first.labels_, again.labels_)
    pd.testing.assert_frame_equal(first.themes_, again.themes_)
    other_seed = ThemeModel(random_state=2).fit(texts)
    assert adjusted_rand_score(first.labels_, other_seed.labels_) > 0.5


@pytest.mark.parametrize("n", [0, 1, 5])
def test_tiny_inputs(n):
    texts = ["Give the North East control of its buses", "Fund GP surgeries in Durham",
             "Elect the assembly by proportional representation", "Keep our libraries open",
             "Tax powers for Scotland"][:n]
    model = ThemeModel().fit(texts)
    assert len(model.labels_) == n
    assert model.k_ <= 1
    assert model.assign(["Buses for Newcastle"])["text"].tolist() == [0]


def test_duplicates_non_english_emoji_and_very_long_texts():
    base = demo.generate(seed=4, n_participants=200, n_proposals=300).proposals["body"].tolist()
    texts = base + ["Fund rural buses properly"] * 40 + ["Rhaid diogelu'r iaith Gymraeg mewn ysgolau 🏴󠁧󠁢󠁷󠁬󠁳󠁿"] * 3
    texts += ["Plus de pouvoirs pour les régions 🚆🚆", "🙂🙂🙂", "", "word " * 5000]
    model = ThemeModel().fit(texts)
    assert len(model.labels_) == len(texts)
    duplicates = model.labels_[len(base): len(base) + 40]
    assert len(set(duplicates)) == 1  # identical texts land together
    assert model.assignments_["score"].between(0, 1).all()


def test_every_text_gets_one_to_three_themes_with_scores_and_other_for_weak_fits():
    data = demo.generate()
    model = ThemeModel().fit(data.proposals["body"].tolist())
    per_text = model.assignments_.groupby("text").size()
    assert per_text.between(1, 3).all() and len(per_text) == len(data.proposals)
    ranks = model.assignments_.groupby("text")["score"].apply(lambda s: s.is_monotonic_decreasing)
    assert ranks.all()
    gibberish = model.assign(["zzzz qqqq xxxx"])
    assert gibberish["theme"].tolist() == [OTHER]


def test_theme_set_rules_min_size_and_bounded_count():
    data = demo.generate()
    model = ThemeModel(min_theme_size=40).fit(data.proposals["body"].tolist())
    sizes = model.themes_.loc[model.themes_["theme"] != OTHER, "size"]
    assert (sizes >= 25).all()  # a dissolved theme's members can fall just short of the rule after reassigning
    assert model.k_ <= ThemeModel().max_themes
    forced = ThemeModel(n_themes=60, min_theme_size=5).fit(data.proposals["body"].tolist())
    centroid_similarity = forced.centroids_ @ forced.centroids_.T
    np.fill_diagonal(centroid_similarity, 0)
    assert centroid_similarity.max() < forced.merge_above


def test_labels_keywords_and_representatives_cover_regions():
    data = demo.generate()
    model = ThemeModel().fit(data.proposals["body"].tolist(), data.proposals["region"].tolist())
    themes = model.themes_[model.themes_["theme"] != OTHER]
    assert themes["label"].str.len().between(3, 60).all()
    assert themes["label"].is_unique
    assert (themes["keywords"].map(len) >= 3).all()
    regions = data.proposals["region"].to_numpy()
    for reps in themes["representatives"]:
        assert 1 <= len(reps) <= 5
        assert len({regions[i] for i in reps}) == len(reps)  # each from a different region where possible
    transport = themes[themes["label"].str.contains("Bus|rail|transport", case=False)]
    assert len(transport) >= 1


def test_assign_places_new_texts_without_refitting():
    data = demo.generate()
    model = ThemeModel().fit(data.proposals["body"].tolist())
    k_before = model.k_
    placed = model.assign(["Electrify the railway to Hull and run more trains", "Build more council homes"])
    assert model.k_ == k_before
    labels = model.themes_.set_index("theme")["label"]
    first = placed[placed["rank"] == 1].set_index("text")["theme"]
    assert first[0] != first[1]
    assert "rail" in labels[first[0]].lower() or "bus" in labels[first[0]].lower()


def test_tokens_and_keywords_and_labels():
    assert tokens("The Assembly should FUND buses!") == ["assembly", "fund", "buses"]
    terms = np.array(["bus", "bus servic", "rail"])
    surface = np.array(["bus", "bus services", "rail"])
    assert pick_keywords(np.array([3.0, 2.0, 1.0]), terms, surface, 3) == ["bus services", "rail"]
    # a phrase made of two words chosen on their own replaces them at its own rank; one repeating a chosen
    # phrase's word adds nothing
    terms = np.array(["vulner", "addict", "group", "vulner group", "bus servic", "group servic"])
    surface = np.array(["vulnerable", "addiction", "groups", "vulnerable groups", "bus services", "group services"])
    assert pick_keywords(np.array([6.0, 5.0, 4.0, 3.0, 2.0, 1.0]), terms, surface, 5) == [
        "addiction", "vulnerable groups", "bus services"]
    assert make_label(["bus services", "rail"]) == "Bus services"
    # one phrase from the texts, never two unrelated words joined by a slash
    assert make_label(["housing", "rent"]) == "Housing"
    assert make_label(["housing", "council homes", "rent"]) == "Council homes"
    assert make_label([]) == "Unlabelled theme"


def test_themes_that_say_the_same_thing_are_merged():
    texts = demo.generate(seed=6, n_participants=300, n_proposals=500).proposals["body"].tolist()
    model = ThemeModel(n_themes=40, min_theme_size=5, semantic=False).fit(texts)
    real = model.themes_[model.themes_["theme"] != OTHER]
    assert real["label"].str.lower().is_unique
    words = [set(k[:5]) for k in real["keywords"]]
    for i in range(len(words)):
        for j in range(i + 1, len(words)):
            assert len(words[i] & words[j]) / max(len(words[i] | words[j]), 1) < model.merge_keyword_overlap


def test_theme_model_is_a_scikit_learn_estimator():
    from sklearn.base import clone

    model = ThemeModel(n_themes=3, random_state=4, semantic=False)
    copy = clone(model)
    assert copy.get_params() == model.get_params() and copy is not model
    assert not any(name.endswith("_") for name in vars(copy))  # nothing learned before fit
    texts = demo.generate(seed=5, n_participants=200, n_proposals=300).proposals["body"].tolist()
    assert copy.fit(texts) is copy and copy.k_ == 3
    np.testing.assert_array_equal(copy.labels_, clone(model).fit(texts).labels_)


def test_negated_words_never_label_a_theme():
    praise = [f"Could not have done any better{end}" for end in (".", ", thank you.", " really.", "!")] * 3
    praise += [f"Couldn't be better{end}" for end in (".", " at all.", ", honestly.")] * 3
    complaints = [f"The parking was not good{end}" for end in (".", " for visitors.", " at night.")] * 4
    queues = [f"Waiting times at the desk were far too long{end}" for end in (".", " again.", " today.")] * 4
    model = ThemeModel(n_themes=3, min_theme_size=3).fit(praise + complaints + queues)
    labels = " ".join(model.themes_["label"]).lower()
    assert "better" not in labels and "good" not in labels
    assert "parking" in labels and ("waiting" in labels or "desk" in labels)


def test_mark_negation_reaches_to_punctuation_or_but():
    from consult.themes.words import mark_negation

    assert mark_negation("Could not have done any better. Great staff").split() == \
        ["could", "not", "not", "not", "not", "not.", "great", "staff"]
    assert "good value" in mark_negation("Good value, but not cheap")
    assert "happier" not in mark_negation("Couldn’t be happier")
    # the contracted word goes whole: no "wo" from "won't", no "ca" from "can't"
    assert mark_negation("Banning ads won't stop problem gambling").split() == ["banning", "ads", "not", "not",
                                                                               "not", "not"]
    assert mark_negation("We can’t afford it and don't want it").split()[:2] == ["we", "not"]


def test_themes_that_only_differ_by_a_praise_word_are_one_theme():
    from consult.themes.words import same_subject

    assert same_subject("Good service", "Excellent service") and same_subject("Great service", "Perfect services")
    assert not same_subject("Bus services", "Health services") and not same_subject("Good", "Great")
    rng = np.random.default_rng(0)
    praise = [f"{word} service {rng.choice(['from the staff', 'every time', 'as always', 'today'])}"
              for word in ("Good", "Excellent", "Great", "Perfect") for _ in range(20)]
    other = [f"The bus to {town} was late {when}" for town in ("Hull", "Leeds", "York", "Selby")
             for when in ("again", "every morning", "on Monday", "twice this week", "in the rain")] * 2
    model = ThemeModel(n_themes=4, min_theme_size=5).fit(praise + other)
    labels = model.themes_.loc[model.themes_["theme"] != OTHER, "label"].tolist()
    assert not any(same_subject(a, b) for i, a in enumerate(labels) for b in labels[i + 1:])
    praise_themes = pd.Series(model.labels_[: len(praise)]).value_counts()
    assert praise_themes.iloc[0] >= 0.75 * len(praise)


def test_other_stays_small():
    texts = demo.generate(seed=8, n_participants=300, n_proposals=500).proposals["body"].tolist()
    texts += ["zzzz qqqq", "asdf", "lorem ipsum dolor", "xyz xyz"] * 10
    model = ThemeModel().fit(texts)
    assert (model.labels_ == OTHER).mean() <= model.max_other_share + 1e-9
    assert model.themes_["coherence"].dropna().between(0, 1).all()


def test_fast_adjusted_rand_matches_scikit_learn():
    from consult.themes.clustering import adjusted_rand

    rng = np.random.default_rng(1)
    for _ in range(20):
        a, b = rng.integers(0, 6, 200), rng.integers(0, 4, 200)
        b[:120] = a[:120] % 4
        assert adjusted_rand(a, b) == pytest.approx(adjusted_rand_score(a, b))
    same = rng.integers(0, 3, 50)
    assert adjusted_rand(same, same) == pytest.approx(1.0)


@pytest.mark.skipif(not embeddings.available(), reason="wordllama is not installed")
def test_sif_vectors_put_paraphrases_closer_than_other_topics():
    from sklearn.feature_extraction.text import CountVectorizer

    from consult.text.cleaning import WORD_PATTERN

    texts = ["More buses for rural villages", "Better bus services in the countryside",
             "Lower council tax for pensioners", "Cut the council tax bill for older people"] * 3
    counter = CountVectorizer(token_pattern=WORD_PATTERN, lowercase=True)
    counts = counter.fit_transform(texts)
    embedder = embeddings.SifEmbedder()
    vectors = embedder.fit_transform(counts, counter.get_feature_names_out())
    assert vectors.shape == (12, 256)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert vectors[2] @ vectors[3] > vectors[2] @ vectors[1]
    np.testing.assert_allclose(embedder.transform(counter.transform(texts[:2])), vectors[:2], atol=1e-5)


def test_labels_keep_the_capitals_and_hyphens_the_texts_use():
    from consult.themes.labels import as_written

    assert as_written("Gp training", ["More GP training places", "gp training now", "GP Training"]) == "GP training"
    assert as_written("bus services", ["Bus services in Hull", "bus services"]) == "Bus services"
    assert as_written("self exclusion", ["A self-exclusion scheme", "self - exclusion works", "self exclusion"]) == \
        "Self-exclusion"
    assert as_written("multi year funding", ["Multi-year funding", "multi year funding", "no multi year plans"]) == \
        "Multi year funding"
    nhs = [f"The NHS {what} in {town}" for what in ("needs more GP surgeries", "waiting lists are too long",
                                                     "must fund GP surgeries", "dentists are missing")
           for town in ("Hull", "Leeds", "York", "Selby", "Goole")]
    homes = [f"Build council homes {how} in {town}" for how in ("for young families", "on brownfield land",
                                                                 "near the station", "with gardens")
             for town in ("Hull", "Leeds", "York", "Selby", "Goole")]
    model = ThemeModel(n_themes=2, min_theme_size=5, semantic=False).fit(nhs + homes)
    assert any(word in label for label in model.themes_["label"] for word in ("NHS", "GP"))


def test_the_same_seed_gives_the_same_themes_whatever_threads_the_process_allows():
    """Sums split across BLAS threads add in another order: the partition changed with the thread count."""
    from threadpoolctl import threadpool_info, threadpool_limits

    texts = demo.generate(n_participants=200, n_proposals=400).proposals["body"].tolist()
    with threadpool_limits(limits=2):
        two = ThemeModel(random_state=3).fit(texts).labels_
    with threadpool_limits(limits=1):
        one = ThemeModel(random_state=3).fit(texts).labels_
    assert np.array_equal(two, one)
    assert threadpool_info()  # the limits were applied to real thread pools (BLAS, OpenMP), not to nothing
