"""Validation against a small real roll: the hard cases, duplicates under concurrency, new rolls."""

import random
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from petitions.models import Line, Petition, Section
from petitions.tasks import revalidate_after_roll_change
from petitions.validation import petition_validate_pending
from tests.petitions.helpers import ROLL, add, decided, validate
from tests.voters.factories import voter, write_canonical

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def roll(tmp_path):
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))


@pytest.fixture
def petition(roll):
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    Section.objects.create(petition=petition, serial=1)
    Section.objects.create(petition=petition, serial=2)
    return petition


@pytest.mark.parametrize(
    ("name", "address", "city", "status", "voter_id", "phrase"),
    [
        ("Bob Smithers", "12 Oak Ave", "Glendale", "valid", "BOB", "first name nickname"),
        ("Maria Garcia", "77 S Figueroa Street", "Los Angeles", "valid", "CMP", "compound"),
        ("Jose Nunez", "8 Maple Drive", "LA", "valid", "ACC", "surname exact"),
        ("MARTINEZ JOSE JR", "500 Elm St", "Pasadena", "valid", "JR1", "suffix exact"),
        ("SMITHERS ROBERT", "12 Oak", "Glendale", "valid", "BOB", "swapped"),
        ("Grace Okafor", "900 N Vermont Ave", "Hollywood", "valid", "UNI", "unit missing"),
        ("Grace Okafor", "900 Vermont Ave #7", "Los Angeles", "valid", "UNI", "unit different"),
        # No street type written: the last word is part of the name, not a suffix (HILL).
        ("Maria Maldonado Espinoza", "17019 Indian Hill", "Norwalk", "valid", "HIL",
         "street agree"),
        ("Jimenez Pantoja Angelica", "9296 E Sunnyside Avenue", "Hawthorne", "valid", "JPA",
         "swapped"),
        ("De La Fuente D", "9619 Stocker St # 72", "Florence-Graham", "valid", "DLF", "swapped"),
        ("Gabriela Alvarezz Castaneda", "4524 Gordon Drive", "Lynwood", "valid", "AVC",
         "compound"),
        ("Luis Smithers", "12 Oak Ave", "Glendale", "not_registered", "", "household"),
        ("Zebediah Quillfeather", "1200 Main St", "Long Beach", "address_mismatch", "MOV",
         "another address"),
        ("Pedro Garcia Lopez", "77 Figueroa St", "Los Angeles", "not_registered", "",
         "household"),
        ("Ann Example", "1 Harbor Dr", "San Diego", "out_of_jurisdiction", "", "not in the"),
        ("Harold Blumenthal", "4 Ash Ct", "Torrance", "canceled", "CAN", "cancelled"),
        ("", "4 Ash Ct", "Torrance", "incomplete", "", "no name"),
        # No house number (FEBRL4's copies drop one in twenty): incomplete, but found by name.
        ("Harold Blumenthal", "Ash Ct", "Torrance", "incomplete", "CAN", "house number or street"),
        ("Zebediah Quillfeather", "31", "Long Beach", "incomplete", "MOV", "surname exact"),
    ],
)  # fmt: skip
def test_hard_cases_get_the_registrars_category(
    petition, name, address, city, status, voter_id, phrase
):
    line = add(petition, name, address, city)
    validate(petition)
    line = decided(line)
    assert (line.status, line.voter_registrant_id) == (status, voter_id), line.reason
    assert phrase in line.reason["summary"]
    assert line.validated_roll is not None


def test_a_relative_at_a_registered_household_is_no_namesake_signing_again(tmp_path):
    # ROBERT SMITHERS counts at 12 Oak Ave; another Robert Smithers signs at 5 Elm St, where the
    # SMITHERS household is registered but no Robert: a relative not registered, not a repeat.
    relatives = [voter("REL", first_name="MARGARET", last_name="SMITHERS", house_number="5",
                       street_name="ELM", city="PASADENA", zip="91101")]  # fmt: skip
    call_command("import_voters", str(write_canonical(tmp_path / "r.csv", ROLL + relatives)))
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    Section.objects.create(petition=petition, serial=1)
    counted = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    relative = add(petition, "Robert Smithers", "5 Elm St", "Pasadena")
    elsewhere = add(petition, "Robert Smithers", "9 Ash Ct", "Pasadena")
    validate(petition)
    assert decided(counted).status == "valid"
    relative = decided(relative)
    assert (relative.status, relative.reason["rule"]) == ("not_registered", "common_name_elsewhere")
    assert relative.reason["summary"].endswith("(others of the household are registered here)")
    assert "name_key" not in relative.reason
    # With no household of the name at the address, another person of the voter's name.
    assert decided(elsewhere).reason["rule"] == "namesake_of_signer"


