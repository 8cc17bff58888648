"""Redis stopped while volunteers key lines: the app keeps working from the database (sessions,
permissions, saves), says what is paused, and catches up when Redis is back."""

import sys
import time
import uuid

import pytest
import requests
from django.core.management import call_command

from petitions.models import Line, Petition, Section
from tests.faults.conftest import celery, free_port, say, spawn, start_worker, wait_for
from tests.faults.test_database_and_web import _answers, csrf_session
from tests.voters.factories import many, write_canonical

pytestmark = [pytest.mark.faults, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BANNER = "Live checks are paused: the queue service is unreachable"


def line(n: int) -> dict[str, str]:
    """A line that matches voter n of tests.voters.factories.many()."""
    return {"printed_name": f"Maria Surname{(n - 1) % 97}",
            "residence_address": f"{100 + n - 1} N Main St", "city": "Los Angeles",
            "signed": "on", "client_token": str(uuid.uuid4())}  # fmt: skip


def test_volunteers_keep_saving_while_redis_is_down(tmp_path, volunteer, private_redis,
                                                    processes):  # fmt: skip
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", many(50))))
    petition = Petition.objects.create(title="Blink", slug="blink", required_signatures=10)
    section = Section.objects.create(petition=petition, serial=1, entered_by=volunteer)
    # Everything on the test's own Redis; the sweep on a short fuse, as in the broker test.
    env = {"REDIS_URL": private_redis["url"], "VALIDATION_SWEEP_SECONDS": "2",
           "VALIDATION_STALE_SECONDS": "2", "VALIDATION_GATHER_MS": "0"}  # fmt: skip
    port = free_port()
    processes.append(spawn([sys.executable, "-m", "gunicorn", "recall.wsgi", "--workers", "2",
                            "--bind", f"127.0.0.1:{port}"], tmp_path / "gunicorn.log",
                           DEBUG="false", **env))  # fmt: skip
    processes.append(start_worker(tmp_path / "worker.log", "outage", **env))
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: _answers(f"{base}/healthz"), 60, "gunicorn")
    session = csrf_session(base, volunteer)
    page_url = f"{base}/petitions/blink/sections/1/"
    headers = {"HX-Request": "true", "X-CSRFToken": session.cookies["csrftoken"],
               "Referer": page_url}  # fmt: skip

    def save(n: int) -> requests.Response:
        started = time.monotonic()
        answer = session.post(f"{page_url}lines", data=line(n), headers=headers, timeout=30)
        assert time.monotonic() - started < 3, "a save waited on the dead Redis"
        return answer

    def hint(n: int) -> requests.Response:
        fields = {k: v for k, v in line(n).items() if k != "client_token"}
        return session.get(f"{page_url}hint", params=fields, headers=headers, timeout=30)

    assert save(1).status_code == 200
    wait_for(lambda: not Line.objects.filter(section=section, status="pending").exists(), 60,
             "the first line's validation")  # fmt: skip
    assert BANNER not in session.get(page_url, timeout=30).text
    assert 'data-outcome="paused"' not in hint(2).text
    say("a volunteer logged in, saved a line (validated by the worker); no banner, hints answer")

    private_redis["stop"]()
    say("stopped the private Redis (cache, sessions' cache, broker)")
    answers = [save(n) for n in range(2, 12)]
    assert [a.status_code for a in answers] == [200] * 10, answers[-1].text[:2000]
    stored = Line.objects.filter(section=section).order_by("number")
    assert list(stored.values_list("number", flat=True)) == list(range(1, 12))
    assert stored.filter(status="pending").count() == 10
    say("10 saves answered 200 within 3 s each and stored (pending) while Redis was down")
    for url in (page_url, f"{base}/petitions/", f"{base}/"):
        page = session.get(url, timeout=30)
        assert page.status_code == 200, (url, page.text[:2000])
        assert BANNER in page.text, url
    paused = hint(12)
    assert paused.status_code == 200
    assert 'data-outcome="paused"' in paused.text
    healthz = requests.get(f"{base}/healthz", timeout=30)
    assert healthz.status_code == 503
    say(
        "the section, petitions and home pages answered 200 with the banner; the hint says "
        "look-ups are paused; /healthz says 503"
    )

    private_redis["start"]()
    beat = celery("beat", "--schedule", str(tmp_path / "beat-schedule"), "--loglevel", "INFO")
    processes.append(spawn(beat, tmp_path / "beat.log", **env))
    say("started Redis again (empty) and the scheduler")
    wait_for(lambda: not stored.filter(status="pending").exists(), 90, "the sweep to catch up",
             interval=0.5)  # fmt: skip
    assert stored.filter(status="valid").count() == 11
    wait_for(lambda: BANNER not in session.get(page_url, timeout=30).text, 30, "the banner to go")
    assert save(12).status_code == 200  # the same login all along
    # Each web process finds Redis back at its next try (a stale pooled connection may cost
    # one paused answer first): hints answer again within seconds.
    wait_for(lambda: 'data-outcome="counts"' in hint(13).text, 30, "hints to answer again")
    say(
        "every line saved during the outage validated (11 valid); the banner gone, the session "
        "kept, hints back"
    )
