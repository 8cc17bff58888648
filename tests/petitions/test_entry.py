"""Keying in sections and lines: idempotent saves, clear errors, each volunteer's own sections."""

import re
import uuid
from datetime import date

import pytest
from django.urls import reverse

from petitions.models import Line, Section
from petitions.services import petition_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition(db):
    return petition_create(title="Recall the DA", slug="la-da", required=1000,
                           approved_on=date(2026, 9, 1))  # fmt: skip


def new_section(client, serial=7, **extra):
    data = {"serial": serial, "circulator_name": "Ana Ruiz", "declaration_signed": "on", **extra}
    return client.post(reverse("petitions:section_new", args=["la-da"]), data)


def save_line(client, serial=7, token=None, htmx=True, **fields):
    data = {"printed_name": "Robert Smithers", "residence_address": "12 Oak Ave",
            "city": "Glendale", "zip": "", "signed": "on",
            "client_token": str(token or uuid.uuid4()), **fields}  # fmt: skip
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("petitions:line_add", args=["la-da", serial]), data, headers=headers)


def test_a_volunteer_starts_a_section_and_keys_lines(login, volunteer, petition):
    client = login(volunteer)
    response = new_section(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:section", args=["la-da", 7])
    section = Section.objects.get(petition=petition, serial=7)
    assert (section.entered_by, section.circulator_name) == (volunteer, "Ana Ruiz")

    first = save_line(client)
    second = save_line(client, printed_name="Maria Garcia", residence_address="77 Figueroa St")
    assert (first.status_code, second.status_code) == (200, 200)
    lines = list(section.lines.order_by("number"))
    assert [(ln.number, ln.printed_name, ln.status) for ln in lines] == [
        (1, "Robert Smithers", "pending"), (2, "Maria Garcia", "pending"),
    ]  # fmt: skip
    assert lines[0].entered_by == volunteer
    # The answer holds the refreshed lines and a fresh entry row (a new token, empty fields).
    body = second.content.decode()
    assert "Maria Garcia" in body
    assert 'id="line-2"' in body
    assert str(lines[1].client_token) not in body
    page = client.get(reverse("petitions:section", args=["la-da", 7]))
    assert page.status_code == 200
    assert "Robert Smithers" in page.content.decode()


def test_the_same_save_sent_twice_stores_one_line(login, volunteer, petition):
    client = login(volunteer)
    new_section(client)
    token = uuid.uuid4()
    assert save_line(client, token=token).status_code == 200
    assert save_line(client, token=token).status_code == 200  # a retry after a hiccup
    assert Line.objects.filter(petition=petition).count() == 1


def test_a_serial_already_entered_is_refused_with_a_link_to_it(login, volunteer, petition):
    client = login(volunteer)
    new_section(client)
    response = new_section(client, circulator_name="Someone Else")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Section 7 has already been entered." in body
    assert reverse("petitions:section", args=["la-da", 7]) in body
    assert Section.objects.get(petition=petition, serial=7).circulator_name == "Ana Ruiz"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"printed_name": "", "residence_address": ""}, "printed_name", "Type the printed name"),
        ({"zip": "9OO12"}, "zip", "is not a ZIP code"),
        ({"number": "0"}, "number", "greater than or equal to 1"),
        ({"number": "x"}, "number", "Enter a whole number"),
        ({"client_token": "x"}, "client_token", "reload the page (nothing was saved)"),
    ],
)
def test_bad_lines_get_a_clear_error_and_store_nothing(
    login, volunteer, petition, fields, field, message
):
    client = login(volunteer)
    new_section(client)
    response = save_line(client, **fields)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Line.objects.exists()


def test_a_line_number_already_keyed_is_refused(login, volunteer, petition):
    client = login(volunteer)
    new_section(client)
    save_line(client, number="3", confirm_gap="3")  # lines 1 and 2 left for later
    response = save_line(client, number="3", printed_name="Other Person")
    assert response.status_code == 422
    assert "Line 3 of this section is already entered." in response.content.decode()
    assert Line.objects.get().printed_name == "Robert Smithers"


