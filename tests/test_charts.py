"""Charts: the right data, labelled, in accessible colours."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from consult import charts, regions
from consult.demo import consultation as demo
from consult.support import direct as support


def _table():
    return support.representativeness(demo.generate().participants, regions.population_baseline())[0]


def test_tile_map_has_one_tile_per_region_with_counts():
    figure = charts.region_tile_map(_table())
    trace = figure.data[0]
    assert len(trace.x) == 12 and set(trace.customdata) == set(regions.region_codes())
    london = list(trace.customdata).index("E12000007")
    assert "LON" in trace.text[london] and "×2." in trace.text[london]
    assert trace.marker.color[london] == 1.0  # London is at the over-represented end
    assert figure.layout.title.text


def test_participation_bars_show_intervals_and_label_axes():
    figure = charts.participation_bars(_table())
    assert [t.name for t in figure.data] == ["Baseline", "Taking part"]
    assert figure.data[1].error_x.array is not None
    assert figure.layout.xaxis.title.text and figure.layout.yaxis.title.text
    # the legend sits above the plot, clear of the x-axis title below it
    assert figure.layout.legend.orientation == "h" and figure.layout.legend.y > 1


def test_support_intervals_keep_proposal_labels_as_categories():
    import pandas as pd

    top = pd.DataFrame({"proposal_id": [650, 12], "support": [0.8, 0.6], "support_low": [0.7, 0.5],
                        "support_high": [0.9, 0.7], "weighted_support": [0.75, 0.65], "weighted_low": [0.6, 0.5],
                        "weighted_high": [0.85, 0.8]})
    figure = charts.support_intervals(top)
    assert figure.layout.yaxis.type == "category"
    assert list(figure.data[0].y) == ["#650", "#12"]
    assert figure.layout.xaxis.title.text.startswith("Agreeing (%)")
    texts = top.assign(text=["Fund regional assemblies from a fixed share of income tax raised in each region",
                             "More buses <b>now</b>"])
    labels = list(charts.support_intervals(texts).data[0].y)
    # short lines a phone can show whole, the proposal's number kept, markup shown as text
    assert all(len(line) <= 40 for label in labels for line in label.split("<br>"))
    assert labels[0].endswith("(#650)") and "&lt;b&gt;now&lt;/b&gt;" in labels[1]
    # a word longer than a line is cut, but never inside an escaped '<': every line reads as text on its own
    long_word = top.assign(text=["x" * 31 + "<y>" + "z" * 20, "#" + "w" * 67 + "<<tag>>" + "v" * 30])
    for full in (False, True):
        lines = [line for label in charts.support_intervals(long_word, full_labels=full).data[0].y
                 for line in label.split("<br>")]
        assert len(lines) > 2
        bare = [line.replace("&lt;", "").replace("&gt;", "") for line in lines]
        assert not any(mark in line for line in bare for mark in "&<>")


def test_tile_map_greys_regions_with_no_ratio_yet():
    import pandas as pd

    table, _ = support.representativeness(pd.DataFrame({"region": ["S92000003", "E12000001"]}),
                                          regions.population_baseline())
    figure = charts.region_tile_map(table)
    coloured, grey = figure.data
    assert len(coloured.x) == 0  # no "×0.0" in the colour of under-representation
    assert len(grey.x) == 12 and all("too early" in text for text in grey.text)


def test_theme_grid_wraps_long_names_and_shows_an_officers_name_as_text():
    from consult.themes.by_region import theme_by_region

    themes = pd.Series([1] * 12 + [2] * 12 + [3] * 12)
    grid = theme_by_region(themes, pd.Series(["E12000007"] * 36))
    labels = {1: "Combined authority and councils", 2: "<b>Buses</b>", 3: "Balanced membership and regional referendum"}
    figure = charts.theme_region_grid(grid, labels)
    rows = set(figure.layout.yaxis.ticktext)
    assert "Combined authority<br>and councils" in rows
    assert "Balanced membership and<br>regional referendum" in rows  # two lines, never three
    assert "&lt;b&gt;Buses&lt;/b&gt;" in rows and not any("<b>" in row for row in rows)
    hover = " ".join(text for trace in figure.data for text in trace.hovertext or ())
    assert "Combined authority and councils in London" in hover and "<b>" not in hover


def test_theme_grid_cells_stretch_with_the_plot_and_every_cell_can_be_clicked():
    """The colour is a heatmap (its cells take the plot's width, so a phone's narrow grid does not overlap); each
    cell also has a point carrying [theme, region] for Streamlit's click selection; hidden cells are grey."""
    from consult.themes.by_region import theme_by_region

    themes = pd.Series([1] * 30 + [2] * 12 + [2] * 3)
    places = pd.Series(["E12000007"] * 30 + ["E12000007"] * 12 + ["E12000001"] * 3)
    grid = theme_by_region(themes, places)
    figure = charts.theme_region_grid(grid, {1: "Housing", 2: "Buses"})
    colour, grey = (trace for trace in figure.data if trace.type == "heatmap")
    names = dict(zip(figure.layout.yaxis.tickvals, figure.layout.yaxis.ticktext, strict=True))
    cells = pd.DataFrame(colour.z, index=[names[row] for row in colour.y], columns=colour.x)
    expected = grid[~grid["suppressed"]].set_index(["theme", "region"])["share_of_region"] * 100
    assert cells.loc["Housing", "LON"] == pytest.approx(expected[(1, "E12000007")])
    assert cells.loc["Buses", "LON"] == pytest.approx(expected[(2, "E12000007")])
    hidden = grid[grid["suppressed"]]
    greys = pd.DataFrame(grey.z, index=[names[row] for row in grey.y], columns=grey.x)
    for theme, region in zip(hidden["theme"], hidden["region"], strict=True):
        label = {1: "Housing", 2: "Buses"}[theme]
        short = charts._short(region)
        assert np.isnan(cells.loc[label, short]) and greys.loc[label, short] == 1
    clickable = [tuple(point) for trace in figure.data if trace.type == "scatter" and trace.customdata is not None
                 for point in trace.customdata]
    assert sorted(clickable) == sorted(zip(grid["theme"], grid["region"], strict=True))
    assert all(trace.marker.opacity == 0 for trace in figure.data
               if trace.type == "scatter" and trace.customdata is not None)
    # two themes an officer gave one name stay two rows; a 200-character name is shortened, whole in the hover
    long_name = "Buses " + "and trams " * 19
    twins = charts.theme_region_grid(grid, {1: "Transport", 2: "Transport"})
    assert len(twins.data[0].y) == 2 and list(twins.layout.yaxis.ticktext) == ["Transport", "Transport"]
    named = charts.theme_region_grid(grid, {1: long_name, 2: "Buses"})
    assert all(len(line) <= 2 * charts.GRID_LABEL_WIDTH for name in named.layout.yaxis.ticktext
               for line in name.split("<br>"))
    assert all(name.count("<br>") <= 1 for name in named.layout.yaxis.ticktext)
    assert any(long_name.strip() in text for trace in named.data for text in trace.hovertext or ())


