"""UK regions and baselines."""

from __future__ import annotations

import pytest

from consult import regions


def test_twelve_itl1_regions_with_ons_codes_and_tile_positions():
    frame = regions.regions()
    assert len(frame) == 12
    assert set(frame["code"]) == {f"E1200000{i}" for i in range(1, 10)} | {"W92000004", "S92000003", "N92000002"}
    assert frame["population"].between(1_500_000, 10_000_000).all()
    assert 66_000_000 < frame["population"].sum() < 68_000_000
    assert not frame.duplicated(["grid_x", "grid_y"]).any()
    assert regions.answer_codes()[-2:] == [regions.OUTSIDE_UK, regions.UNDISCLOSED]
    assert regions.region_name("S92000003") == "Scotland"
    assert regions.region_name(regions.UNDISCLOSED) == "Prefer not to say"


def test_officer_baseline_from_csv_accepts_codes_names_and_short_labels():
    rows = [f"{code},{i * 100 + 5}" for i, code in enumerate(regions.region_codes()[:10], 1)]
    rows += ["scotland,\"12,000\"", "NI,300"]
    series = regions.parse_baseline_csv("region,members\n" + "\n".join(rows))
    assert series["S92000003"] == 12_000 and series["N92000002"] == 300
    assert list(series.index) == regions.region_codes()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not a readable CSV"),
        ("region\nLondon", "two columns"),
        ("region,count\nAtlantis,5", "unknown region"),
        ("region,count\nLondon,lots", "not a number"),
        ("region,count\nLondon,-4", "zero or more"),
        ("region,count\nLondon,4\nLondon,5", "more than once"),
        ("region,count\nLondon,4", "missing"),
    ],
)
def test_bad_baseline_files_say_what_is_wrong(text, message):
    with pytest.raises(regions.BaselineError, match=message):
        regions.parse_baseline_csv(text)


def test_all_zero_baseline_is_refused():
    body = "region,count\n" + "\n".join(f"{c},0" for c in regions.region_codes())
    with pytest.raises(regions.BaselineError, match="zero"):
        regions.parse_baseline_csv(body.encode())


def test_a_region_in_a_sentence_takes_the_where_english_does():
    names = {code: regions.region_in_sentence(code) for code in regions.region_codes()}
    assert names["E12000001"] == "the North East" and names["E12000006"] == "the East of England"
    assert names["E12000007"] == "London" and names["W92000004"] == "Wales"
    assert names["E12000003"] == "Yorkshire and The Humber"
    assert regions.region_in_sentence("E12000009", starts=True) == "The South West"
    assert sum(name.startswith("the ") for name in names.values()) == 7  # the compass-point regions of England
