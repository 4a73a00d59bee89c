"""Charts: the right data, labelled, in accessible colours."""

from __future__ import annotations

from consult import charts, demo, regions, support


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
