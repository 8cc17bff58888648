from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from petitions.models import Line, Petition, Section
from petitions.services import petition_create
from petitions.services.petitions import petition_slug_for
from recall.models import AuditEvent

pytestmark = pytest.mark.django_db

LIST = reverse("petitions:list")


def export_url(slug="la-da"):
    return reverse("petitions:export", args=[slug])


def add_lines(petition, statuses, serial=1):
    section, _ = Section.objects.get_or_create(petition=petition, serial=serial)
    start = section.lines.count()
    Line.objects.bulk_create(
        Line(petition=petition, section=section, number=start + n, status=status,
             printed_name=f"Signer {start + n}")
        for n, status in enumerate(statuses, start=1)
    )  # fmt: skip


@pytest.fixture
def petition(db):
    petition = petition_create(
        title="Recall the DA", slug="la-da", registration_base=5_668_570,
        approved_on=date(2022, 1, 27),
    )  # fmt: skip
    add_lines(petition, ["valid", "valid", "pending", "duplicate", "not_registered",
                         "not_registered", "needs_review"])  # fmt: skip
    return petition


def test_the_list_shows_required_deadline_and_line_counts(login, organizer, petition):
    other = petition_create(title="Recall the Sheriff", slug="sheriff", required=10)
    response = login(organizer).get(LIST)
    assert response.status_code == 200
    shown = {p.slug: p for p in response.context["petitions"]}
    da = shown["la-da"]
    assert (da.lines_total, da.lines_valid, da.lines_pending, da.lines_needs_review) == (7, 2, 1, 1)
    assert da.lines_invalid == 3
    assert da.invalid_counts == [("Not registered", 2), ("Duplicate", 1)]
    assert (shown["sheriff"].lines_total, shown["sheriff"].lines_invalid) == (0, 0)
    assert other.pk == shown["sheriff"].pk
    html = response.content.decode()
    for text in ("Recall the DA", "Recall the Sheriff", "566,857", "July 6, 2022"):
        assert text in html
    assert "Not registered: 2" in html
    assert export_url() in html


def test_volunteers_see_the_list_without_the_export_link(login, volunteer, petition):
    response = login(volunteer).get(LIST)
    assert response.status_code == 200
    assert "Recall the DA" in response.content.decode()
    assert export_url() not in response.content.decode()


def test_the_list_says_when_there_is_no_petition(login, organizer):
    response = login(organizer).get(LIST)
    assert response.status_code == 200
    assert "No petition yet" in response.content.decode()


def test_the_list_query_count_does_not_grow_with_petitions(
    login, organizer, petition, django_assert_num_queries
):
    client = login(organizer)
    client.get(LIST)  # warm up: the session and the user's permissions come from the cache
    # The user and the petitions.
    with django_assert_num_queries(2):
        client.get(LIST)
    for n in range(5):
        other = petition_create(title=f"Other {n}", slug=f"other-{n}", required=10)
        add_lines(other, ["valid", "pending"], serial=1)
        add_lines(other, ["duplicate"], serial=2)
    with django_assert_num_queries(2):
        response = client.get(LIST)
    assert len(response.context["petitions"]) == 6


def test_organizer_downloads_the_export(login, organizer, petition):
    response = login(organizer).get(export_url())
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="la-da-signatures.csv"'
    assert response["Cache-Control"] == "no-store"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == ("section,line,printed_name,status,voter_id,score,reason,"
                        "residence_address,city,zip,signed,circulator,date_signed")  # fmt: skip
    assert lines[1:3] == ["1,1,Signer 1,valid,,,,,,,yes,,", "1,2,Signer 2,valid,,,,,,,yes,,"]
    assert len(lines) == 8


def test_admin_downloads_the_export(login, admin_user, petition):
    response = login(admin_user).get(export_url())
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).splitlines()) == 8


def test_the_export_neutralises_formulas(login, organizer, petition):
    Line.objects.filter(number=1).update(printed_name='=HYPERLINK("http://x")')
    response = login(organizer).get(export_url())
    content = b"".join(response.streaming_content).decode()
    assert '1,1,"\'=HYPERLINK(""http://x"")",valid' in content


def test_the_export_of_an_unknown_petition_is_404(login, organizer, db):
    assert login(organizer).get(export_url("nope")).status_code == 404