def test_circulation_cannot_end_before_it_starts(login, volunteer, petition):
    response = new_section(
        login(volunteer), circulated_from="2026-10-02", circulated_to="2026-10-01"
    )
    assert "The circulation cannot end before it starts." in response.content.decode()
    assert not Section.objects.exists()


def test_a_volunteer_cannot_open_another_volunteers_section(
    login, volunteer, organizer, petition, django_user_model
):
    new_section(login(volunteer))
    from recall.roles import VOLUNTEER
    from recall.services import user_create_with_role

    other = user_create_with_role(username="val_other", password="x-Very-long-1", role=VOLUNTEER)
    client = login(other)
    assert client.get(reverse("petitions:section", args=["la-da", 7])).status_code == 404
    assert save_line(client).status_code == 404
    assert not Line.objects.exists()
    # An organizer may open and fix any section.
    client = login(organizer)
    assert client.get(reverse("petitions:section", args=["la-da", 7])).status_code == 200
    assert save_line(client).status_code == 200


def test_reviewers_do_not_key_lines(login, reviewer, petition):
    client = login(reviewer)
    assert client.get(reverse("petitions:section_new", args=["la-da"])).status_code == 403


def test_a_token_already_used_in_another_section_is_refused_on_the_row(login, volunteer, petition):
    client = login(volunteer)
    new_section(client, serial=7)
    new_section(client, serial=8)
    token = uuid.uuid4()
    assert save_line(client, serial=7, token=token).status_code == 200
    response = save_line(client, serial=8, token=token, printed_name="Maria Garcia")
    assert response.status_code == 422
    body = response.content.decode()
    assert "already saved line 1 of section 7" in body
    assert 'id="line-entry"' in body  # the entry row, with the message in it
    assert not Line.objects.filter(section__serial=8).exists()
    assert list(Line.objects.values_list("section__serial", "printed_name")) == [
        (7, "Robert Smithers")
    ]


def test_automatic_numbering_stops_at_the_line_number_limit(login, volunteer, petition):
    client = login(volunteer)
    new_section(client)
    assert save_line(client, number="1000", confirm_gap="1000").status_code == 200
    response = save_line(client, printed_name="Maria Garcia")  # the next number would be 1001
    assert response.status_code == 422
    assert "Line numbers run from 1 to 1000." in response.content.decode()
    assert list(Line.objects.values_list("number", flat=True)) == [1000]


def test_a_second_entry_numbers_no_line_past_the_limit(volunteer, petition):
    from django.core.exceptions import ValidationError

    from petitions.entry import LineInput, second_line_save
    from recall.roles import VOLUNTEER
    from recall.services import user_create_with_role

    petition.double_entry = True
    petition.save(update_fields=["double_entry"])
    other = user_create_with_role(username="val_second", password="x-Very-long-1", role=VOLUNTEER)
    section = Section.objects.create(petition=petition, serial=3, entered_by=volunteer,
                                     second_entered_by=other)  # fmt: skip
    data = LineInput(printed_name="Ann Lee", residence_address="1 Elm St")
    second_line_save(section=section, data=LineInput(**{**data.__dict__, "number": 1000}),
                     client_token=uuid.uuid4(), entered_by=other, gap_ok=True)  # fmt: skip
    with pytest.raises(ValidationError, match="Line numbers run from 1 to 1000"):
        second_line_save(section=section, data=data, client_token=uuid.uuid4(), entered_by=other)
    assert list(section.second_lines.values_list("number", flat=True)) == [1000]


@pytest.mark.parametrize(
    ("field", "value"),
    [("circulated_from", "0226-10-01"), ("circulated_to", "9999-12-31"),
     ("received_on", "2026-08-01")],  # before the petition's approval (2026-09-01)
)  # fmt: skip
def test_implausible_section_dates_are_refused_on_their_field(
    login, volunteer, petition, field, value
):
    response = new_section(login(volunteer), **{field: value})
    assert response.status_code == 200
    assert "is not plausible: give a day from 2026-09-01" in str(
        response.context["form"].errors[field]
    )
    assert not Section.objects.exists()


