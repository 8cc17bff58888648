"""Fixtures for the scans tests: a petition with scanned pages written through the scans storage
(cleaned up after each test), and Celery tasks of the scans app run in the test's own thread."""

import pytest

from petitions.models import Section
from petitions.services import petition_create
from recall.celery import app as celery_app
from tests.scans.pages import remove_scan_files


@pytest.fixture
def scan_files():
    """Remove the files the test stored for its petitions (pages, line images, references)."""
    petitions: list[int] = []
    yield petitions
    for petition_id in petitions:
        remove_scan_files(petition_id)


@pytest.fixture
def scan_petition(db, scan_files):
    petition = petition_create(title="Recall the Mayor", slug="mayor", required=100)
    scan_files.append(petition.pk)
    return petition


@pytest.fixture
def scan_section(scan_petition):
    return Section.objects.create(petition=scan_petition, serial=7, circulator_name="Ana Ruiz")


@pytest.fixture
def eager_tasks(monkeypatch):
    """A task queued on commit runs at once, in this thread (scans.tasks once it exists)."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)
