"""Logging filters for the server console."""

import logging


class OneLineRefusals(logging.Filter):
    """A refused request (a 4xx: 403 for a page not open to a role, 400 for a bad request) is
    expected and normal: log its one line, without the traceback Django attaches (it logs
    PermissionDenied and SuspiciousOperation with exc_info), which filled the console with a
    screenful of Python for every refusal. 5xx keep their tracebacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
