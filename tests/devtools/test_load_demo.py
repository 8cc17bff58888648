"""The demo `make run` loads tells a campaign's story: a petition six weeks into circulation,
its lines keyed at a rising pace, on its way to qualifying, circulators of different quality."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from devtools.management.commands.load_demo import (
    DEMO_PETITION,
    DEMO_WEEKS_IN,
    demo_suspect_patterns,
)
from petitions.models import Circulator, Line, PayEntry, Petition
from petitions.progress import breakdowns, pace, petition_progress, tallies_reconcile

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    out = io.StringIO()
    call_command("load_demo", voters=20_000, lines=1_500, stdout=out)
    return Petition.objects.get(slug=DEMO_PETITION), out.getvalue()


def test_the_demo_tells_a_campaign_story(demo):
    petition, out = demo
    today = timezone.localdate()
    # The demo users are still created and their passwords printed once.
    for username in ("volunteer", "reviewer", "organizer", "admin"):
        assert f"login: {username:<10} password: {username}-" in out
    # Six weeks in, the requirement from the demo county's own registered voters (EC 11221).
    assert petition.approved_on == today - timedelta(weeks=DEMO_WEEKS_IN)
    assert (petition.registration_base, petition.required_signatures) == (20_000, 4_000)
    assert petition.deadline > today

    # Lines keyed over the weeks since approval, never today or later, at a rising pace.
    tz = timezone.get_current_timezone()
    per_day = dict(
        Line.objects.filter(petition=petition).annotate(day=TruncDate("entered_at", tzinfo=tz))
        .values_list("day").annotate(n=Count("id")).order_by()
    )  # fmt: skip
    assert min(per_day) > petition.approved_on
    assert max(per_day) == today - timedelta(days=1)
    assert len(per_day) >= 30
    weeks = [sum(n for day, n in per_day.items() if (day - petition.approved_on).days // 7 == w)
             for w in range(DEMO_WEEKS_IN)]  # fmt: skip
    assert weeks == sorted(weeks)
    assert weeks[-1] > 3 * weeks[0]
    # Each line signed while its section circulated, before it was keyed; sections received
    # after circulating, within the campaign (but the backdated suspect sections' lines).
    backdated = {s for s, p in demo_suspect_patterns(1_500).items() if p == "backdated"}
    lines = Line.objects.filter(petition=petition).exclude(section__serial__in=backdated)
    for line in lines.select_related("section")[::50]:
        section = line.section
        assert petition.approved_on <= section.circulated_from <= section.circulated_to
        assert section.circulated_to <= section.received_on <= line.entered_at.astimezone(tz).date()
        assert section.circulated_from <= line.date_signed <= section.circulated_to
    # The tallies behind the dashboard moved with the lines' days.
    assert tallies_reconcile() == []

    # On its way: at the last two weeks' pace it reaches the requirement by the deadline,
    # though it has not yet.
    progress = petition_progress(petition)
    series = [p for p in pace(petition, progress)["series"] if p["cumulative_valid"] is not None]
    recent = sum(p["valid"] for p in series[-14:]) / 14
    valid = series[-1]["cumulative_valid"]
    assert valid < petition.required_signatures
    assert valid + recent * (petition.deadline - today).days >= petition.required_signatures

    # Circulators of different quality: most near the county's rate, a careless one flagged.
    circulators = breakdowns(petition, refresh=True)["circulators"]
    rates = [c["validity_rate"] for c in circulators if c["decided"] >= 20]
    assert any(c["flagged"] for c in circulators)
    assert max(rates) - min(rates) > 0.3

    # A few circulators are paid and the weeks since approval closed: the pay pages show a
    # ledger, every entry explained by the lines (or shifts) behind it.
    assert "circulators paid" in out
    paid = Circulator.objects.filter(kind="paid")
    assert paid.count() == 5
    assert paid.filter(pay_basis="hourly").get().shifts.exists()
    periods = set(PayEntry.objects.values_list("period_start", flat=True))
    assert len(periods) >= 3  # weeks with lines of the paid circulators, or their hours
    for entry in PayEntry.objects.prefetch_related("lines")[:50]:
        assert entry.amount == sum(row.amount for row in entry.lines.all())


def test_the_demo_has_a_suspect_section_of_each_pattern_on_top(demo):
    from petitions.suspects import suspect_sections

    petition, _ = demo
    patterns = demo_suspect_patterns(1_500)
    listed = suspect_sections(petition, refresh=True)["sections"]
    top = {s["serial"] for s in listed[: len(patterns) + 2]}
    found = {patterns[s] for s in top if s in patterns}
    # The lines were decided by the matcher: each pattern's section is there, high in the list.
    assert found == set(patterns.values()), listed[:20]
    # and no honest section of the demo is flagged at all
    assert {s["serial"] for s in listed} == set(patterns), listed