def test_namesakes_count_once_unless_a_suffix_tells_them_apart(petition):
    first = add(petition, "Jose Martinez", "500 Elm St", "Pasadena")
    again = add(petition, "Jose Martinez", "500 Elm Street", "Pasadena", serial=2)
    junior = add(petition, "Jose Martinez Jr", "500 Elm St", "Pasadena", serial=2)
    validate(petition)
    first, again, junior = decided(first), decided(again), decided(junior)
    # Either namesake may have signed the first line: it counts, for one of them.
    assert (first.status, first.counted) == ("valid", True)
    assert first.voter_registrant_id in {"SR1", "JR1"}
    assert "2 voters of this name live here" in first.reason["summary"]
    # Nothing on paper tells a second signer from the same one again: not counted twice.
    assert (again.status, again.counted) == ("duplicate", False)
    # The junior signing by name may have been the first line too: that line now stands for
    # him and his own line is the duplicate, so whoever signed first, nobody counts twice.
    assert (junior.status, junior.voter_registrant_id) == ("duplicate", "JR1")
    assert first.voter_registrant_id == "JR1"


def test_a_shared_initial_stands_for_whoever_signs_by_name_later(petition):
    initial = add(petition, "M Mason", "8048 Foothill Blvd", "Pomona")
    validate(petition)
    initial = decided(initial)
    assert (initial.status, initial.counted) == ("valid", True)
    assert sorted(initial.namesakes) == ["MA1", "MI1"]
    by_name = add(petition, "Michelle Mason", "8048 Foothill Blvd", "Pomona", serial=2)
    validate(petition)
    initial, by_name = decided(initial), decided(by_name)
    assert (initial.counted, initial.voter_registrant_id, initial.namesakes) == (True, "MI1", [])
    assert (by_name.status, by_name.counted) == ("duplicate", False)
    assert "section 1 line 1" in by_name.reason["summary"]
    # The other voter of the household signing by name still counts: the tie is settled.
    other = add(petition, "Mark Mason", "8048 Foothill Blvd", "Pomona", serial=2)
    validate(petition)
    assert (decided(other).status, decided(other).counted) == ("valid", True)
    assert Line.objects.filter(petition=petition, counted=True).count() == 2


def test_repeat_signer_counts_once_and_names_the_counted_line(petition):
    first = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    again = add(petition, "Bob Smithers", "12 Oak Avenue", "Glendale", serial=2)
    validate(petition)
    first, again = decided(first), decided(again)
    assert (first.status, first.counted) == ("valid", True)
    assert (again.status, again.counted, again.voter_registrant_id) == ("duplicate", False, "BOB")
    assert "section 1 line 1" in again.reason["summary"]


def test_two_workers_validating_one_voters_lines_at_once_count_it_once(petition):
    """Each thread claims and decides one line of the same voter at the same moment."""
    lines = [
        add(petition, "Robert Smithers", "12 Oak Ave", "Glendale"),
        add(petition, "Robert Smithers", "12 Oak Ave", "Glendale", serial=2),
    ]
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait(timeout=10)
            petition_validate_pending(petition_id=petition.pk, batch_size=1)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    statuses = sorted(decided(line).status for line in lines)
    assert statuses == ["duplicate", "valid"]
    assert (
        Line.objects.filter(petition=petition, voter_registrant_id="BOB", counted=True).count() == 1
    )


def test_registered_after_filing_is_registered_late(petition):
    import datetime as dt

    petition.filed_on = dt.date(2026, 8, 1)
    petition.save(update_fields=["filed_on"])
    line = add(petition, "Nora Lindqvist", "66 Birch Ln", "Burbank")
    validate(petition)
    assert decided(line).status == "registered_late"


def test_withdrawn_and_unsigned_lines(petition):
    withdrawn = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale", withdrawn=True)
    unsigned = add(petition, "Grace Okafor", "900 Vermont Ave", "Los Angeles", signed=False)
    validate(petition)
    assert decided(withdrawn).status == "withdrawn"
    assert decided(unsigned).status == "incomplete"
    assert "no signature" in decided(unsigned).reason["summary"]