def test_distinctive_chart_ticks_say_their_numbers_and_the_title_fits_a_phone():
    """plotly's own log ticks wrote 0.05, 0.2 and 0.5 as "5", "2" and "5"; every tick now reads as its number,
    in mirrored pairs, and bounds of 0 and infinity are drawn at the axis's ends."""
    rows = pd.DataFrame({"theme_label": ["Buses", "<b>Ferries</b>"], "ratio": [3.2, 0.0], "lower": [1.1, 0.0],
                         "upper": [7.1, float("inf")], "clear_lower": [0.9, 0.0]})
    figure = charts.distinctive_themes_chart(rows, "North East")
    axis = figure.layout.xaxis
    assert axis.type == "log" and list(axis.ticktext) == [f"{t:g}" for t in axis.tickvals]
    assert "0.25" in axis.ticktext and "4" in axis.ticktext and "5" not in axis.ticktext
    assert axis.title.text.startswith("North East against the rest of the UK<br>")
    points = figure.data[0]
    assert min(points.x) >= 0.05 and max(points.x) <= 20  # 0 clipped to the axis's end
    assert "&lt;b&gt;Ferries&lt;/b&gt;" in list(figure.layout.yaxis.ticktext)
    # two themes an officer named alike stay two rows
    twins = charts.distinctive_themes_chart(rows.assign(theme_id=[1, 2], theme_label=["Buses", "Buses"]), "Wales")
    assert len(set(twins.data[0].y)) == 2 and list(twins.layout.yaxis.ticktext) == ["Buses", "Buses"]
