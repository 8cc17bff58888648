from datetime import date
from fractions import Fraction

import pytest

from petitions.rules import circulation_days, default_deadline, required_signatures, signature_share


@pytest.mark.parametrize(
    ("base", "required"),
    [
        (1, 1),  # 30% of 1 is 0.3: rounded up
        (10, 3),
        (999, 300),  # 299.7
        (1_000, 250),  # 25% from 1,000
        (9_999, 2_500),  # 2,499.75
        (10_000, 2_000),  # 20% from 10,000
        (49_999, 10_000),  # 9,999.8
        (50_000, 7_500),  # 15% from 50,000
        (99_999, 15_000),  # 14,999.85
        (100_000, 10_000),  # 10% from 100,000
        (100_001, 10_001),  # 10,000.1
        (5_668_570, 566_857),  # LA County 2022
        (5_668_571, 566_858),
    ],
)
def test_required_signatures_at_each_band_boundary(base, required):
    assert required_signatures(base) == required


def test_required_signatures_is_exact_where_a_float_would_round_down():
    # 10% of 10**17 + 1 is 10**16 + 0.1: a float product is exactly 10**16, the ceiling of the
    # true value is 10**16 + 1.
    assert required_signatures(10**17 + 1) == 10**16 + 1


@pytest.mark.parametrize(
    ("base", "share"),
    [(999, Fraction(3, 10)), (1_000, Fraction(1, 4)), (49_999, Fraction(1, 5)),
     (50_000, Fraction(3, 20)), (100_000, Fraction(1, 10))],
)  # fmt: skip
def test_signature_share_by_band(base, share):
    assert signature_share(base) == share


@pytest.mark.parametrize(
    ("base", "days"),
    [
        (1, 40),
        (999, 40),
        (1_000, 60),
        (4_999, 60),
        (5_000, 90),
        (9_999, 90),
        (10_000, 120),
        (49_999, 120),
        (50_000, 160),
        (5_668_570, 160),
    ],
)
def test_circulation_days_at_each_band_boundary(base, days):
    assert circulation_days(base) == days


def test_default_deadline_for_la_county_2021():
    # Form approved 2021-05-20, deadline 2021-10-27: the 160-day window.
    assert default_deadline(date(2021, 5, 20), 5_700_000) == date(2021, 10, 27)


def test_default_deadline_for_a_small_district_counts_calendar_days():
    assert default_deadline(date(2024, 1, 1), 999) == date(2024, 2, 10)  # 40 days
    assert default_deadline(date(2024, 1, 1), 4_000) == date(2024, 3, 1)  # 60, a leap February


@pytest.mark.parametrize("function", [required_signatures, circulation_days, signature_share])
@pytest.mark.parametrize("base", [0, -1])
def test_a_base_below_one_is_refused(function, base):
    with pytest.raises(ValueError, match="registration base must be 1 or more"):
        function(base)


@pytest.mark.parametrize("base", [1500.0, "1500", True, None])
def test_a_base_that_is_not_an_int_is_refused(base):
    with pytest.raises(TypeError, match="registration base must be an int"):
        required_signatures(base)
