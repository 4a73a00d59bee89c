"""What is distinctive where: pooled ratios against the rest of the UK, on the demo and on made-up counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from consult.demo import consultation as demo
from consult.themes.model import ThemeModel


def test_the_north_east_tilt_is_its_most_distinctive_theme_on_the_demo():
    """The demo's generator tilts the North East towards transport (THEME_TILTS); with 25 proposals the pooled
    ratio is cautious but transport still comes out on top, with an interval."""
    from consult.themes.distinctive import distinctive_themes, most_distinctive

    data = demo.generate()
    proposals = data.proposals
    model = ThemeModel().fit(proposals["body"].tolist(), proposals["region"].tolist())
    labels = model.themes_.set_index("theme")["label"].to_dict()
    table = distinctive_themes(model.labels_, proposals["region"], labels=labels)
    top = most_distinctive(table).set_index("region")
    north_east = top.loc["E12000001"]
    truth = pd.crosstab(model.labels_, proposals["true_theme"]).idxmax(axis=1)
    assert truth[north_east["theme_id"]] == "transport"
    assert north_east["lower"] < north_east["ratio"] < north_east["upper"]
    assert "North East" in north_east["sentence"] and labels[north_east["theme_id"]] in north_east["sentence"]
    # London's housing tilt is strong and well measured: its interval lies above 1
    london = top.loc["E12000007"]
    assert truth[london["theme_id"]] == "housing" and london["lower"] > 1.5


def test_distinctive_ratios_pool_small_cells_and_keep_big_ones():
    from consult.themes.distinctive import distinctive_themes

    rng = np.random.default_rng(0)
    regions, themes = [], []
    for region, size in (("E12000007", 2000), ("E12000008", 2000), ("E12000001", 12)):
        weights = np.array([3.0, 1, 1, 1]) if region == "E12000007" else np.ones(4)
        regions += [region] * size
        themes += list(rng.choice(4, size=size, p=weights / weights.sum()))
    themes[-4:] = [3, 3, 3, 3]  # a raw 2x-plus cell in a region of 12
    table = distinctive_themes(np.array(themes), np.array(regions), min_cell=10).set_index(["region", "theme_id"])
    big = table.loc[("E12000007", 0)]
    raw = (np.array(themes)[:2000] == 0).mean() / (np.array(themes)[2000:4000] == 0).mean()
    assert abs(big["ratio"] - raw) < 0.15 and big["lower"] > 1.5  # 2,000 texts stand on their own
    small = table.loc[("E12000001", 3)]
    assert small["leans_on_pooling"] and np.isnan(small["n"])  # a cell under 10 texts shows no count
    assert small["lower"] < 1 < small["upper"] or small["ratio"] < raw  # pulled in, with a wide interval
    assert small["upper"] - small["lower"] > big["upper"] - big["lower"]
    empty = distinctive_themes(np.array([0, 1]), np.array(["E12000001", "E12000002"]))
    assert empty.empty


def test_unthemed_texts_never_appear_as_a_theme_with_an_internal_id():
    """The Themes page excludes "Other" by id, which replaced the default exclusion of -1: "Theme -1" showed."""
    import numpy as np

    from consult.themes.distinctive import distinctive_themes

    rng = np.random.default_rng(1)
    themes = rng.choice([-1, 0, 1, 2], size=600)
    regions = rng.choice(["E12000007", "E12000001", "S92000003", "W92000004"], size=600)
    table = distinctive_themes(themes, regions, labels={0: "Buses", 1: "Housing", 2: "Other"}, exclude_themes=(2,))
    assert len(table) and set(table["theme_id"]) == {0, 1}
    assert not table["theme_label"].str.contains("-1|Theme ").any()