def test_invisible_characters_are_stripped_from_typed_lines_and_circulators(
    login, volunteer, petition
):
    client = login(volunteer)
    new_section(client, circulator_name="\u202eAna\u200b Ruiz\u2069",
                circulator_address="\ufeff100 Elm St\u200e")  # fmt: skip
    section = Section.objects.get(serial=7)
    assert (section.circulator_name, section.circulator_address) == ("Ana Ruiz", "100 Elm St")
    assert save_line(client, printed_name="\u202eANA GOMEZ\u202c",
                     residence_address="12\u2066 Oak\u2069 Ave\u200f",
                     city="Glen\u00addale\x07", zip="9120\u200b1").status_code == 200  # fmt: skip
    line = Line.objects.get()
    assert (line.printed_name, line.residence_address, line.city, line.zip) == (
        "ANA GOMEZ", "12 Oak Ave", "Glendale", "91201",
    )  # fmt: skip
    # Nothing but invisible characters is no name at all.
    response = save_line(client, printed_name="\u200b\u202e", residence_address="\ufeff")
    assert response.status_code == 422
    assert "Type the printed name or the address" in response.content.decode()
    # A fix goes through the same step.
    url = reverse("petitions:line_edit", args=["la-da", 7, line.number])
    client.post(url, {"printed_name": "ANA\u200b GOMEZ\u202e", "residence_address": "12 Oak Ave",
                      "city": "Glendale", "zip": "", "signed": "on"})  # fmt: skip
    assert Line.objects.get().printed_name == "ANA GOMEZ"


