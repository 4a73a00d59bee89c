"""The exact forecast behind `bench_regional.py --identifiability` and the scenarios' "true model" column."""

from dataclasses import replace

import numpy as np

from benchmarks import regional_scenarios as scenarios


def _small(shape: str, rows: int = 25) -> scenarios.Consultation:
    data = scenarios.simulate(shape, 5, seed=3)
    return replace(data, agree=data.agree[:rows], seen=data.seen[:rows], truth=data.truth[:rows],
                   planted=data.planted[:rows], shift=data.shift[:rows])


def test_under_the_true_spreads_intervals_cover_and_the_likelihood_is_a_probability():
    data = _small("tiny regions")
    small = (scenarios.NORTHERN_IRELAND, scenarios.NORTH_EAST)
    forecast, log_lik, covered = scenarios.exact_forecast(data, data.cell_sd, check_regions=small)
    assert np.all((forecast >= 0) & (forecast <= 1))
    # the truth's own setting covers about 95% of the small regions' cells
    assert 0.8 <= covered.mean() <= 1.0
    assert np.isfinite(log_lik) and log_lik < 0
    assert covered.shape == (25, 2)


def test_the_likelihood_prefers_the_setting_that_made_many_votes():
    """With plenty of votes in the small regions the ratio picks the truth: the check can say 'the votes tell'."""
    data = _small("tiny regions", rows=120)
    boosted = replace(data, seen=np.full(data.seen.shape, 60.0), agree=np.round(60 * data.truth))  # 60 a cell
    wide, narrow = data.cell_sd, np.full(12, 0.5)
    _, wide_fit, _ = scenarios.exact_forecast(boosted, wide)
    _, narrow_fit, _ = scenarios.exact_forecast(boosted, narrow)
    assert wide_fit - narrow_fit > np.log(20)
