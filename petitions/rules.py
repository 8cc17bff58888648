"""The Elections Code's numbers for a county recall: signatures required and days to circulate.

Pure Python (no Django) so the bands can be tested at every boundary without a database.
"""

from datetime import date, timedelta
from fractions import Fraction

# EC 11221: the share of the registration base that must sign, by the base's size band.
# (upper bound of the band, exclusive; share). At 100,000 or more the share is 10%.
_SHARES = (
    (1_000, Fraction(30, 100)),
    (10_000, Fraction(25, 100)),
    (50_000, Fraction(20, 100)),
    (100_000, Fraction(15, 100)),
)
_SHARE_AT_LEAST_100_000 = Fraction(10, 100)

# EC 11220: days to circulate, counted from the day the petition form is approved.
_DAYS = (
    (1_000, 40),
    (5_000, 60),
    (10_000, 90),
    (50_000, 120),
)
# The longest window: what a petition gets when only its required number is known.
MAX_CIRCULATION_DAYS = 160


def _check_base(registration_base: int) -> None:
    # bool is an int; a True base is a bug upstream, not one registered voter.
    if isinstance(registration_base, bool) or not isinstance(registration_base, int):
        raise TypeError(f"registration base must be an int, got {registration_base!r}")
    if registration_base < 1:
        raise ValueError(f"registration base must be 1 or more, got {registration_base}")


def signature_share(registration_base: int) -> Fraction:
    """The share of the registration base that must sign (EC 11221), e.g. Fraction(1, 10)."""
    _check_base(registration_base)
    for below, share in _SHARES:
        if registration_base < below:
            return share
    return _SHARE_AT_LEAST_100_000


def required_signatures(registration_base: int) -> int:
    """Signatures required by EC 11221, rounded up (exact arithmetic: never a float)."""
    share = signature_share(registration_base)
    # Ceiling division on integers: -(-a // b) == ceil(a / b).
    return -(-registration_base * share.numerator // share.denominator)


def circulation_days(registration_base: int) -> int:
    """Days allowed to circulate the petition (EC 11220)."""
    _check_base(registration_base)
    for below, days in _DAYS:
        if registration_base < below:
            return days
    return MAX_CIRCULATION_DAYS


def default_deadline(approved_on: date, registration_base: int) -> date:
    """The last day to file: the approval day plus the circulation window (EC 11220)."""
    return approved_on + timedelta(days=circulation_days(registration_base))
