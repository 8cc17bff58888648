"""A real Celery worker validates lines sent through the real broker."""

import time

import pytest
from django.core.management import call_command

from petitions.models import Line, Petition, Section
from petitions.validation import validation_enqueue
from tests.voters.factories import many, write_canonical

pytestmark = pytest.mark.worker


def test_worker_validates_pending_lines_end_to_end(celery_worker_process, tmp_path):
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", many(50))))
    petition = Petition.objects.create(title="Worker test", slug="worker", required_signatures=5)
    section = Section.objects.create(petition=petition, serial=1)
    Line.objects.bulk_create(
        Line(petition=petition, section=section, number=i + 1, printed_name=f"Maria Surname{i}",
             residence_address=f"{100 + i} N Main St", city="Los Angeles")
        for i in range(30)
    )  # fmt: skip
    Line.objects.create(petition=petition, section=section, number=31, printed_name="Nobody Here",
                        residence_address="1 Nowhere Rd", city="Los Angeles")  # fmt: skip
    assert validation_enqueue(petition_id=petition.pk) == 1
    deadline = time.monotonic() + 60
    while Line.objects.filter(petition=petition, status="pending").exists():
        assert time.monotonic() < deadline, celery_worker_process.log_path.read_text()
        time.sleep(0.2)
    statuses = dict(Line.objects.filter(petition=petition).values_list("number", "status"))
    assert [statuses[i + 1] for i in range(30)] == ["valid"] * 30
    assert statuses[31] == "not_registered"


@pytest.mark.django_db
def test_saves_while_a_task_is_queued_send_no_other_but_one_started_lets_them(monkeypatch):
    """One task per petition waits in the queue at a time: it will claim every line saved
    before it starts; once it has started, the next save sends a task of its own."""
    from petitions import tasks
    from petitions.validation import validation_request, validation_started

    sent = []
    monkeypatch.setattr(
        tasks.validate_pending,
        "apply_async",
        lambda args, _kwargs, countdown: sent.append((*args, countdown)),
    )
    petition_id = 987_654  # no such petition: only the queue bookkeeping is under test
    validation_started(petition_id=petition_id)
    assert [validation_request(petition_id=petition_id) for _ in range(3)] == [True, False, False]
    validation_started(petition_id=petition_id)  # the worker took it
    assert validation_request(petition_id=petition_id) is True
    # Each starts VALIDATION_GATHER_MS later, to take the lines saved meanwhile in one batch.
    assert sent == [(petition_id, 1.0), (petition_id, 1.0)]
