"""An organizer opens the dashboard on the demo data: every part is there and agrees with the
export."""

import csv
import io
from collections import Counter

import pytest
from django.core.management import call_command

from petitions.models import Petition
from petitions.progress import FAR_BELOW, MIN_LINES_TO_FLAG
from recall.models import AuditEvent

pytestmark = pytest.mark.browser


def test_dashboard_on_the_demo_data_agrees_with_the_export(
    log_in, page, screenshot, organizer, live_server
):
    call_command("load_demo", voters=20_000, lines=1_500)
    petition = Petition.objects.get(slug="demo-recall")
    # What the demo set-up did is in the audit log, under the account that ran it.
    loaded = AuditEvent.objects.filter(username__endswith="(manage.py load_demo)")
    assert set(loaded.values_list("action", flat=True)) == {
        "role_change", "import", "roll_activated", "petition_created",
        # the demo's paid circulators: their pay terms, and the pay periods closed
        "circulator_changed", "pay_period_closed",
    }  # fmt: skip
    log_in(organizer)
    page.click("text=Petitions")
    screenshot("petition-list")
    listed_lines = page.inner_text(f"#petition-{petition.slug} td.num >> nth=1").split()[0]
    page.click(f"#petition-{petition.slug} >> text=Dashboard")
    page.wait_for_selector("#chart-pace")
    page.wait_for_function("() => document.querySelectorAll('canvas').length === 4")
    screenshot("dashboard")

    parts = ("#headline", "#registrar", "#chart-pace", "#chart-daily", "#chart-reasons", "#reasons",
             "#chart-circulators", "#circulators", "#roll-order", "#areas",
             "#downloads")  # fmt: skip
    for part in parts:
        assert page.locator(part).count() == 1, part
    assert page.inner_text("#r-band") in ("sufficient", "full count", "insufficient")
    # The list and the dashboard count the same lines; each projection says what it is.
    assert page.inner_text("#h-raw") == listed_lines
    assert "our own count" in page.inner_text("#r-what")
    # Every area table says how many lines it could not attribute.
    tables = page.locator("#areas table").count()
    assert tables >= 3
    assert page.locator("#areas .unattributed").count() == tables

    export = page.request.get(f"{live_server.url}/petitions/{petition.slug}/export.csv")
    rows = list(csv.DictReader(io.StringIO(export.text())))
    statuses = Counter(row["status"] for row in rows)
    assert page.inner_text("#h-valid") == f"{statuses['valid']:,}"
    assert page.inner_text("#h-raw") == f"{len(rows) - statuses['blank']:,}"
    progress = page.request.get(f"{live_server.url}/petitions/{petition.slug}/progress.json").json()
    assert progress["by_status"] == {s: statuses.get(s, 0) for s in progress["by_status"]}

    listed = page.request.get(
        f"{live_server.url}/petitions/{petition.slug}/lists/not_registered.csv"
    ).text()
    assert len(listed.strip().splitlines()) == statuses["not_registered"] + 1
    recorded = AuditEvent.objects.filter(action__in=("download", "export"))
    assert list(recorded.values_list("action", "user")) == [
        ("download", organizer.pk), ("export", organizer.pk),
    ]  # fmt: skip


def _chart(page, canvas_id: str, expression: str):
    return page.evaluate(
        f"() => {{ const chart = Chart.getChart('{canvas_id}'); return {expression}; }}"
    )


def test_dashboard_charts_explain_themselves_and_print_on_two_pages(
    log_in, page, screenshot, organizer, live_server, tmp_path
):
    call_command("load_demo", voters=20_000, lines=1_500)
    petition = Petition.objects.get(slug="demo-recall")
    # A phone's width: the circulator chart still names every bar.
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(organizer)
    page.goto(f"{live_server.url}/petitions/{petition.slug}/dashboard/")
    page.wait_for_function("() => Chart.getChart('chart-circulators') !== undefined")
    bars = _chart(page, "chart-circulators", "chart.data.labels.length")
    assert bars >= 10
    assert _chart(page, "chart-circulators", "chart.scales.y.ticks.length") == bars
    assert _chart(page, "chart-circulators", "chart.options.indexAxis") == "y"
    flagged = page.locator("#circulators .badge", has_text="check").count()
    assert flagged >= 1
    labels = _chart(page, "chart-circulators", "chart.data.labels")
    assert sum(label.endswith("[check]") for label in labels) == flagged
    # The badge and the LA 2022 column are explained beside them, in text (keyboard and print).
    note = page.inner_text("#check-note")
    assert f"at least {MIN_LINES_TO_FLAG} decided lines" in note
    assert f"more than {round(FAR_BELOW * 100)} points under the median" in note
    assert page.get_attribute("#circulators", "aria-describedby") == "check-note"
    assert "2022" in page.inner_text("#la-2022-note")
    # Pace: a cumulative chart on a scale of the requirement, and a daily one of lines a day.
    required = petition.required_signatures
    assert _chart(page, "chart-pace", "chart.scales.y.max") <= 1.5 * required
    daily_max = _chart(page, "chart-daily", "chart.scales.y.max")
    assert daily_max < required / 4
    assert _chart(page, "chart-daily", "chart.data.datasets[0].data.some((n) => n > 0)")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    page.wait_for_timeout(200)  # the charts redraw at the printed size
    screenshot("dashboard-print")
    for hidden in ("nav.navbar", "#downloads"):
        assert not page.locator(hidden).is_visible(), hidden
    # Every circulator row printed: the scrolling box no longer clips the table.
    box = page.locator("#circulators").locator("xpath=..")
    assert box.evaluate("(el) => el.scrollHeight <= el.clientHeight + 1")
    rows = page.locator("#circulators tbody tr").count()
    assert rows > 10
    # Badges print black on white with a border (backgrounds do not print).
    badge = page.locator("#circulators .badge").first
    assert badge.evaluate("(el) => getComputedStyle(el).color") == "rgb(0, 0, 0)"
    assert badge.evaluate("(el) => getComputedStyle(el).borderTopStyle") == "solid"
    pdf = page.pdf(format="Letter")
    assert pdf.count(b"/Type /Page\n") in (1, 2)
