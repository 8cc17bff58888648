"""Spanish as written in Los Angeles County: the words of Django's Spanish, the numbers of the
United States and Mexico (1,234.5, as es_MX), and dates typed month first, as in English.

A volunteer keys dates off American petition sheets whatever language the screen is in:
"03/01/2026" must mean March 1 for both, so input formats (and the short dates shown) are the
English ones."""

from django.conf.locale.en import formats as en
from django.conf.locale.es_MX.formats import (  # noqa: F401  (Django reads them by name)
    DATE_FORMAT,
    DATETIME_FORMAT,
    DECIMAL_SEPARATOR,
    MONTH_DAY_FORMAT,
    NUMBER_GROUPING,
    THOUSAND_SEPARATOR,
    TIME_FORMAT,
    YEAR_MONTH_FORMAT,
)

FIRST_DAY_OF_WEEK = 0  # Sunday, as on the county's calendars
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y H:i"
DATE_INPUT_FORMATS = en.DATE_INPUT_FORMATS
DATETIME_INPUT_FORMATS = en.DATETIME_INPUT_FORMATS