@pytest.mark.parametrize("persona", ["volunteer", "reviewer", "outsider"])
def test_only_organizers_and_admins_export(request, login, persona, petition):
    response = login(request.getfixturevalue(persona)).get(export_url())
    assert response.status_code == 403


def test_outsiders_cannot_see_the_list(login, outsider):
    assert login(outsider).get(LIST).status_code == 403


@pytest.mark.parametrize("url", [LIST, export_url()])
def test_anonymous_is_sent_to_login(client, url, db):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [LIST, export_url()])
def test_posting_is_405(login, admin_user, petition, url):
    assert login(admin_user).post(url).status_code == 405


# A new petition -----------------------------------------------------------------------------

NEW = reverse("petitions:new")


def test_an_organizer_creates_a_petition_from_the_registration_base(login, organizer):
    client = login(organizer)
    assert b'id="new-petition"' in client.get(LIST).content
    response = client.post(NEW, {"title": "Recall of the DA", "slug": "recall-da",
                                 "jurisdiction": "Los Angeles County",
                                 "registration_base": "5,668,570".replace(",", ""),
                                 "approved_on": "2026-01-05", "double_entry": "on"})  # fmt: skip
    assert response.status_code == 302
    petition = Petition.objects.get(slug="recall-da")
    assert (petition.required_signatures, petition.double_entry, petition.created_by) == (
        566_857, True, organizer,
    )  # fmt: skip
    assert petition.deadline == date(2026, 6, 14)  # approval + 160 days
    assert "566,857 valid signatures required" in client.get(LIST).content.decode()
    event = AuditEvent.objects.get(action="petition_created")
    assert (event.user, event.target, event.detail) == (
        organizer, "petition recall-da",
        {"required": 566_857, "registration_base": 5_668_570, "deadline": "2026-06-14",
         "double_entry": True},
    )  # fmt: skip


def test_a_petition_without_a_short_name_gets_one_from_its_title(login, organizer, petition):
    client = login(organizer)
    page = client.get(NEW).content.decode()
    assert 'name="slug_from_title"' in page
    assert "js/petition_new.js" in page
    data = {
        "title": "Recall of the Sheriff, Ávila",
        "jurisdiction": "LA",
        "required_signatures": "5",
    }
    assert client.post(NEW, data).status_code == 302
    # The script's flag: the short name it filled follows the title, so a taken one gets -2, -3.
    flagged = {**data, "slug": "recall-of-the-sheriff-avila", "slug_from_title": "True"}
    assert client.post(NEW, flagged).status_code == 302
    assert client.post(NEW, flagged).status_code == 302
    # Typed by the organizer (no flag): theirs, refused when taken.
    typed = {**data, "slug": "recall-of-the-sheriff-avila"}
    assert client.post(NEW, typed).status_code == 400
    assert list(
        Petition.objects.filter(title=data["title"]).order_by("pk").values_list("slug", flat=True)
    ) == ["recall-of-the-sheriff-avila", "recall-of-the-sheriff-avila-2",
          "recall-of-the-sheriff-avila-3"]  # fmt: skip


@pytest.mark.parametrize(
    ("title", "taken", "slug"),
    [
        ("Recall the DA", [], "recall-the-da"),
        ("Recall the DA", ["recall-the-da", "recall-the-da-2"], "recall-the-da-3"),
        ("Recall the DA", ["recall-the-da-2"], "recall-the-da"),
        ("¡¿…?!", [], "petition"),
        ("¡¿…?!", ["petition"], "petition-2"),
        ("W" * 100, ["w" * 80], "w" * 78 + "-2"),  # at most 80 characters, suffix included
    ],
)
def test_petition_slug_for_is_unique(db, title, taken, slug):
    for n, existing in enumerate(taken):
        petition_create(title=f"Taken {n}", slug=existing, required=5)
    assert petition_slug_for(title) == slug


