"""The voter import's reasons for rejecting a row, or importing it with a warning, in words: the
codes (`no_surname`, `bad_date`, `field_count`) are for tools and stay in the CSV report's own
column; people read these."""

REASONS = {
    # Rejected rows (voters/voterfile.py's checks).
    "field_count": "wrong number of fields (a stray delimiter or quote in the row)",
    "nul": "a NUL character in the row",
    "too_long": "a field too long to be a name or an address",
    "no_id": "no voter id",
    "no_surname": "no surname",
    "bad_address": "no usable residence address",
    "bad_zip": "a ZIP code that is not one",
    "no_city": "neither city nor ZIP code",
    "bad_date": "a birth or registration date that cannot be read",
    "bad_status": "a status other than A, I or C",
    # Rows imported with a part missing.
    "no_given_name": "no given name (imported without one)",
    "no_house_number": "no house number (imported without one)",
    "no_street": "no street name (imported without one)",
}


def reason_words(code: str) -> str:
    """A reason code in words (one this list does not know yet: the code with spaces)."""
    return REASONS.get(code, code.replace("_", " "))


def reasons_counted(counts: dict[str, int]) -> list[tuple[str, int, str]]:
    """(words, count, code) for each reason, the commonest first."""
    return [
        (reason_words(code), count, code)
        for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