def test_lines_are_checked_again_when_a_new_roll_becomes_active(petition, tmp_path):
    line = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    validate(petition)
    assert decided(line).status == "valid"
    cancelled = [dict(v, status="C") if v["voter_id"] == "BOB" else v for v in ROLL]
    call_command("import_voters", str(write_canonical(tmp_path / "new.csv", cancelled)))
    revalidate_after_roll_change()  # what the activation sends to a worker
    validate(petition)
    line = decided(line)
    assert line.status == "canceled"
    assert line.counted is False
    assert line.validated_roll.source_name == "new.csv"


def test_reviewers_decisions_survive_revalidation(petition, tmp_path):
    line = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    validate(petition)
    Line.objects.filter(pk=line.pk).update(
        status="not_registered", counted=False, reason={"rule": "manual", "summary": "by hand"}
    )
    call_command("import_voters", str(write_canonical(tmp_path / "new.csv", ROLL)))
    revalidate_after_roll_change()
    validate(petition)
    assert decided(line).status == "not_registered"


def test_without_an_active_roll_lines_stay_pending(db):
    petition = Petition.objects.create(title="No roll", slug="none", required_signatures=5)
    section = Section.objects.create(petition=petition, serial=1)
    line = Line.objects.create(petition=petition, section=section, number=1, printed_name="A B",
                               residence_address="1 Main St")  # fmt: skip
    assert petition_validate_pending(petition_id=petition.pk) == 0
    assert decided(line).status == "pending"


def test_withdrawing_the_counted_line_lets_the_voters_next_line_count(petition):
    from petitions.validation import line_withdraw

    first = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    second = add(petition, "Bob Smithers", "12 Oak Ave", "Glendale", serial=2)
    validate(petition)
    assert (decided(first).counted, decided(second).status) == (True, "duplicate")
    line_withdraw(line_id=first.pk)
    first, second = decided(first), decided(second)
    assert (first.status, first.counted, first.withdrawn) == ("withdrawn", False, True)
    assert (second.status, second.counted) == ("valid", True)
    assert "in place of" in second.reason["summary"]
    assert (
        Line.objects.filter(petition=petition, voter_registrant_id="BOB", counted=True).count() == 1
    )


def test_withdrawing_a_duplicate_changes_no_count(petition):
    from petitions.validation import line_withdraw

    first = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    second = add(petition, "Bob Smithers", "12 Oak Ave", "Glendale", serial=2)
    validate(petition)
    line_withdraw(line_id=second.pk)
    assert decided(first).counted is True
    assert decided(second).status == "withdrawn"


# The same lines, whatever the order and batches they are validated in -----------------------

# Lines whose decisions depend on each other: a repeat signer (the earliest line counts), a
# namesake at another address of a voter who signs at home, placed before the line that makes it
# so, and household ties that voters signing by name settle.
ORDERED_LINES = [
    (1, "Zebediah Quillfeather", "1200 Main St", "Long Beach"),  # a namesake of line 2.2's
    (1, "Bob Smithers", "12 Oak Avenue", "Glendale"),  # the earliest of the voter's lines
    (1, "Grace Okafor", "900 Vermont Ave", "Los Angeles"),
    (1, "M Mason", "8048 Foothill Blvd", "Pomona"),  # MARK or MICHELLE: taken to be MARK
    (1, "Jose Martinez", "500 Elm St", "Pasadena"),  # SR or JR: taken to be JR
    (1, "Jose Martinez", "500 Elm Street", "Pasadena"),  # the same again: a duplicate
    (2, "Robert Smithers", "12 Oak Ave", "Glendale"),  # a duplicate of section 1 line 2
    (2, "Zebediah Quillfeather", "31 Pine St", "Long Beach"),  # counts
    (2, "Nora Lindqvist", "66 Birch Ln", "Burbank"),
    (2, "Grace Okafor", "900 N Vermont Avenue", "Hollywood"),  # a duplicate
    (2, "Mark Mason", "8048 Foothill Blvd", "Pomona"),  # section 1 line 4 was him
    (2, "Jose Martinez Jr", "500 Elm St", "Pasadena"),  # section 1 line 5 was him
    (2, "Michelle Mason", "8048 Foothill Blvd", "Pomona"),  # counts
]


