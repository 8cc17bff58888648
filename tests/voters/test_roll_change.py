"""Making another roll active: what changes is shown first, and a much smaller roll never
becomes active on its own (issue 15, item 14)."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from petitions.models import Line, Petition, Section
from petitions.validation import petition_validate_pending
from recall.models import AuditEvent
from tests.voters.factories import many, write_canonical
from voters.forms import VoterRollImportForm
from voters.models import VoterRoll
from voters.services import voter_roll_create, voter_roll_import

pytestmark = pytest.mark.django_db(transaction=True)


def import_file(path, *args) -> VoterRoll:
    call_command("import_voters", str(path), *args)
    return VoterRoll.objects.latest("created_at")


@pytest.fixture
def county(tmp_path) -> VoterRoll:
    return import_file(write_canonical(tmp_path / "county.csv", many(100)))


@pytest.fixture
def partial(tmp_path, county) -> VoterRoll:
    """A tenth of the county (its first ten voters), imported without activation."""
    return import_file(write_canonical(tmp_path / "partial.csv", many(10)), "--no-activate")


@pytest.fixture
def petition(county) -> Petition:
    """Twenty valid lines: the county's first twenty voters signed."""
    petition = Petition.objects.create(title="Recall", slug="recall", required_signatures=10)
    section = Section.objects.create(petition=petition, serial=1)
    for i, row in enumerate(many(20)):
        Line.objects.create(
            petition=petition, section=section, number=i + 1,
            printed_name=f"{row['first_name']} {row['last_name']}",
            residence_address=f"{row['house_number']} N MAIN ST", city="LOS ANGELES", zip="90012",
        )  # fmt: skip
    while petition_validate_pending(petition_id=petition.pk):
        pass
    assert Line.objects.filter(petition=petition, status="valid").count() == 20
    return petition


def test_the_command_refuses_to_activate_a_much_smaller_roll_without_force(tmp_path, county):
    path = write_canonical(tmp_path / "partial.csv", many(10))
    with pytest.raises(CommandError, match=r"imported but not made active: it has 10 voters, 10%"):
        call_command("import_voters", str(path))
    partial = VoterRoll.objects.latest("created_at")
    county.refresh_from_db()
    assert (county.state, partial.state) == ("active", "ready")
    forced = import_file(write_canonical(tmp_path / "again.csv", many(10)), "--force")
    county.refresh_from_db()
    assert (county.state, forced.state) == ("superseded", "active")


def test_a_roll_about_as_large_still_activates_on_its_own(tmp_path, county):
    bigger = import_file(write_canonical(tmp_path / "update.csv", many(95)))
    assert bigger.state == "active"


def test_the_import_form_does_not_activate_a_much_smaller_roll(login, admin_user, tmp_path, county):
    roll = voter_roll_create(path=write_canonical(tmp_path / "p.csv", many(10)), enqueue=False,
                             activate=True, imported_by=admin_user)  # fmt: skip
    roll = voter_roll_import(roll_id=roll.pk)
    county.refresh_from_db()
    assert (county.state, roll.state) == ("active", "ready")
    page = login(admin_user).get(reverse("voters:roll-detail", args=[roll.pk])).content.decode()
    assert "Not made active automatically:" in page
    assert "it has 10 voters, 10% of the active roll&#x27;s 100" in page
    assert reverse("voters:roll-activate-confirm", args=[roll.pk]) in page


def test_the_import_form_leaves_activation_unticked(county):
    # With a roll active (the county's), replacing it is a choice.
    assert VoterRollImportForm().fields["activate"].initial is False
    assert 'name="activate"' in str(VoterRollImportForm()["activate"])
    assert "checked" not in str(VoterRollImportForm()["activate"])


def test_confirmation_page_shows_cities_and_petition_estimates(
    login, admin_user, partial, petition
):
    page = login(admin_user).get(reverse("voters:roll-activate-confirm", args=[partial.pk]))
    assert page.status_code == 200
    cities = page.context["cities"]
    assert cities == [{"city": "LOS ANGELES", "old": 100, "new": 10, "difference": -90}]
    assert "it has 10 voters, 10%" in page.content.decode()
    [estimate] = page.context["petitions"]
    # Lines 11-20 are of voters the partial roll lacks: half of the decided lines change.
    assert estimate == {"title": "Recall", "decided": 20, "sampled": 20, "changed_in_sample": 10,
                        "changed": 10, "valid_now": 20, "valid_after": 10}  # fmt: skip
    assert Line.objects.filter(petition=petition, status="valid").count() == 20  # nothing written


def test_a_petition_estimate_samples_at_most_500_lines(admin_user, partial, petition, monkeypatch):
    from petitions import roll_change

    monkeypatch.setattr(roll_change, "SAMPLE_LINES", 4)
    [estimate] = roll_change.roll_activation_preview(None, candidate=partial, active=None)
    assert estimate["sampled"] == 4
    assert estimate["decided"] == 20
    assert estimate["changed"] == estimate["changed_in_sample"] * 5


def test_activation_needs_the_confirmation_and_going_back_is_one_step(
    login, admin_user, county, partial
):
    client = login(admin_user)
    url = reverse("voters:roll-activate", args=[partial.pk])
    response = client.post(url)  # the old one-click form
    assert response["Location"] == reverse("voters:roll-activate-confirm", args=[partial.pk])
    partial.refresh_from_db()
    assert partial.state == "ready"
    client.post(url, {"confirm": "yes"})
    partial.refresh_from_db()
    county.refresh_from_db()
    assert (county.state, partial.state) == ("superseded", "active")
    # Back to the county roll: from its page, through the same confirmation.
    detail = client.get(reverse("voters:roll-detail", args=[county.pk])).content.decode()
    assert reverse("voters:roll-activate-confirm", args=[county.pk]) in detail
    back = client.get(reverse("voters:roll-activate-confirm", args=[county.pk]))
    assert back.context["cities"][0]["difference"] == 90
    assert back.context["shrink"] == ""
    client.post(reverse("voters:roll-activate", args=[county.pk]), {"confirm": "yes"})
    county.refresh_from_db()
    assert county.state == "active"
    activations = AuditEvent.objects.filter(action="roll_activated", username=admin_user.username)
    assert activations.count() == 2


def test_the_confirmation_page_is_for_importers_of_activatable_rolls(
    login, admin_user, organizer, county
):
    url = reverse("voters:roll-activate-confirm", args=[county.pk])
    assert login(organizer).get(url).status_code == 403
    response = login(admin_user).get(url)  # the active roll itself
    assert response.status_code == 302
    assert response["Location"] == reverse("voters:roll-detail", args=[county.pk])
