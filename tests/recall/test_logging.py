"""What the server console prints for requests that are refused."""

import io
import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    """The console handler of settings.LOGGING, writing into a buffer for the test."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def test_a_refused_page_logs_one_line_without_a_traceback(login, volunteer, console, caplog):
    response = login(volunteer).get(reverse("voters:roll-list"))
    assert response.status_code == 403
    lines = console.getvalue().splitlines()
    refusals = [line for line in lines if "Forbidden" in line]
    assert len(refusals) == 1, lines
    assert "/voters/" in refusals[0]
    assert "Traceback" not in console.getvalue()
    assert "PermissionDenied" not in console.getvalue()
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.exc_info is None


def test_a_server_error_keeps_its_traceback(console):
    logger = logging.getLogger("django.request")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logger.error("Internal Server Error: /x", exc_info=True, extra={"status_code": 500})
    assert "Traceback" in console.getvalue()
    assert "RuntimeError: boom" in console.getvalue()
