"""Suppression hides counts, never the answer: the most under-represented regions are named even when they are
too small to show, with the most their ratio could be; checked against the database."""

from __future__ import annotations

import pytest

from consult import regions, storage
from consult.demo import consultation as demo
from consult.publishing import report, report_summary, tables
from consult.support import direct as support

NORTH_EAST = "E12000001"


def test_the_smallest_region_is_named_when_it_is_the_most_under_represented(sqlite_engine):
    consultation = storage.create_consultation(sqlite_engine, title="Regions", question="Q?")
    baseline = regions.population_baseline()
    shares = baseline / baseline.sum()
    for code, share in shares.items():  # everyone in line with the population, except the North East
        for _ in range(3 if code == NORTH_EAST else round(400 * share)):
            storage.add_participant(sqlite_engine, consultation.id, region=code)
    table, _ = tables.participation_table(sqlite_engine, consultation.id)
    north_east = table.set_index("region").loc[NORTH_EAST]
    assert north_east["suppressed"] and north_east["ratio_at_most"] < 1  # its count stays hidden
    # the bound is what is public: fewer than 10 of everyone in a region, against its share
    people = storage.participants_frame(sqlite_engine, consultation.id)["region"]
    expected_bound = 9 / people.isin(regions.region_codes()).sum() / shares[NORTH_EAST]
    assert north_east["ratio_at_most"] == pytest.approx(expected_bound)
    hidden = support.hidden_under_represented(table)
    assert hidden["region"].tolist() == [NORTH_EAST]
    sentence = report_summary.participation_finding(table, len(people), "population")
    assert "North East" in sentence and "at most" in sentence
    assert "at most" in report.build(sqlite_engine, consultation.id).split("<h2>1.")[1]


def test_on_the_demo_every_hidden_region_below_the_lowest_shown_ratio_is_named(tmp_path):
    from consult.storage import db

    engine = db.make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    storage.init_db(engine)
    consultation_id = demo.install(engine, seed=2026, themes=False)
    table, _ = tables.participation_table(engine, consultation_id)
    shown = table.loc[~table["suppressed"] & table["ratio"].notna(), "ratio"]
    should = table[table["suppressed"] & (table["ratio_at_most"] < shown.min())]["name"].tolist()
    sentence = report_summary.participation_finding(table, storage.counts(engine, consultation_id).participants,
                                                    "membership")
    assert should, "the demo's smallest regions are expected to be hidden and below every shown region"
    for name in should:
        assert name in sentence
    engine.dispose()
