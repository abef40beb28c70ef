"""The A/B/n significance tests against known values."""

import math

import pytest

from coldflow.analytics.significance import (
    chi_square_independence,
    chi_square_sf,
    compare,
    two_proportion_z,
)


def test_two_proportion_z_matches_the_textbook_value():
    result = two_proportion_z(30, 200, 50, 200)
    assert result.statistic == pytest.approx(-2.5)
    assert result.p_value == pytest.approx(0.012419, abs=1e-6)
    assert result.significant


def test_equal_rates_are_not_significant():
    assert not two_proportion_z(10, 100, 10, 100).significant
    assert two_proportion_z(0, 50, 0, 50).p_value == 1.0


def test_chi_square_survival_matches_critical_values():
    for statistic, df in ((3.841, 1), (5.991, 2), (7.815, 3), (11.070, 5), (18.307, 10)):
        assert chi_square_sf(statistic, df) == pytest.approx(0.05, abs=2e-4)
    assert chi_square_sf(0, 3) == 1.0


def test_chi_square_of_two_groups_equals_the_squared_z():
    z = two_proportion_z(30, 200, 50, 200)
    chi = chi_square_independence([(30, 200), (50, 200)])
    assert chi.statistic == pytest.approx(z.statistic**2)
    assert chi.p_value == pytest.approx(z.p_value)


def test_compare_picks_the_test_by_the_number_of_groups():
    assert compare([(1, 10)]) is None
    assert compare([(1, 10), (2, 10)]).test == "z"
    three = compare([(10, 100), (12, 100), (30, 100)])
    assert three.test == "chi2" and three.significant and not math.isnan(three.p_value)
