"""Redis unreachable (the cache pointed at a port nobody listens on): signed-in pages, saves and
hints answer from the database, with a banner; the fault test (tests/faults/test_redis_outage.py)
stops a real Redis under a running server and workers."""

import socket
import time
import uuid

import pytest
from django.urls import reverse

import recall.cache
from petitions.models import Line, Petition, Section
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
BANNER = "Live checks are paused: the queue service is unreachable"


@pytest.fixture
def redis_unreachable(settings):
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    default = settings.CACHES["default"]
    settings.CACHES = {"default": {**default, "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    yield
    recall.cache._down_until = 0.0  # this process forgets the outage for the next tests


def test_signed_in_pages_saves_and_hints_work_while_redis_is_unreachable(
    client, volunteer, redis_unreachable, django_capture_on_commit_callbacks
):
    petition = Petition.objects.create(title="Blink", slug="blink", required_signatures=10)
    Section.objects.create(petition=petition, serial=1, entered_by=volunteer)
    logged_in = client.post(reverse("login"), {"username": volunteer.username,
                                                "password": PASSWORD})  # fmt: skip
    assert logged_in.status_code == 302  # the session goes to the database alone
    assert logged_in.url == reverse("home")
    page = reverse("petitions:section", args=["blink", 1])
    started = time.monotonic()
    for url in (page, reverse("petitions:list"), reverse("home")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert BANNER in response.content.decode(), url
    line = {"printed_name": "Maria Lopez", "residence_address": "12 Oak Ave", "city": "Glendale",
            "signed": "on", "client_token": str(uuid.uuid4())}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(reverse("petitions:line_add", args=["blink", 1]), line,
                            HTTP_HX_REQUEST="true")  # fmt: skip
    assert saved.status_code == 200, saved.content.decode()[:2000]
    assert Line.objects.get(section__petition=petition).status == "pending"  # the sweep's, later
    hint = client.get(reverse("petitions:hint", args=["blink", 1]),
                      {k: v for k, v in line.items() if k != "client_token"})  # fmt: skip
    assert hint.status_code == 200
    assert 'data-outcome="paused"' in hint.content.decode()
    assert time.monotonic() - started < 5  # a refused connection now and then, no waits
