"""Reads of petitions and their lines, by concept; what other modules use is re-exported here."""

from petitions.selectors.exports import (
    EXPORT_HEADER,
    SIGNER_LISTS,
    petition_export_rows,
    signer_list_rows,
)
from petitions.selectors.petitions import petition_list, petitions_for
from petitions.selectors.review import (
    ReviewItem,
    line_history,
    review_decision_open,
    review_decisions,
    review_next,
    review_pace,
    review_queue,
    review_queue_size,
    section_lines,
)
from petitions.selectors.sections import section_list, sections_awaiting_second_entry

__all__ = [
    "EXPORT_HEADER",
    "SIGNER_LISTS",
    "ReviewItem",
    "line_history",
    "petition_export_rows",
    "petition_list",
    "petitions_for",
    "review_decision_open",
    "review_decisions",
    "review_next",
    "review_pace",
    "review_queue",
    "review_queue_size",
    "section_lines",
    "section_list",
    "sections_awaiting_second_entry",
    "signer_list_rows",
]
