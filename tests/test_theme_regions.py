"""Themes by region."""

from __future__ import annotations

import numpy as np

from consult.demo import consultation as demo
from consult.themes.by_region import theme_by_region
from consult.themes.model import ThemeModel


def test_over_representation_is_found_and_small_cells_suppressed():
    themes = ["housing"] * 80 + ["culture"] * 20 + ["housing"] * 20 + ["culture"] * 80 + ["culture"] * 4
    regions = ["E12000007"] * 100 + ["W92000004"] * 100 + ["N92000002"] * 4
    table = theme_by_region(themes, regions, min_cell=10).set_index(["theme", "region"])
    assert table.loc[("housing", "E12000007"), "representation"] == "over"
    assert table.loc[("housing", "W92000004"), "representation"] == "under"
    small = table.loc[("culture", "N92000002")]
    assert small["suppressed"] and np.isnan(small["count"]) and small["representation"] == ""
    assert table.loc[("housing", "E12000007"), "region_name"] == "London"


def test_demo_regional_tilts_show_up():
    data = demo.generate()
    model = ThemeModel().fit(data.proposals["body"].tolist())
    labels = model.themes_.set_index("theme")["label"]
    table = theme_by_region(model.labels_, data.proposals["region"])
    over = table[table["representation"] == "over"]
    london = over[over["region"] == "E12000007"]["theme"].map(labels).str.lower()
    assert london.str.contains("housing|rent|homes|landlord").any()


def test_empty_input():
    assert theme_by_region([], []).empty

