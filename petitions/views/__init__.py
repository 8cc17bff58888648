"""The petitions app's pages, by concept; urls.py reads them from here."""

from petitions.views.entry import (
    line_add,
    line_edit,
    line_hint_view,
    second_detail,
    second_entry_begin,
    second_line_add,
    section_detail,
)
from petitions.views.petitions import (
    export,
    petition_county_votes,
    petition_double_entry,
    petition_list_view,
    petition_new,
    signer_list,
)
from petitions.views.progress import (
    calibration,
    dashboard,
    progress_json,
    thirty_day_reports,
    thirty_day_reports_csv,
)
from petitions.views.review import (
    event_undo_view,
    review_decisions_view,
    review_line,
    review_queue_view,
    review_skip,
    transcription_settle,
)
from petitions.views.sections import (
    second_next_view,
    section_assign_view,
    section_list_view,
    section_new,
    section_next_view,
)
from petitions.views.suspects import (
    section_hold_view,
    section_release_view,
    sections_file_view,
    suspects_csv,
    suspects_view,
)

__all__ = [
    "calibration",
    "dashboard",
    "event_undo_view",
    "export",
    "line_add",
    "line_edit",
    "line_hint_view",
    "petition_county_votes",
    "petition_double_entry",
    "petition_list_view",
    "petition_new",
    "progress_json",
    "review_decisions_view",
    "review_line",
    "review_queue_view",
    "review_skip",
    "second_detail",
    "second_entry_begin",
    "second_line_add",
    "second_next_view",
    "section_assign_view",
    "section_detail",
    "section_hold_view",
    "section_list_view",
    "section_new",
    "section_next_view",
    "section_release_view",
    "sections_file_view",
    "signer_list",
    "suspects_csv",
    "suspects_view",
    "thirty_day_reports",
    "thirty_day_reports_csv",
    "transcription_settle",
]