def _input_tag(body: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    assert match, f"no input {name}"
    return match[0]


def test_the_declaration_is_not_ticked_until_read_off_the_paper(login, volunteer, petition):
    client = login(volunteer)
    url = reverse("petitions:section_new", args=["la-da"])
    assert "checked" not in _input_tag(client.get(url).content.decode(), "declaration_signed")
    # Left unticked, a browser sends nothing for the box: the section is stored unsigned.
    assert client.post(url, {"serial": "7", "circulator_name": "Ana Ruiz"}).status_code == 302
    assert Section.objects.get(serial=7).declaration_signed is False
    page = client.get(reverse("petitions:section", args=["la-da", 7])).content.decode()
    assert "declaration <strong>not signed</strong>" in page
    new_section(client, serial=8)  # ticked: "on"
    assert Section.objects.get(serial=8).declaration_signed is True


def test_section_dates_are_text_boxes_that_tab_leaves_at_once(login, volunteer, petition):
    body = login(volunteer).get(reverse("petitions:section_new", args=["la-da"])).content.decode()
    for name in ("circulated_from", "circulated_to", "received_on"):
        tag = _input_tag(body, name)
        assert 'type="text"' in tag, tag
        assert 'placeholder="mm/dd/yyyy"' in tag, tag


@pytest.mark.parametrize("typed", ["10/1/2026", "10/01/2026", "10/1/26", "2026-10-01"])
def test_section_dates_are_taken_as_typed_from_the_paper(login, volunteer, petition, typed):
    response = new_section(login(volunteer), circulated_from=typed, circulated_to=typed,
                           received_on=typed)  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    section = Section.objects.get(serial=7)
    assert (section.circulated_from, section.circulated_to, section.received_on) == (
        date(2026, 10, 1), date(2026, 10, 1), date(2026, 10, 1),
    )  # fmt: skip


def test_a_date_that_is_no_date_is_refused_on_its_field(login, volunteer, petition):
    response = new_section(login(volunteer), circulated_from="13/01/2026")  # day and month swapped
    assert response.status_code == 200
    assert response.context["form"].errors["circulated_from"] == ["Enter a valid date."]
    assert 'value="13/01/2026"' in response.content.decode()  # kept to be corrected
    assert not Section.objects.exists()


def section_numbers() -> list[int]:
    return list(Line.objects.order_by("number").values_list("number", flat=True))


def test_a_gap_in_line_numbers_is_saved_only_once_confirmed_and_listed_until_keyed(
    login, volunteer, petition
):
    client = login(volunteer)
    new_section(client)
    save_line(client)
    save_line(client)
    token = uuid.uuid4()
    response = save_line(client, token=token, number="6")
    assert response.status_code == 422
    body = response.content.decode()
    assert "Line 6 leaves a gap: lines 3 to 5 are not keyed yet." in body
    assert '<input type="hidden" name="confirm_gap" value="6">' in body
    assert "data-attention" in _input_tag(body, "number")  # the number has the focus
    assert section_numbers() == [1, 2]
    # The confirmation is for the number shown: another one is checked afresh.
    response = save_line(client, token=token, number="60", confirm_gap="6")
    assert response.status_code == 422
    assert "Line 60 leaves a gap: lines 3 to 59 are not keyed yet." in response.content.decode()
    assert section_numbers() == [1, 2]
    # Saved again as shown: stored, and the gap is listed above the entry row.
    response = save_line(client, token=token, number="6", confirm_gap="6")
    assert response.status_code == 200
    assert section_numbers() == [1, 2, 6]
    assert "Not keyed yet: lines 3 to 5." in response.content.decode()
    # Keying into the gap asks nothing; the list shrinks, then goes.
    assert save_line(client, number="4").status_code == 200
    section_url = reverse("petitions:section", args=["la-da", 7])
    assert "Not keyed yet: lines 3 and 5." in client.get(section_url).content.decode()
    assert save_line(client, number="3").status_code == 200
    response = save_line(client, number="5", blank="on")
    assert "Not keyed yet" not in response.content.decode()
    assert "Not keyed yet" not in client.get(section_url).content.decode()
    assert save_line(client).status_code == 200  # the next number follows the highest
    assert section_numbers() == [1, 2, 3, 4, 5, 6, 7]


def test_a_gap_is_pointed_out_without_javascript_too(login, volunteer, petition):
    client = login(volunteer)
    new_section(client)
    response = save_line(client, htmx=False, number="2")
    assert response.status_code == 422
    assert "Line 2 leaves a gap: line 1 is not keyed yet." in response.content.decode()
    assert not Line.objects.exists()
    assert save_line(client, htmx=False, number="2", confirm_gap="2").status_code == 302
    assert section_numbers() == [2]


def test_a_second_entry_gap_needs_confirming_too(volunteer, petition):
    from petitions.entry import LineInput, LineNumberGap, second_line_save
    from recall.roles import VOLUNTEER
    from recall.services import user_create_with_role

    other = user_create_with_role(username="val_gap", password="x-Very-long-1", role=VOLUNTEER)
    section = Section.objects.create(petition=petition, serial=3, entered_by=volunteer,
                                     second_entered_by=other)  # fmt: skip
    data = LineInput(printed_name="Ann Lee", residence_address="1 Elm St", number=3)
    with pytest.raises(LineNumberGap) as gap:
        second_line_save(section=section, data=data, client_token=uuid.uuid4(), entered_by=other)
    assert list(gap.value.missing) == [1, 2]
    assert not section.second_lines.exists()
    second_line_save(section=section, data=data, client_token=uuid.uuid4(), entered_by=other,
                     gap_ok=True)  # fmt: skip
    assert list(section.second_lines.values_list("number", flat=True)) == [3]


@pytest.mark.parametrize(
    ("numbers", "text"),
    [([], ""), ([4], "line 4"), ([4, 5], "lines 4 and 5"), ([3, 4, 5], "lines 3 to 5"),
     ([2, 11, 12, 13, 14, 20], "lines 2, 11 to 14 and 20"),
     (range(1, 40, 2), "lines 1, 3, 5, 7, 9, 11, 13 and 13 more")],
)  # fmt: skip
def test_missing_line_numbers_read_as_a_sentence(numbers, text):
    from petitions.entry import line_numbers_text

    assert line_numbers_text(numbers) == text


def test_missing_numbers_are_those_below_the_highest():
    from petitions.entry import missing_numbers

    assert missing_numbers([6, 1, 2, 4]) == [3, 5]
    assert missing_numbers([]) == []
