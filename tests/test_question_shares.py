"""What a question's answers show, against simulated truth: overall shares and their intervals, pooled regional
estimates that find a planted regional difference, cross-tabs, numbers, Borda points and the word cloud."""

from __future__ import annotations

import numpy as np
import pandas as pd

from consult import regions
from consult.questions import shares, words
from consult.questions.kinds import make_spec

CODES = regions.region_codes()
SCALE = make_spec("agree_scale", "Should a regional assembly have tax-raising powers?")


def _answers(rng, n_per_region: dict[str, int], agree_prob: dict[str, float]) -> pd.DataFrame:
    rows = []
    pid = 0
    for code, n in n_per_region.items():
        agrees = rng.random(n) < agree_prob[code]
        # agreeing answers are 4 or 5, the rest 1 to 3
        points = np.where(agrees, rng.integers(4, 6, n), rng.integers(1, 4, n))
        for point in points:
            rows.append({"participant_id": pid, "answer": str(point), "region": code,
                         "local_party": f"Party {pid % 4}"})
            pid += 1
    return pd.DataFrame(rows)


def test_share_agreeing_is_on_the_truth_and_the_weighted_share_undoes_a_london_heavy_sample():
    rng = np.random.default_rng(7)
    # London (E12000007) is over-represented and agrees far less than everywhere else
    truth = {code: (0.3 if code == "E12000007" else 0.7) for code in CODES}
    sizes = {code: (1200 if code == "E12000007" else 100) for code in CODES}
    answers = _answers(rng, sizes, truth)
    population = regions.population_baseline()
    table = shares.overall(SCALE, answers, population).set_index("label")
    agreeing = table.loc[shares.AGREEING_LABEL]
    raw_truth = sum(truth[c] * sizes[c] for c in CODES) / sum(sizes.values())
    weighted_truth = sum(truth[c] * population[c] for c in CODES) / population.sum()
    assert agreeing["lower"] <= raw_truth <= agreeing["upper"]
    assert agreeing["weighted_lower"] <= weighted_truth <= agreeing["weighted_upper"]
    # the plain baseline (raw share) is far from the population truth; weighting closes most of the gap
    assert abs(agreeing["weighted"] - weighted_truth) < abs(agreeing["share"] - weighted_truth) / 3
    # the five scale points add up to everyone
    assert table.loc[list(shares.answer_labels(SCALE)[:5]), "chosen"].sum() == len(answers)


def test_pooled_regional_estimates_find_the_planted_region_and_cover_the_truth():
    rng = np.random.default_rng(11)
    truth = {code: 0.7 for code in CODES} | {"S92000003": 0.25}
    sizes = {code: 60 for code in CODES} | {"N92000002": 4}
    answers = _answers(rng, sizes, truth)
    cells = shares.by_region(SCALE, answers, min_cell=10)
    agree = cells[cells["label"] == shares.AGREEING_LABEL].set_index("region")
    assert agree["estimate"].idxmin() == "S92000003"
    covered = [agree.loc[c, "lower"] <= truth[c] <= agree.loc[c, "upper"] for c in CODES]
    assert sum(covered) >= 11
    assert agree.loc["N92000002", "leans_on_pooling"] and not agree.loc["E12000001", "leans_on_pooling"]


def test_choice_multiple_and_ranking_answers_become_one_row_per_label():
    ranking = make_spec("ranking", "Rank", "Tax|Transport|Housing")
    answers = pd.DataFrame({"participant_id": [1, 2, 3], "answer": ["2,0", "0", "2,1,0"], "region": CODES[:3]})
    table = shares.overall(ranking, answers, regions.population_baseline()).set_index("label")
    assert table["chosen"].to_dict() == {"Tax": 1, "Transport": 0, "Housing": 2}  # ranked first
    multiple = make_spec("multiple", "Which", "Tax|Transport|Housing")
    answers = answers.assign(answer=["0,2", "0", "0,1,2"])
    table = shares.overall(multiple, answers, regions.population_baseline()).set_index("label")
    assert table["chosen"].to_dict() == {"Tax": 3, "Transport": 1, "Housing": 2}


def test_crosstab_counts_each_answer_within_each_group():
    rng = np.random.default_rng(3)
    answers = _answers(rng, {code: 20 for code in CODES[:2]}, {code: 0.5 for code in CODES})
    table = shares.crosstab(SCALE, answers, "local_party")
    assert set(table["local_party"]) == {f"Party {i}" for i in range(4)}
    per_party = table[table["label"] != shares.AGREEING_LABEL].groupby("local_party")["chosen"].sum()
    assert per_party.sum() == len(answers)
    assert (table["respondents"] == table["local_party"].map(answers["local_party"].value_counts())).all()


def test_number_summary_and_borda_points():
    answers = pd.DataFrame({"participant_id": range(5), "answer": ["10", "20", "30", "40", "1000"],
                            "region": ["E12000001"] * 5})
    summary = shares.number_summary(answers).iloc[0]
    assert summary["median"] == 30 and summary["n"] == 5 and summary["lower"] < summary["mean"] < summary["upper"]
    ranking = make_spec("ranking", "Rank", "A|B|C")
    ranked = pd.DataFrame({"participant_id": range(3), "answer": ["0,1,2", "1,0", "1"], "region": CODES[:3]})
    points = shares.borda_points(ranking, ranked).set_index("label")
    assert points["borda_points"].to_dict() == {"A": 3, "B": 5, "C": 0}
    assert points["first_preferences"].to_dict() == {"A": 1, "B": 2, "C": 0}


def test_the_word_cloud_counts_people_not_repeats_and_leaves_out_flagged_answers():
    counted = words.word_counts(["Tax tax TAX", "fair tax", "jobs", "call me on 07700 900123", "you idiot"])
    assert counted.set_index("word")["answers"].to_dict() == {"tax": 2, "fair": 1, "jobs": 1}
    assert counted.attrs["left_out"] == 2
