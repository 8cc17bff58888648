"""A reviewer takes a decision back: U right after it, or the Undo button; the line returns to the
queue as it was."""

import pytest
from django.core.management import call_command

from petitions.models import Line, LineEvent, Section
from petitions.services import petition_create
from petitions.validation import petition_validate_pending
from tests.petitions.helpers import ROLL
from tests.voters.factories import write_canonical

pytestmark = pytest.mark.browser


def test_a_reviewer_undoes_a_decision_with_u_and_with_the_button(
    log_in, page, screenshot, reviewer, volunteer, live_server, tmp_path
):
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    section = Section.objects.create(petition=petition, serial=3, entered_by=volunteer,
                                     circulator_name="Ana Ruiz")  # fmt: skip
    for number, name in enumerate(["Robert Smithers", "Grace Okafor"], start=1):
        Line.objects.create(petition=petition, section=section, number=number, printed_name=name,
                            residence_address="12 Oak Ave", city="Glendale")  # fmt: skip
    while petition_validate_pending(petition_id=petition.pk):
        pass
    # Both unsure, as the matcher leaves lines it cannot settle.
    Line.objects.filter(section=section).update(status="needs_review", counted=False)
    first, second = Line.objects.filter(section=section).order_by("number")

    log_in(reviewer)
    page.goto(f"{live_server.url}/petitions/la-da/review/")
    assert page.get_attribute("#review-item", "data-line") == str(first.pk)
    page.keyboard.press("n")  # not registered: the queue moves on
    page.wait_for_selector(f"#review-item[data-line='{second.pk}']")
    assert Line.objects.get(pk=first.pk).status == "not_registered"
    decided = page.inner_text("#decided")
    assert "section 3, line 1" in decided
    assert "Not registered" in decided
    screenshot("review-undo-decided")

    page.keyboard.press("u")  # the line just decided, not the one now shown
    page.wait_for_selector("text=is back in the review queue")
    assert (Line.objects.get(pk=first.pk).status, Line.objects.get(pk=second.pk).status) == (
        "needs_review", "needs_review",
    )  # fmt: skip
    assert page.get_attribute("#review-item", "data-line") == str(first.pk)
    assert "2 waiting" in page.inner_text("#queue-size")
    assert page.locator("#decided").count() == 0
    screenshot("review-undo-key")

    page.keyboard.press("o")  # out of county this time, then taken back with the mouse
    page.wait_for_selector("#decided:has-text('Out of jurisdiction')")
    page.click("#decided-undo")
    page.wait_for_selector("text=is back in the review queue")
    assert Line.objects.get(pk=first.pk).status == "needs_review"
    assert page.get_attribute("#review-item", "data-line") == str(first.pk)
    undone = LineEvent.objects.filter(line=first, kind="undone").order_by("id")
    assert [(e.undoes.after["status"], e.user) for e in undone] == [
        ("not_registered", reviewer), ("out_of_jurisdiction", reviewer),
    ]  # fmt: skip

    # The reviewer's decisions, each linking to its line; the line's history in words.
    recent = page.locator("#recent-decisions tbody tr")
    assert recent.count() == 2
    assert "undone" in recent.nth(0).inner_text()
    recent.nth(0).locator("a").click()
    page.wait_for_selector("#history")
    assert page.url.endswith(f"/review/lines/{first.pk}/")
    history = page.inner_text("#history")
    assert "Needs review" in history
    assert "needs_review" not in history
    screenshot("review-undo-line")
