"""The admin page's import runs on a real Celery worker through the real broker."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.voters.factories import many, write_canonical
from voters.models import Voter, VoterRoll

pytestmark = pytest.mark.worker


def test_uploaded_roll_is_imported_by_a_worker(
    client, admin_user, celery_worker_process, tmp_path, settings
):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    path = write_canonical(tmp_path / "roll.csv", many(500))
    client.force_login(admin_user)
    upload = SimpleUploadedFile("roll.csv", path.read_bytes(), content_type="text/csv")
    response = client.post(
        reverse("voters:roll-import"),
        {"upload": upload, "format": "auto", "max_reject_rate": "0.01", "activate": "on"},
    )
    assert response.status_code == 302
    roll = VoterRoll.objects.get()
    deadline = time.monotonic() + 60
    # Ready comes first, in the import's own commit; activation is the next short transaction.
    while roll.state in ("queued", "importing", "ready") and time.monotonic() < deadline:
        time.sleep(0.2)
        roll.refresh_from_db()
    assert roll.state == "active", roll.error or celery_worker_process.log_path.read_text()
    assert Voter.objects.filter(roll=roll).count() == 500
