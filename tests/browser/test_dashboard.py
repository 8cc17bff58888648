"""An organizer opens the dashboard on the demo data: every part is there and agrees with the
export."""

import csv
import io
from collections import Counter

import pytest
from django.core.management import call_command

from petitions.models import Petition
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
    }  # fmt: skip
    log_in(organizer)
    page.click("text=Petitions")
    screenshot("petition-list")
    listed_lines = page.inner_text(f"#petition-{petition.slug} td.num >> nth=1").split()[0]
    page.click(f"#petition-{petition.slug} >> text=Dashboard")
    page.wait_for_selector("#chart-pace")
    page.wait_for_function("() => document.querySelectorAll('canvas').length === 3")
    screenshot("dashboard")

    parts = ("#headline", "#registrar", "#chart-pace", "#chart-reasons", "#reasons",
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
