"""The registrar's results pages: importing through the page, the comparison, the challenge
list and its CSV, and the examination clock on the dashboard."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from petitions.models import Line, Petition, RegistrarLine, RegistrarResult, Section
from recall.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition(db):
    petition = Petition.objects.create(title="Recall", slug="rec", required_signatures=3)
    section = Section.objects.create(petition=petition, serial=1)
    voter = {
        "voter_id": "77",
        "name": "Ana Ruiz",
        "address": "1 A St",
        "city": "X",
        "registration": "A",
        "score": 1.0,
        "fields": {
            "surname": "exact",
            "first": "exact",
            "number": "agree",
            "street": "exact",
            "city": "exact",
        },
    }
    for number, status in enumerate(["valid", "valid", "not_registered"], start=1):
        Line.objects.create(
            petition=petition,
            section=section,
            number=number,
            status=status,
            score=1.0,
            printed_name=f"Signer {number}",
            residence_address="1 A St",
            voter_registrant_id=str(76 + number) if status == "valid" else "",
            reason={
                "rule": "match" if status == "valid" else "not_found",
                "summary": "name exact",
                "candidates": [voter],
            },
        )
    return petition


def upload(client, kind, text, **extra):
    data = {
        "kind": kind,
        "as_of": timezone.localdate().strftime("%m/%d/%Y"),
        "file": SimpleUploadedFile(f"{kind}.csv", text.encode(), "text/csv"),
        **extra,
    }
    return client.post(reverse("petitions:registrar_import", args=["rec"]), data)


def test_an_organizer_imports_results_and_sees_them_beside_ours(login, organizer, petition):
    client = login(organizer)
    assert upload(client, "raw", "raw_count\n3\n").status_code == 302
    response = upload(client, "sample", "category,count\nValid,2\nNot Registered,1\n")
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:registrar", args=["rec"])
    result = RegistrarResult.objects.get(kind="sample")
    assert (result.counts, result.imported_by) == ({"valid": 2, "not_registered": 1}, organizer)
    page = client.get(reverse("petitions:registrar", args=["rec"])).content.decode()
    assert 'id="sample-projection"' in page
    assert 'id="sample-categories"' in page
    assert 'id="raw-filed"' not in page  # no section marked filed: nothing to say
    petition.sections.update(filed_on=timezone.localdate())
    page = client.get(reverse("petitions:registrar", args=["rec"])).content.decode()
    assert "Of them, 3 were on the sections marked filed by then" in page
    assert (
        upload(
            client,
            "lines",
            "section,line,status\n1,1,Valid\n1,2,Not Registered\n1,3,Not Registered\n",
        ).status_code
        == 302
    )
    page = client.get(reverse("petitions:registrar", args=["rec"])).content.decode()
    assert 'id="confusion"' in page
    assert 'id="acc-agreement">66.7%' in page  # 2 of 3 agree
    assert 'id="acc-precision">50.0%' in page  # of our 2 valid, 1 the registrar's
    challenges = client.get(reverse("petitions:registrar_challenges", args=["rec"]))
    assert 'data-rank="1"' in challenges.content.decode()
    assert len(challenges.context["challenges"]) == 1


def test_a_bad_file_is_shown_on_the_form_and_nothing_is_kept(login, organizer, petition):
    client = login(organizer)
    response = upload(client, "lines", "section,line,status\n1,1,Valid\n1,9,Valid\n")
    assert response.status_code == 400
    assert "row 3, line: section 1 has no line 9" in response.content.decode()
    assert not RegistrarResult.objects.exists()
    assert not RegistrarLine.objects.exists()
    response = upload(client, "sample", "category,count\nFraud,2\n")
    assert "known names: Valid, Not Registered" in response.content.decode()


def test_the_pages_are_the_organizers(login, volunteer, reviewer, petition):
    for user in (volunteer, reviewer):
        client = login(user)
        assert client.get(reverse("petitions:registrar", args=["rec"])).status_code == 403
        assert upload(client, "raw", "raw_count\n3\n").status_code == 403
    assert not RegistrarResult.objects.exists()


def test_wrong_methods_are_refused(login, organizer, petition):
    client = login(organizer)
    assert client.post(reverse("petitions:registrar", args=["rec"])).status_code == 405
    assert client.post(reverse("petitions:registrar_challenges", args=["rec"])).status_code == 405


def test_anonymous_visitors_are_sent_to_log_in(client, petition):
    response = client.get(reverse("petitions:registrar_challenges", args=["rec"]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_challenge_csv_is_recorded(login, organizer, petition):
    client = login(organizer)
    upload(client, "lines", "section,line,status\n1,1,Valid\n1,2,Not Registered\n1,3,Valid\n")
    response = client.get(reverse("petitions:registrar_challenges_csv", args=["rec"]))
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert rows[0].startswith("rank,section,line,printed_name")
    assert rows[1].startswith("1,1,2,Signer 2")
    assert len(rows) == 2
    assert AuditEvent.objects.filter(action="download", target__contains="challenge").exists()


def test_the_dashboard_counts_the_examinations_days(login, organizer, petition):
    client = login(organizer)
    today = timezone.localdate()
    page = client.get(reverse("petitions:dashboard", args=["rec"])).content.decode()
    assert 'id="registrar-link"' in page
    assert 'id="examination-clock"' not in page
    certified = today - timedelta(days=10)
    upload(client, "full", "category,count\nValid,2\n", certified_on=certified.strftime("%m/%d/%Y"))
    page = client.get(reverse("petitions:dashboard", args=["rec"])).content.decode()
    assert 'id="examination-days">50 days left' in page
    assert "the county's costs are the proponents' now" in page  # past 5 business days
    progress = client.get(reverse("petitions:progress", args=["rec"])).json()
    assert progress["examination"]["days_left"] == 50
    assert progress["examination"]["starts_on"] == certified.isoformat()
    assert date.fromisoformat(progress["examination"]["last_day"]) == certified + timedelta(59)


def test_the_pages_query_counts_do_not_grow_with_lines(
    login, organizer, petition, django_assert_num_queries
):
    client = login(organizer)
    for kind, text in (
        ("raw", "raw_count\n3\n"),
        ("sample", "category,count\nValid,2\n"),
        ("full", "category,count\nValid,2\n"),
        ("lines", "section,line,status\n1,1,Valid\n1,2,Not Registered\n"),
    ):
        upload(client, kind, text)
    registrar = reverse("petitions:registrar", args=["rec"])
    challenges = reverse("petitions:registrar_challenges", args=["rec"])
    # The user, the petition, the latest result of each kind (4), our tallies, repeat signers
    # and filed lines on each date (3 x 3), the matrix, the differing lines (2), every import.
    with django_assert_num_queries(19):
        client.get(registrar)
    # Again: the matrix and the differing lines (3 queries) from the cache.
    with django_assert_num_queries(16):
        client.get(registrar)
    with django_assert_num_queries(4):  # the user, the petition, the result, its challenges
        client.get(challenges)
    section = Section.objects.get(petition=petition)
    Line.objects.bulk_create(
        Line(
            petition=petition,
            section=section,
            number=n,
            status="valid",
            score=1.0,
            reason={"rule": "match", "candidates": []},
        )
        for n in range(4, 40)
    )
    body = "".join(f"1,{n},Not Registered\n" for n in range(4, 40))
    upload(client, "lines", "section,line,status\n1,1,Valid\n" + body)
    with django_assert_num_queries(19):
        client.get(registrar)
    with django_assert_num_queries(4):
        response = client.get(challenges)
    assert len(response.context["challenges"]) == 36


def test_the_challenge_page_lists_the_strongest_and_the_csv_all(
    login, organizer, petition, monkeypatch
):
    monkeypatch.setattr("petitions.views.registrar.CHALLENGES_SHOWN", 1)
    client = login(organizer)
    upload(client, "lines", "section,line,status\n1,1,Not Registered\n1,2,Duplicate\n")
    response = client.get(reverse("petitions:registrar_challenges", args=["rec"]))
    body = response.content.decode()
    assert body.count("data-rank=") == 1
    assert "The strongest 1 are listed here" in body
    assert "2 lines in 1 sections" in body
    csv_response = client.get(reverse("petitions:registrar_challenges_csv", args=["rec"]))
    assert len(b"".join(csv_response.streaming_content).decode().splitlines()) == 3