def petition_validated_in_order(slug: str, order: list[int], batch_size: int) -> dict:
    """A petition of ORDERED_LINES whose lines are claimed in this order (workers claim by id),
    batch_size at a time; each line's (status, counted, voter) by (section, line)."""
    petition = Petition.objects.create(title=slug, slug=slug, required_signatures=10)
    sections = {s: Section.objects.create(petition=petition, serial=s) for s in (1, 2)}
    numbers = {}
    for i, (serial, *_) in enumerate(ORDERED_LINES):
        numbers[i] = sum(1 for s, *_ in ORDERED_LINES[: i + 1] if s == serial)
    for i in order:
        serial, name, address, city = ORDERED_LINES[i]
        Line.objects.create(petition=petition, section=sections[serial], number=numbers[i],
                            printed_name=name, residence_address=address, city=city)  # fmt: skip
    while petition_validate_pending(petition_id=petition.pk, batch_size=batch_size):
        pass
    return {
        (serial, number): (status, counted, voter)
        for serial, number, status, counted, voter in Line.objects.filter(
            petition=petition
        ).values_list("section__serial", "number", "status", "counted", "voter_registrant_id")
    }


def test_the_same_lines_get_the_same_decisions_whatever_the_order_and_batches(roll):
    forward = list(range(len(ORDERED_LINES)))
    at_once = petition_validated_in_order("at-once", forward, batch_size=1000)
    assert at_once[(1, 1)] == ("not_registered", False, "")  # a namesake of who signed (2, 2)
    assert at_once[(1, 2)] == ("valid", True, "BOB")  # the earliest line counts
    assert at_once[(2, 1)] == ("duplicate", False, "BOB")
    assert at_once[(2, 2)] == ("valid", True, "MOV")
    assert at_once[(1, 4)] == ("valid", True, "MA1")  # the tie, taken to be who signed next
    assert at_once[(2, 5)] == ("duplicate", False, "MA1")
    assert at_once[(2, 7)] == ("valid", True, "MI1")
    assert at_once[(1, 5)] == ("valid", True, "JR1")
    assert at_once[(2, 6)] == ("duplicate", False, "JR1")
    rng = random.Random(15)
    orders = {"one by one": (forward, 1), "reversed": (forward[::-1], 1),
              "reversed, in pairs": (forward[::-1], 2)}  # fmt: skip
    for _ in range(12):
        order = rng.sample(forward, len(forward))
        orders[f"shuffled {order}"] = (order, rng.choice([1, 2, 3, 5]))
    for n, (name, (order, batch_size)) in enumerate(orders.items()):
        assert petition_validated_in_order(f"order-{n}", order, batch_size) == at_once, name


def _blank_line(petition) -> Line:
    """A line saved with Alt+X: blank or crossed out on the paper."""
    import uuid

    from petitions.entry import LineInput, line_save

    section = Section.objects.get(petition=petition, serial=1)
    return line_save(section=section, data=LineInput(blank=True), client_token=uuid.uuid4(),
                     entered_by=None)  # fmt: skip


@pytest.mark.parametrize("path", ["roll_change", "validate_all"])
def test_blank_lines_stay_blank_through_revalidation(petition, tmp_path, path):
    from petitions.progress import status_counts

    add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    blank = _blank_line(petition)
    validate(petition)
    before = status_counts(petition)
    assert (before["blank"], before["valid"], decided(blank).status) == (1, 1, "blank")
    if path == "roll_change":
        call_command("import_voters", str(write_canonical(tmp_path / "new.csv", ROLL)))
        revalidate_after_roll_change()
    else:
        call_command("validate_signatures", "--petition", "test", "--all", "--sync")
    validate(petition)
    blank = decided(blank)
    assert (blank.status, blank.reason.get("rule"), blank.validated_at) == ("blank", "blank", None)
    assert status_counts(petition) == before  # raw, valid and blank as they were


def test_blank_lines_made_incomplete_by_an_earlier_revalidation_are_repaired(petition):
    import importlib

    repair = importlib.import_module("petitions.migrations.0008_blank_lines_back_from_revalidation")
    blank = _blank_line(petition)
    typed = add(petition, "", "", zip_code="90011", signed=False)  # imported half-filled
    manual = _blank_line(petition)
    Line.objects.filter(pk__in=[blank.pk, typed.pk]).update(status="incomplete")
    Line.objects.filter(pk=manual.pk).update(status="not_registered", reason={"rule": "manual"})
    with connection.cursor() as cursor:
        cursor.execute(repair.REPAIR)
    assert (decided(blank).status, decided(blank).reason["rule"]) == ("blank", "blank")
    assert decided(typed).status == "incomplete"
    assert decided(manual).status == "not_registered"
