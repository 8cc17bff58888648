"""Workers killed mid-batch and a broker that loses its queue: every line still ends validated,
exactly once, with the decision an undisturbed run gives."""

import signal
import time
from collections import Counter
from datetime import timedelta

import pytest
import redis
from django.core.management import call_command
from django.db.models import Count

from petitions.models import Line, Petition, Section
from petitions.progress import tallies_reconcile
from petitions.validation import pending_lines_sweep, petition_validate_pending, validation_enqueue
from tests.faults.conftest import celery, kill_group, say, spawn, start_worker, wait_for
from tests.voters.factories import many, write_canonical

pytestmark = [pytest.mark.faults, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

VOTERS = 2_000
SIGNATURES_EACH = 3  # every voter signs three times: one line counts, two are duplicates


def petition_with_lines(slug: str) -> Petition:
    petition = Petition.objects.create(title=slug, slug=slug, required_signatures=100)
    section = Section.objects.create(petition=petition, serial=1)
    Line.objects.bulk_create(
        Line(petition=petition, section=section, number=n + 1,
             printed_name=f"Maria Surname{(n % VOTERS) % 97}",
             residence_address=f"{100 + n % VOTERS} N Main St", city="Los Angeles")
        for n in range(VOTERS * SIGNATURES_EACH)
    )  # fmt: skip
    return petition


def decided(petition: Petition) -> int:
    return Line.objects.filter(petition=petition).exclude(status="pending").count()


def outcome(petition: Petition) -> tuple[dict, Counter]:
    """Each line's voter and status, and the lines counted per voter. Which of a voter's lines
    counts depends on the order workers happen to decide them (the registrar counts any one):
    a valid line and its duplicates are compared as one group."""
    lines = Line.objects.filter(petition=petition).values_list(
        "number", "status", "counted", "voter_registrant_id"
    )
    same = {"valid": "counted once", "duplicate": "counted once"}
    per_line = {number: (voter, same.get(status, status)) for number, status, _, voter in lines}
    counted = Counter(voter for _, _, was_counted, voter in lines if was_counted)
    return per_line, counted


def check_exactly_once(petition: Petition) -> None:
    """Every line decided; no voter counted twice; the same decisions as an undisturbed run;
    the dashboard's tallies agree with the lines."""
    lines = Line.objects.filter(petition=petition)
    assert not lines.filter(status="pending").exists()
    assert not lines.filter(validated_at__isnull=True).exists()
    twice = (
        lines.filter(counted=True).values("voter_registrant_id").annotate(n=Count("id"))
        .filter(n__gt=1)
    )  # fmt: skip
    assert not twice.exists()
    control = petition_with_lines(f"{petition.slug}-control")
    while petition_validate_pending(petition_id=control.pk):
        pass
    # The workers still run, and the scheduler's sweep may have sent them the control petition
    # too: a batch they hold is skipped above, so wait for it.
    wait_for(lambda: decided(control) == lines.count(), 60, "the control run")
    (lines_seen, counted), (control_lines, control_counted) = outcome(petition), outcome(control)
    assert lines_seen == control_lines
    assert counted == control_counted  # every voter counted once, the same voters
    statuses = Counter(lines.values_list("status", flat=True))
    say(f"checked: {len(lines):,} lines decided, none pending, {statuses['valid']:,} valid and "
        f"{statuses['duplicate']:,} duplicates, no voter counted twice, the same decisions as an "
        "undisturbed run")  # fmt: skip
    assert statuses["valid"] == VOTERS
    drift = tallies_reconcile()
    assert not drift, drift
    say("checked: the dashboard's tallies match a full count of the lines (no drift)")


@pytest.fixture
def roll(tmp_path):
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", many(VOTERS))))


def test_a_worker_killed_in_the_middle_of_a_batch(roll, tmp_path, processes):
    petition = petition_with_lines("killed")
    total = Line.objects.filter(petition=petition).count()
    worker = start_worker(tmp_path / "worker-1.log", "doomed")
    processes.append(worker)
    validation_enqueue(petition_id=petition.pk)
    wait_for(lambda: decided(petition) > 0, 60, "the first batch")
    kill_group(worker, signal.SIGKILL)  # the main process and its children, mid-batch
    at_kill = decided(petition)
    say(f"killed worker {worker.pid} (SIGKILL, whole process group) with {at_kill:,} of "
        f"{total:,} lines decided")  # fmt: skip
    assert at_kill < total, "the worker finished before the kill: give it more lines"
    time.sleep(1)
    assert decided(petition) == at_kill  # nothing half-written after the kill

    processes.append(start_worker(tmp_path / "worker-2.log", "survivor"))
    sent = pending_lines_sweep(stale_after=timedelta(0))
    say(f"a new worker started; the sweep sent workers again to petitions {sent}")
    assert sent == [petition.pk]
    wait_for(lambda: decided(petition) == total, 120, "the pending lines", interval=0.5)
    check_exactly_once(petition)


def test_the_broker_restarted_and_its_queue_lost(roll, tmp_path, processes, private_redis):
    petition = petition_with_lines("lost-queue")
    total = Line.objects.filter(petition=petition).count()
    # The sweep, on a short fuse for the test: every second, for lines pending over a second.
    broker = {"REDIS_URL": private_redis["url"], "VALIDATION_SWEEP_SECONDS": "1",
              "VALIDATION_STALE_SECONDS": "1"}  # fmt: skip
    log = tmp_path / "celery.log"
    # Validation is queued while no worker runs: the messages wait in Redis.
    send = spawn(celery("call", "petitions.tasks.validate_pending", "--args", f"[{petition.pk}]"),
                 log, **broker)  # fmt: skip
    assert send.wait(timeout=60) == 0, log.read_text()
    client = redis.Redis(port=private_redis["port"])
    assert client.llen("default") == 1
    say(f"queued the validation of {total:,} lines in a private Redis (1 message waiting)")

    private_redis["stop"]()
    private_redis["start"]()
    assert client.llen("default") == 0
    say("restarted Redis: the queue is gone (it keeps nothing on disk)")

    processes.append(start_worker(tmp_path / "worker.log", "after-restart", **broker))
    time.sleep(3)
    assert decided(petition) == 0
    say("a worker on the restarted broker has nothing to do: every line is still pending")

    # Now the scheduler: its sweep sends the workers again.
    beat = celery("beat", "--schedule", str(tmp_path / "beat-schedule"), "--loglevel", "INFO")
    processes.append(spawn(beat, tmp_path / "beat.log", **broker))
    wait_for(lambda: decided(petition) == total, 120, "the swept lines", interval=0.5)
    say("the scheduler's sweep re-sent the work; the worker decided every line")
    check_exactly_once(petition)
