"""Writes to petitions, by concept; what other modules use is re-exported here."""

from petitions.services.petitions import (
    APPROVAL_AHEAD,
    DATES_BACK,
    LONGEST_CIRCULATION,
    RULE_FIELDS,
    date_window_problem,
    petition_county_votes_set,
    petition_create,
    petition_date_problems,
    petition_set_double_entry,
)
from petitions.services.signature_import import (
    ImportReport,
    SignatureImportError,
    signatures_import,
    zip_normalized,
)

__all__ = [
    "APPROVAL_AHEAD",
    "DATES_BACK",
    "LONGEST_CIRCULATION",
    "RULE_FIELDS",
    "ImportReport",
    "SignatureImportError",
    "date_window_problem",
    "petition_county_votes_set",
    "petition_create",
    "petition_date_problems",
    "petition_set_double_entry",
    "signatures_import",
    "zip_normalized",
]
