"""The voter import's reasons for rejecting a row, or importing it with a warning, in words: the
codes (`no_name`, `bad_date`, `field_count`) are for tools and stay in the CSV report's own
column; people read these."""

from django.utils.translation import gettext_lazy as _

REASONS = {
    # Rejected rows (voters/voterfile.py's checks).
    "field_count": _("wrong number of fields (a stray delimiter or quote in the row)"),
    "nul": _("a NUL character in the row"),
    "too_long": _("a field too long to be a name or an address"),
    "no_id": _("no voter id"),
    "no_name": _("no name (neither given name nor surname)"),
    "bad_address": _("no usable residence address"),
    "bad_zip": _("a ZIP code that is not one"),
    "no_city": _("neither city nor ZIP code"),
    "bad_date": _("a birth or registration date that cannot be read"),
    "bad_status": _("a status other than A, I or C"),
    "bad_county": _("a county code other than 1 to 58"),
    "no_county": _("no county code (a roll by county needs one on every row)"),
    "in_other_county": _("a voter id already registered in another county of the roll"),
    # Rows imported with a part missing.
    "no_surname": _("no surname (imported with its given name only)"),
    "no_given_name": _("no given name (imported without one)"),
    "no_house_number": _("no house number (imported without one)"),
    "no_street": _("no street name (imported without one)"),
}


def reason_words(code: str) -> str:
    """A reason code in words (one this list does not know yet: the code with spaces)."""
    return str(REASONS[code]) if code in REASONS else code.replace("_", " ")


def reasons_counted(counts: dict[str, int]) -> list[tuple[str, int, str]]:
    """(words, count, code) for each reason, the commonest first."""
    return [
        (reason_words(code), count, code)
        for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
