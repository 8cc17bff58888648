"""The circulators' pay ledger: what a close writes, line by line, and what a second close does."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from petitions.models import (
    Circulator,
    CirculatorShift,
    Line,
    PayEntry,
    PayEntryLine,
    Petition,
    Section,
)
from petitions.selectors.circulators import circulator_ledger, ledger_lines, payroll_rows
from petitions.services.pay import (
    pay_period_close,
    period_end,
    period_problem,
    period_start_of,
)
from petitions.services.sections import section_hold, section_release
from recall.models import AuditAction, AuditEvent

RATE = Decimal("2.00")


@pytest.fixture
def weeks():
    """Three weekly pay periods, all over: the first three weeks of the last five."""
    first = period_start_of(timezone.localdate() - timedelta(days=35))
    return [first + timedelta(days=7 * n) for n in range(3)]


def at(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def paid(db):
    return Circulator.objects.create(name="Pat Paid", name_key="PAT PAID", kind="paid",
                                     pay_basis="per_valid_line", rate=RATE)  # fmt: skip


@pytest.fixture
def petition(db):
    return Petition.objects.create(title="Pay", slug="pay", required_signatures=10)


def section_of(petition, circulator, serial, day):
    return Section.objects.create(petition=petition, serial=serial, circulator=circulator,
                                  circulator_name=circulator.name, circulated_from=day,
                                  circulated_to=day)  # fmt: skip


def lines(section, statuses, validated):
    start = section.lines.count()
    return [
        Line.objects.create(
            petition=section.petition,
            section=section,
            number=start + n,
            printed_name=f"Signer {n}",
            residence_address=f"{n} A St",
            status=status,
            validated_at=validated,
        )
        for n, status in enumerate(statuses, start=1)
    ]


def totals(report):
    return {kind: str(amount) for kind, amount in report.totals.items()}


def test_the_ledger_for_a_period_agrees_with_the_lines_behind_it(petition, paid, weeks, organizer):
    section = section_of(petition, paid, 1, weeks[0] + timedelta(days=2))
    made = lines(section, ["valid", "valid", "valid", "duplicate", "not_registered", "pending",
                           "blank", "needs_review"], at(weeks[0] + timedelta(days=3)))  # fmt: skip
    volunteer_section = section_of(petition, Circulator.objects.create(
        name="Val", name_key="VAL"), 2, weeks[0])  # fmt: skip
    lines(volunteer_section, ["valid"], at(weeks[0]))  # a volunteer's line earns nothing

    report = pay_period_close(period_start=weeks[0], user=organizer)

    # Three valid lines at $2.00; a quarter held back; the rest paid.
    assert totals(report) == {"earn": "6.00", "hold": "1.50", "payment": "4.50"}
    entries = {e.kind: e for e in PayEntry.objects.filter(period_start=weeks[0])}
    assert set(entries) == {"earn", "hold", "payment"}
    assert {e.circulator_id for e in entries.values()} == {paid.pk}
    valid_ids = {line.pk for line in made if line.status == "valid"}
    for entry in entries.values():
        behind = list(entry.lines.all())
        assert entry.amount == sum(row.amount for row in behind)  # every cent explained
        assert {row.line_id for row in behind} == valid_ids  # by exactly the valid lines
        assert {row.kind for row in behind} == {entry.kind}
    assert {row.amount for row in entries["earn"].lines.all()} == {RATE}
    assert {row.amount for row in entries["hold"].lines.all()} == {Decimal("0.50")}
    assert {row.amount for row in entries["payment"].lines.all()} == {Decimal("1.50")}
    # The page's rows are the same rows.
    assert sorted((r.kind, r.number, r.amount) for r in ledger_lines(paid, weeks[0])) == sorted(
        (row.kind, row.line.number, row.amount)
        for row in PayEntryLine.objects.filter(entry__period_start=weeks[0])
    )
    period = next(p for p in circulator_ledger(paid) if p.start == weeks[0])
    assert (period.lines, period.valid, period.waiting) == (7, 3, 2)  # the blank is no line
    assert period.amounts["earn"] == Decimal("6.00")
    assert period.payable == Decimal("4.50")
    event = AuditEvent.objects.get(action=AuditAction.PAY_PERIOD_CLOSED)
    assert event.detail["totals"] == {"earn": "6.00", "hold": "1.50", "payment": "4.50"}


def test_closing_a_period_twice_pays_nothing_twice(petition, paid, weeks, organizer):
    section = section_of(petition, paid, 1, weeks[0])
    lines(section, ["valid", "valid"], at(weeks[0]))
    pay_period_close(period_start=weeks[0], user=organizer)
    stored = list(PayEntryLine.objects.values_list("kind", "line_id", "amount").order_by("pk"))

    again = pay_period_close(period_start=weeks[0], user=organizer)

    assert again.totals == {}
    assert again.circulators == 0
    assert (
        list(PayEntryLine.objects.values_list("kind", "line_id", "amount").order_by("pk")) == stored
    )
    # And the database refuses a second earning of a line, whatever writes it.
    earned = PayEntryLine.objects.filter(kind="earn").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        PayEntryLine.objects.create(entry=earned.entry, kind="earn", basis=earned.basis,
                                    line=earned.line, amount=RATE)  # fmt: skip


def test_a_held_sections_lines_earn_nothing_until_it_is_released(petition, paid, weeks, organizer):
    held = section_of(petition, paid, 1, weeks[0])
    lines(held, ["valid", "valid"], at(weeks[0]))
    section_hold(petition=petition, section_id=held.pk, reason="every line in the roll's order",
                 by=organizer)  # fmt: skip
    report = pay_period_close(period_start=weeks[0], user=organizer)
    assert report.totals == {}
    assert not PayEntryLine.objects.exists()
    section_release(petition=petition, section_id=held.pk, by=organizer)
    report = pay_period_close(period_start=weeks[1], user=organizer)
    assert PayEntryLine.objects.filter(kind="earn").count() == 2


def test_a_line_that_turns_invalid_after_payment_is_clawed_back(petition, paid, weeks, organizer):
    section = section_of(petition, paid, 1, weeks[0])
    first, second = lines(section, ["valid", "valid"], at(weeks[0]))
    pay_period_close(period_start=weeks[0], user=organizer)
    # A duplicate found later, across circulators (or a review, or a new roll).
    Line.objects.filter(pk=second.pk).update(status="duplicate")

    report = pay_period_close(period_start=weeks[1], user=organizer)

    # The whole $2.00 comes back; its $0.50 held is released into the clawback: the $1.50 paid
    # is owed, so nothing is paid this period.
    assert totals(report) == {"clawback": "2.00", "release": "0.50"}
    rows = PayEntryLine.objects.filter(entry__period_start=weeks[1])
    assert {(r.kind, r.line_id, str(r.amount)) for r in rows} == {
        ("clawback", second.pk, "2.00"), ("release", second.pk, "0.50")}  # fmt: skip

    # New valid lines the week after: paid net of what is owed.
    later = section_of(petition, paid, 2, weeks[1])
    lines(later, ["valid", "valid"], at(weeks[1]))
    report = pay_period_close(period_start=weeks[1], user=organizer)
    assert totals(report) == {"earn": "4.00", "hold": "1.00", "payment": "1.50"}
    payment = PayEntry.objects.get(period_start=weeks[1], kind="payment")
    by_line = {r.line_id: r.amount for r in payment.lines.all()}
    assert by_line[second.pk] == Decimal("-1.50")
    assert first.pk not in by_line
    assert sum(by_line.values()) == payment.amount
    # A line clawed back is not earned again when it counts again.
    Line.objects.filter(pk=second.pk).update(status="valid")
    assert pay_period_close(period_start=weeks[1], user=organizer).totals == {}


def test_a_line_waiting_for_review_again_is_not_clawed_back_yet(petition, paid, weeks, organizer):
    section = section_of(petition, paid, 1, weeks[0])
    (line,) = lines(section, ["valid"], at(weeks[0]))
    pay_period_close(period_start=weeks[0], user=organizer)
    Line.objects.filter(pk=line.pk).update(status="needs_review")
    assert pay_period_close(period_start=weeks[1], user=organizer).totals == {}


def test_the_holdback_is_released_when_the_lines_settle(petition, paid, weeks, organizer):
    section = section_of(petition, paid, 1, weeks[0])
    lines(section, ["valid", "valid", "valid", "valid"], at(weeks[0] + timedelta(days=1)))
    assert totals(pay_period_close(period_start=weeks[0], user=organizer))["hold"] == "2.00"
    # A week later the lines have stood valid only a week or so (PAY_SETTLE_DAYS is 14).
    assert pay_period_close(period_start=weeks[1], user=organizer).totals == {}

    report = pay_period_close(period_start=weeks[2], user=organizer)

    assert totals(report) == {"release": "2.00", "payment": "2.00"}
    held = set(PayEntryLine.objects.filter(kind="hold").values_list("line_id", "amount"))
    released = set(PayEntryLine.objects.filter(kind="release").values_list("line_id", "amount"))
    assert held == released
    paid_total = sum(PayEntry.objects.filter(kind="payment").values_list("amount", flat=True))
    assert paid_total == 4 * RATE  # everything earned, paid once


def test_a_held_sections_holdback_stays_held_until_it_is_released(petition, paid, weeks, organizer):
    section = section_of(petition, paid, 1, weeks[0])
    lines(section, ["valid", "valid", "valid", "valid"], at(weeks[0] + timedelta(days=1)))
    assert totals(pay_period_close(period_start=weeks[0], user=organizer))["hold"] == "2.00"
    section_hold(petition=petition, section_id=section.pk, reason="one night's lines",
                 by=organizer)  # fmt: skip
    # Settled by now, but held: its share stays held, and nothing is clawed back either.
    assert pay_period_close(period_start=weeks[2], user=organizer).totals == {}
    section_release(petition=petition, section_id=section.pk, by=organizer)
    assert totals(pay_period_close(period_start=weeks[2] + timedelta(days=7), user=organizer)) == {
        "release": "2.00", "payment": "2.00"}  # fmt: skip


def test_a_filed_petition_settles_its_lines_at_once(petition, paid, weeks, organizer):
    petition.filed_on = weeks[0]
    petition.save(update_fields=["filed_on"])
    lines(section_of(petition, paid, 1, weeks[0]), ["valid"], at(weeks[0]))
    assert totals(pay_period_close(period_start=weeks[0], user=organizer)) == {
        "earn": "2.00", "payment": "2.00"}  # fmt: skip


def test_per_raw_line_and_hourly_pay(petition, weeks, organizer):
    raw = Circulator.objects.create(name="Rae", name_key="RAE", kind="paid",
                                    pay_basis="per_raw_line", rate=Decimal("1.10"))  # fmt: skip
    hourly = Circulator.objects.create(name="Hal", name_key="HAL", kind="paid",
                                       pay_basis="hourly", rate=Decimal("20.00"))  # fmt: skip
    lines(section_of(petition, raw, 1, weeks[0]), ["pending", "not_registered", "blank"],
          None)  # fmt: skip
    CirculatorShift.objects.create(circulator=hourly, day=weeks[0], hours=Decimal("3.5"))
    CirculatorShift.objects.create(circulator=hourly, day=weeks[1], hours=Decimal("2"))

    pay_period_close(period_start=weeks[0], user=organizer)

    earned = dict(PayEntry.objects.filter(kind="earn").values_list("circulator__name", "amount"))
    assert earned == {"Rae": Decimal("2.20"), "Hal": Decimal("70.00")}  # the next week's later
    shift_rows = PayEntryLine.objects.filter(shift__isnull=False)
    assert {(r.kind, str(r.amount)) for r in shift_rows} == {
        ("earn", "70.00"),
        ("payment", "70.00"),
    }


def test_periods_that_cannot_be_closed_are_refused_with_a_reason(weeks, organizer):
    with pytest.raises(ValidationError, match="not the first day of a pay period"):
        pay_period_close(period_start=weeks[0] + timedelta(days=1), user=organizer)
    this_week = period_start_of(timezone.localdate())
    assert "not over yet" in period_problem(this_week)
    assert not PayEntry.objects.exists()


def test_monthly_and_biweekly_periods(settings):
    settings.PAY_PERIOD = "monthly"
    day = timezone.localdate().replace(year=2026, month=2, day=14)
    assert (period_start_of(day), period_end(period_start_of(day))) == (
        day.replace(day=1), day.replace(day=28))  # fmt: skip
    settings.PAY_PERIOD = "biweekly"
    start = period_start_of(day)
    assert start.weekday() == 0
    assert period_end(start) - start == timedelta(days=13)
    assert period_start_of(start + timedelta(days=13)) == start


def test_the_command_closes_a_period_and_writes_the_payroll(petition, paid, weeks, tmp_path):
    lines(section_of(petition, paid, 1, weeks[0]), ["valid"], at(weeks[0]))
    out = tmp_path / "payroll.csv"
    call_command("close_pay_period", "--period", weeks[0].isoformat(), "--petition", "pay",
                 "--payroll", str(out))  # fmt: skip
    text = out.read_text()
    assert text.splitlines()[0].startswith("payee,address,phone,email,kind,pay_basis,rate,earned")
    assert "Pat Paid" in text
    assert ",2.00,0.50,0.00,0.00,1.50,1.50,1.50," in text
    event = AuditEvent.objects.get(action=AuditAction.PAY_PERIOD_CLOSED)
    assert "manage.py close_pay_period" in event.username
    with pytest.raises(CommandError, match="--period must be a date"):
        call_command("close_pay_period", "--period", "last week")
    with pytest.raises(CommandError, match="not the first day"):
        call_command("close_pay_period", "--period", (weeks[0] + timedelta(days=2)).isoformat())
    with pytest.raises(CommandError, match="no petition"):
        call_command("close_pay_period", "--period", weeks[0].isoformat(), "--petition", "nope")


def test_payroll_flags_a_payee_at_the_information_return_threshold(petition, weeks, organizer):
    big = Circulator.objects.create(name="Bea Big", name_key="BEA BIG", kind="paid",
                                    pay_basis="per_valid_line", rate=Decimal("400.00"))  # fmt: skip
    small = Circulator.objects.create(name="Sam Small", name_key="SAM SMALL", kind="paid",
                                      pay_basis="per_valid_line", rate=Decimal("1.00"))  # fmt: skip
    petition.filed_on = weeks[0]
    petition.save(update_fields=["filed_on"])
    lines(section_of(petition, big, 1, weeks[0]), ["valid", "valid"], at(weeks[0]))
    lines(section_of(petition, small, 2, weeks[0]), ["valid"], at(weeks[0]))
    pay_period_close(period_start=weeks[0], user=organizer)
    rows = {row[0]: row for row in payroll_rows(weeks[0])}
    assert rows["Bea Big"][-3:] == ["800.00", "800.00", "1099-NEC"]
    assert rows["Sam Small"][-3:] == ["1.00", "1.00", ""]


def test_the_ledger_is_append_only(petition, paid, weeks, organizer, django_user_model):
    lines(section_of(petition, paid, 1, weeks[0]), ["valid"], at(weeks[0]))
    clerk = django_user_model.objects.create_user(username="clerk")
    pay_period_close(period_start=weeks[0], user=clerk)
    entry = PayEntry.objects.get(kind="earn")
    row = entry.lines.get()
    for attempt in (
        lambda: PayEntry.objects.filter(pk=entry.pk).update(amount=Decimal("99.00")),
        lambda: PayEntryLine.objects.filter(pk=row.pk).update(amount=Decimal("99.00")),
        lambda: PayEntryLine.objects.filter(pk=row.pk).delete(),
    ):
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            attempt()
    clerk.delete()  # the one change allowed: who closed it is forgotten with the user
    entry.refresh_from_db()
    assert (entry.created_by, entry.amount) == (None, RATE)
