"""Spanish as written in Los Angeles County: the words of Django's Spanish, the numbers of the
United States and Mexico (1,234.5, as es_MX), and dates typed month first, as in English.

A volunteer keys dates off American petition sheets whatever language the screen is in:
"03/01/2026" must mean March 1 for both, so input formats (and the short dates shown) are the
English ones."""

from django.conf.locale.en import formats as en  # type: ignore[import-untyped]
from django.conf.locale.es_MX import formats as es_mx  # type: ignore[import-untyped]

DATE_FORMAT = es_mx.DATE_FORMAT
TIME_FORMAT = es_mx.TIME_FORMAT
DATETIME_FORMAT = es_mx.DATETIME_FORMAT
YEAR_MONTH_FORMAT = es_mx.YEAR_MONTH_FORMAT
MONTH_DAY_FORMAT = es_mx.MONTH_DAY_FORMAT
DECIMAL_SEPARATOR = es_mx.DECIMAL_SEPARATOR
THOUSAND_SEPARATOR = es_mx.THOUSAND_SEPARATOR
NUMBER_GROUPING = es_mx.NUMBER_GROUPING
FIRST_DAY_OF_WEEK = 0  # Sunday, as on the county's calendars
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y H:i"
DATE_INPUT_FORMATS = en.DATE_INPUT_FORMATS
DATETIME_INPUT_FORMATS = en.DATETIME_INPUT_FORMATS