def test_a_short_name_taken_between_the_check_and_the_insert(monkeypatch, db):
    """A slug made from the title that another request took meanwhile is made again; one the
    organizer gave is refused on its field."""
    from petitions.services import petitions as service

    petition_create(title="Recall the DA", slug="recall-the-da", required=5)
    real, calls = service.petition_slug_for, []

    def racing(title):  # the first look misses the petition just created
        calls.append(title)
        return "recall-the-da" if len(calls) == 1 else real(title)

    monkeypatch.setattr(service, "petition_slug_for", racing)
    filter_ = Petition.objects.filter
    monkeypatch.setattr(Petition.objects, "filter", _misses_first(filter_))
    assert petition_create(title="Recall the DA", required=5).slug == "recall-the-da-2"
    assert len(calls) == 2
    monkeypatch.setattr(Petition.objects, "filter", _misses_first(filter_))
    with pytest.raises(ValidationError) as refused:
        petition_create(title="Other", slug="recall-the-da", required=5)
    assert "already used" in str(refused.value.message_dict["slug"])


def _misses_first(filter_):
    """Petition.objects.filter whose first answer is empty: the check before the insert."""
    seen = []

    def filter_once(*args, **kwargs):
        seen.append(1)
        return Petition.objects.none() if len(seen) == 1 else filter_(*args, **kwargs)

    return filter_once


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "X", "slug": "x"}, "required_signatures", "give the required signatures"),
        ({"title": "X", "slug": "bad slug!", "required_signatures": "5"}, "slug", "valid “slug”"),
        ({"title": "", "slug": "x", "required_signatures": "5"}, "title", "required"),
        ({"title": "", "required_signatures": "5"}, "title", "required"),
        ({"title": "X", "slug": "x", "required_signatures": "5", "approved_on": "2026-05-01",
          "deadline": "2026-04-01"}, "deadline", "is before the approval day"),
        ({"title": "X", "slug": "la-da", "required_signatures": "5"}, "slug", "already used"),
    ],
)  # fmt: skip
def test_a_bad_petition_is_refused_on_its_field(login, organizer, petition, data, field, message):
    before = Petition.objects.count()
    response = login(organizer).post(NEW, {"jurisdiction": "LA", **data})
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert Petition.objects.count() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"approved_on": "9999-10-01"}, "approved_on"),  # its default deadline would overflow
        ({"approved_on": "0226-01-05"}, "approved_on"),  # a typo year
        ({"approved_on": "2026-01-05", "deadline": "9999-12-31"}, "deadline"),
        ({"approved_on": "2026-01-05", "deadline": "2028-01-05"}, "deadline"),  # two years on
        ({"deadline": "0226-06-14"}, "deadline"),
    ],
)
def test_implausible_petition_dates_are_refused_on_their_field(login, organizer, data, field):
    response = login(organizer).post(NEW, {"title": "X", "slug": "x", "jurisdiction": "LA",
                                           "registration_base": "5668570", **data})  # fmt: skip
    assert response.status_code == 400
    errors = str(response.context["form"].errors[field])
    assert "is not plausible: give a day from" in errors
    assert "(check the year)" in errors
    assert not Petition.objects.exists()


@pytest.mark.parametrize("field", ["title", "officer", "jurisdiction"])
def test_a_petition_title_with_invisible_characters_is_refused(login, organizer, field):
    data = {"title": "Recall", "slug": "x", "jurisdiction": "LA", "required_signatures": "5",
            field: "Recall \u202eAD eht\u202c"}  # fmt: skip
    response = login(organizer).post(NEW, data)
    assert response.status_code == 400
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in str(response.context["form"].errors[field])
    assert not Petition.objects.exists()


def test_the_export_carries_no_invisible_characters(login, organizer, petition):
    Line.objects.filter(number=1).update(printed_name="\u202eANA GOMEZ")
    Line.objects.filter(number=2).update(printed_name="\u200b=1+1\ufeff")
    content = b"".join(login(organizer).get(export_url()).streaming_content).decode()
    assert "1,1,ANA GOMEZ,valid" in content
    assert "1,2,'=1+1,valid" in content
    assert not any(c in content for c in "\u202e\u200b\ufeff")


@pytest.mark.parametrize("persona", ["volunteer", "reviewer", "outsider"])
def test_only_organizers_and_admins_create_petitions(request, login, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(NEW).status_code == 403
    assert (
        client.post(NEW, {"title": "X", "slug": "x", "required_signatures": "5"}).status_code == 403
    )
    assert b'id="new-petition"' not in client.get(LIST).content
