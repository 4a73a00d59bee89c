"""What is distinctive where: exact ratios against the rest of the UK, on the demo and on made-up counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from consult.demo import consultation as demo
from consult.themes.model import ThemeModel


def test_the_north_east_tilt_is_its_most_distinctive_theme_on_the_demo():
    """The demo's generator tilts the North East towards transport (THEME_TILTS); with 25 proposals the pooled
    ratio's interval is wide but transport still comes out on top."""
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
    # London's housing tilt is strong and well measured: its interval lies above 1 and holds the ratio the
    # generator's own themes give (2.2)
    london = top.loc["E12000007"]
    in_london = proposals["region"] == "E12000007"
    housing = proposals["true_theme"] == "housing"
    true_ratio = housing[in_london].mean() / housing[~in_london].mean()
    assert truth[london["theme_id"]] == "housing"
    assert 1 < london["lower"] <= true_ratio <= london["upper"]


def test_distinctive_ratios_keep_big_cells_and_say_how_little_small_ones_show():
    from consult.themes.distinctive import distinctive_themes

    rng = np.random.default_rng(0)
    regions, themes = [], []
    for region, size in (("E12000007", 2000), ("E12000008", 2000), ("E12000001", 12)):
        weights = np.array([3.0, 1, 1, 1]) if region == "E12000007" else np.ones(4)
        regions += [region] * size
        themes += list(rng.choice(4, size=size, p=weights / weights.sum()))
    themes[-4:] = [3, 3, 3, 3]  # a raw lean in a region of 12
    table = distinctive_themes(np.array(themes), np.array(regions), min_cell=10).set_index(["region", "theme_id"])
    big = table.loc[("E12000007", 0)]
    raw = (np.array(themes)[:2000] == 0).mean() / (np.array(themes)[2000:4000] == 0).mean()
    assert abs(big["ratio"] - raw) < 0.15 and big["lower"] > 1.5  # 2,000 texts stand on their own
    small = table.loc[("E12000001", 3)]
    assert small["few_texts"] and np.isnan(small["n"])  # a cell under 10 texts shows no count
    assert small["lower"] < 1 < small["upper"]  # its interval says how little 12 texts show
    assert small["upper"] - small["lower"] > big["upper"] - big["lower"]
    assert small["detectable"] > big["detectable"] and small["region_texts"] == 12
    empty = distinctive_themes(np.array([0, 1]), np.array(["E12000001", "E12000002"]))
    assert empty.empty


def test_a_planted_lean_is_clear_a_null_region_says_what_it_could_detect():
    """A 3x lean on 800 texts is the region's clear top theme; a region where nothing differs is never said to
    agree: its sentence gives the difference its number of texts could have shown."""
    from consult.themes.distinctive import distinctive_themes, most_distinctive

    rng = np.random.default_rng(4)
    shares = np.array([0.3, 0.25, 0.2, 0.15, 0.1])
    regions, themes = [], []
    for region, size in (("E12000007", 3000), ("E12000003", 800), ("W92000004", 90)):
        weights = shares.copy()
        if region == "E12000003":
            weights[4] *= 3
        regions += [region] * size
        themes += list(rng.choice(5, size=size, p=weights / weights.sum()))
    labels = {0: "Housing", 1: "Transport", 2: "Health", 3: "Schools", 4: "Rural buses"}
    top = most_distinctive(distinctive_themes(np.array(themes), np.array(regions), labels=labels)).set_index("region")
    assert top.loc["E12000003", "clear"] and top.loc["E12000003", "theme_id"] == 4
    assert top.loc["E12000003", "sentence"].startswith("Most distinctive of Yorkshire and The Humber: Rural buses")
    wales = top.loc["W92000004"]
    assert not wales["clear"] and not wales["possible"]
    assert wales["sentence"].startswith("Nothing stands out clearly in Wales")
    assert "With 90 texts from Wales, a typical theme would need to be raised about" in wales["sentence"]
    assert "cannot be detected yet" in wales["sentence"] and "agree" not in wales["sentence"]


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


def test_the_named_theme_is_the_surest_lean_never_a_possible_one_beside_a_clear_one():
    """Four of a theme's eight texts from a 200-text region give a high 95% lower bound (1.9) that does not survive
    the correction for picking the top of ten themes; 40 of 220 is a smaller ratio but clear after it. The region's
    sentence names the clear one (ranked by the 95% bound it named the lucky small cell as "possibly distinctive")."""
    from consult.themes.distinctive import distinctive_themes, most_distinctive

    def texts(region: str, lucky: int, clear: int, total: int) -> tuple[list[int], list[str]]:
        others = total - lucky - clear
        return [0] * lucky + [1] * clear + [2 + i % 8 for i in range(others)], [region] * total

    inside_themes, inside_regions = texts("E12000003", 4, 40, 200)
    outside_themes, outside_regions = texts("E12000007", 4, 180, 2000)
    labels = {0: "Ferries", 1: "Rural buses"} | {i: f"Theme {i}" for i in range(2, 10)}
    table = distinctive_themes(np.array(inside_themes + outside_themes), np.array(inside_regions + outside_regions),
                               labels=labels, min_cell=1)
    rows = table[table["region"] == "E12000003"].set_index("theme_id")
    assert rows.loc[0, "lower"] > rows.loc[1, "lower"]  # the small cell leads on the 95% bound
    assert round(rows.loc[0, "clear_lower"], 1) <= 1 < round(rows.loc[1, "clear_lower"], 1)
    top = most_distinctive(table).set_index("region").loc["E12000003"]
    assert top["theme_id"] == 1 and top["clear"]
    assert top["sentence"].startswith("Most distinctive of Yorkshire and The Humber: Rural buses")
    assert list(table[table["region"] == "E12000003"]["theme_id"])[0] == 1  # the table lists it first too
