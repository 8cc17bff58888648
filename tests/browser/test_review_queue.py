"""A reviewer clears the review queue with the keyboard alone: pick, undo, reopen."""

import pytest
from django.core.management import call_command

from petitions.models import Line, LineEvent, Section
from petitions.services import petition_create
from petitions.validation import petition_validate_pending
from tests.voters.factories import voter, write_canonical

pytestmark = pytest.mark.browser

ROLL = [
    # A father whose registration was cancelled and his son at one address: "Jose Martinez"
    # fits both, and only a person can tell which signed.
    voter("SR1", first_name="JOSE", last_name="MARTINEZ", name_suffix="SR", house_number="500",
          street_name="ELM", street_type="ST", city="PASADENA", zip="91101", status="C"),
    voter("JR1", first_name="JOSE", last_name="MARTINEZ", name_suffix="JR", house_number="500",
          street_name="ELM", street_type="ST", city="PASADENA", zip="91101"),
    voter("BOB", first_name="ROBERT", last_name="SMITHERS", house_number="12", street_name="OAK",
          street_type="AVE", city="GLENDALE", zip="91201"),
]  # fmt: skip


def test_reviewer_resolves_the_queue_with_the_keyboard(
    log_in, page, screenshot, reviewer, volunteer, live_server, tmp_path
):
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    section = Section.objects.create(petition=petition, serial=3, entered_by=volunteer,
                                     circulator_name="Ana Ruiz")  # fmt: skip
    for number, (name, address, city) in enumerate(
        [("Jose Martinez", "500 Elm St", "Pasadena"), ("Bob Smithers", "12 Oak Ave", "Glendale"),
         ("J Martinez", "500 Elm Street", "Pasadena")], start=1,
    ):  # fmt: skip
        Line.objects.create(petition=petition, section=section, number=number, printed_name=name,
                            residence_address=address, city=city)  # fmt: skip
    while petition_validate_pending(petition_id=petition.pk):
        pass
    waiting = list(Line.objects.filter(status="needs_review").order_by("number"))
    assert [line.number for line in waiting] == [1, 3]

    log_in(reviewer)
    page.goto(f"{live_server.url}/petitions/la-da/review/")
    assert "2 waiting" in page.inner_text("#queue-size")
    assert page.get_attribute("#review-item", "data-line") == str(waiting[0].pk)
    screenshot("review-queue")

    # The son (JR1) is the active voter: pick his column by its number key.
    columns = page.eval_on_selector_all(
        "#candidates button[data-key]", "bs => bs.map(b => b.form.choice.value)"
    )
    page.keyboard.press(str(columns.index("voter:JR1") + 1))
    page.wait_for_selector(f"#review-item[data-line='{waiting[1].pk}']")
    first = Line.objects.get(pk=waiting[0].pk)
    assert (first.status, first.counted, first.voter_registrant_id) == ("valid", True, "JR1")
    assert "1 waiting" in page.inner_text("#queue-size")
    assert "1 decision in the last hour" in page.inner_text("#pace")

    # The second line is the same voter again: picking him makes it a duplicate, by the rules.
    columns = page.eval_on_selector_all(
        "#candidates button[data-key]", "bs => bs.map(b => b.form.choice.value)"
    )
    page.keyboard.press(str(columns.index("voter:JR1") + 1))
    page.wait_for_selector("#queue-empty")
    assert Line.objects.get(pk=waiting[1].pk).status == "duplicate"
    screenshot("review-queue-empty")

    # Reopen the first line (a wrong decision), undo with U: it is back in the queue.
    page.goto(f"{live_server.url}/petitions/la-da/review/lines/{waiting[0].pk}/")
    screenshot("review-line-history")
    page.keyboard.press("u")
    page.wait_for_selector("text=Undone")
    assert Line.objects.get(pk=waiting[0].pk).status == "needs_review"
    event = LineEvent.objects.get(line=waiting[0], kind="undone")
    assert event.user == reviewer
    # N: not registered, decided by hand from the line's own page.
    page.keyboard.press("n")
    page.wait_for_selector("#line-status:has-text('Not registered')")
    screenshot("review-line-decided")
    assert Line.objects.get(pk=waiting[0].pk).status == "not_registered"
    # The voter's other line now counts in its place.
    assert Line.objects.get(pk=waiting[1].pk).counted
