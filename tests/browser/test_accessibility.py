"""axe-core (WCAG 2.1 A and AA) on every page each role reaches, in the states that matter: no
serious or critical violation anywhere.

The pages are listed once, in PAGES: a page added to the app is one line here. The scanner is our
own static file (static/vendor/axe-core), so the content security policy lets it run.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from petitions.entry import LineInput, second_entry_start, second_line_save
from petitions.models import Line, Petition, RegistrarLine, RegistrarResult, Section
from petitions.review import line_decide
from petitions.services import petition_create
from petitions.validation import petition_validate_pending
from recall.roles import ADMIN, ORGANIZER, REVIEWER, VOLUNTEER
from scans.layout_service import layout_save
from scans.uploads import scan_pages_process_waiting
from tests.browser.conftest import csp_violations, log_in_page
from tests.browser.test_review_queue import ROLL
from tests.conftest import _persona
from tests.scans.images import clean_storage, store_line
from tests.scans.images import store_page as store_scan_page
from tests.scans.line_images import add_line_images, use_scans_dir
from tests.scans.pages import line_box, remove_scan_files, render_page, store_page
from tests.voters.factories import write_canonical
from voters.models import VoterRoll

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Rules outside those tags that we hold ourselves to: a header cell a screen reader reads as
# nothing (action columns) is announced as "blank".
AXE_EXTRA_RULES = ["empty-table-header"]
FAILING_IMPACTS = {"serious", "critical"}
AXE_SCRIPT = "/static/vendor/axe-core/axe.min.js"

# The reviewer's queue test's lines: the first and third wait for a person to pick a voter.
LINES = [("Jose Martinez", "500 Elm St", "Pasadena"), ("Bob Smithers", "12 Oak Ave", "Glendale"),
         ("J Martinez", "500 Elm Street", "Pasadena")]  # fmt: skip

ANONYMOUS = "anonymous"
EVERYONE = (VOLUNTEER, REVIEWER, ORGANIZER, ADMIN)
ENTRY = (VOLUNTEER, ORGANIZER, ADMIN)  # who keys sections
REVIEW = (REVIEWER, ORGANIZER, ADMIN)
RUN = (ORGANIZER, ADMIN)  # who runs a petition: dashboard, new petition
# The pages whose fixes show (the rest were looked at once, in a run that took them all).
SCREENSHOTS = {(REVIEWER, "petitions"), (VOLUNTEER, "section entry, form error"),
               (VOLUNTEER, "section entry, from a scan"), (ORGANIZER, "sections"),
               (ADMIN, "admin user"), (ADMIN, "admin lock-outs")}  # fmt: skip


def type_line(page, name: str, address: str, city: str, zip_code: str = "") -> None:
    page.click("#id_printed_name")
    for value in (name, address, city):
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    page.keyboard.type(zip_code)


def show_form_error(page) -> None:
    type_line(page, "Nobody Known", "1 Nowhere St", "Pasadena", "ABCDE")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=is not a ZIP code")


def show_hint(page) -> None:
    type_line(page, "Bob Smithers", "12 Oak Ave", "Glendale")
    page.wait_for_selector("#hint-box[data-outcome]")


def zoom_line_image(page) -> None:
    page.keyboard.press("Alt+z")
    page.wait_for_selector("#line-image.zoomed")
    page.wait_for_timeout(300)  # the button's colour transition (.15 s) ends before axe looks


def zoom_scan(page) -> None:
    page.wait_for_selector("#line-scan img")
    page.keyboard.press("z")
    page.wait_for_selector("#line-scan-frame.zoomed")


def dashboard_drawn(page) -> None:
    page.wait_for_function("() => document.querySelectorAll('canvas').length === 4")
    # The circulators' table scrolls in its box: axe checks the keyboard can reach it.
    scrolls = "e => e.scrollHeight > e.clientHeight"
    assert page.eval_on_selector("#circulators", f"t => ({scrolls})(t.parentElement)")


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e),
        box = e.getBoundingClientRect();
      return {id: e.id, text: e.textContent.trim(), outline: s.outlineStyle + ' ' + s.outlineWidth,
              shown: box.width > 10 && box.height > 10 && box.top >= 0}; }""")


def keyboard_checks(page, screenshot_dir) -> None:
    """From the top of a page: Tab reaches the skip link first, shown, then the navbar with a
    clear focus ring; the skip link's Enter goes to the content."""
    page.keyboard.press("Tab")
    skip = focused(page)
    assert (skip["text"], skip["shown"]) == ("Skip to content", True), skip
    page.screenshot(path=str(screenshot_dir / "a11y-skip-link.png"))
    page.keyboard.press("Tab")
    brand = focused(page)
    assert (brand["text"], brand["outline"]) == ("Recall tracker", "solid 3px"), brand
    page.screenshot(path=str(screenshot_dir / "a11y-navbar-focus.png"))
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"


@dataclass(frozen=True)
class State:
    """A page in one state: its path ({names} filled from the test's data), the roles that see
    it, what brings it to that state after loading, and the status it answers with."""

    name: str
    path: str
    roles: tuple[str, ...]
    then: Callable[..., None] | None = None
    status: int = 200
    ready: str = "main"  # a selector present once the page has settled


PAGES = [
    State("login", "/accounts/login/", (ANONYMOUS,), ready="form"),
    State("home", "/", EVERYONE),
    State("petitions", "/petitions/", EVERYONE),
    State("petition new", "/petitions/new", RUN),
    State("dashboard", "/petitions/la-da/dashboard/", RUN, then=dashboard_drawn),
    State("dashboard, empty petition", "/petitions/empty/dashboard/", RUN),
    State("calibration curve", "/petitions/la-da/calibration/", RUN, ready="#curve-svg"),
    State("registrar's results", "/petitions/la-da/registrar/", RUN),
    State("registrar's results, import", "/petitions/la-da/registrar/import", RUN),
    State("challenge list", "/petitions/la-da/registrar/challenges/", RUN),
    State("circulators", "/circulators/", RUN),
    State("circulators, merges", "/circulators/merge/", RUN),
    State("pay periods", "/circulators/pay/", RUN),
    State("suspect sections", "/petitions/la-da/suspects/", RUN, ready="#suspects"),
    # A petition of three counties: each county's verification, the sum, the five-county rule.
    State("dashboard, statewide", "/petitions/state/dashboard/", RUN, ready="#counties-table"),
    State("30-day reports", "/petitions/state/reports/", RUN, ready="#period-1"),
    State("county votes", "/petitions/state/county-votes", RUN, ready="#county-votes-form"),
    State("sections, none", "/petitions/empty/sections/", ENTRY),
    State("sections", "/petitions/la-da/sections/", ENTRY),
    State("section new", "/petitions/la-da/sections/new", ENTRY),
    State("section entry", "/petitions/la-da/sections/3/", ENTRY, ready="#line-entry"),
    State("section entry, hint", "/petitions/la-da/sections/3/", ENTRY, then=show_hint),
    State("section entry, form error", "/petitions/la-da/sections/3/", ENTRY, then=show_form_error),
    State("second entry", "/petitions/double/sections/{second}/second/", ENTRY),
    State(
        "section entry, from a scan",
        "/petitions/la-da/sections/40/",
        ENTRY,
        ready="#line-image-img[data-number='1']",
    ),
    State(
        "section entry, from a scan, zoomed",
        "/petitions/la-da/sections/40/",
        ENTRY,
        then=zoom_line_image,
    ),
    State("review queue", "/petitions/la-da/review/", REVIEW, ready="#review-item"),
    State("review, transcriptions", "/petitions/double/review/", REVIEW, ready="#transcriptions"),
    State("review queue, empty", "/petitions/empty/review/", REVIEW, ready="#queue-empty"),
    State("line detail", "/petitions/la-da/review/lines/{line}/", REVIEW),
    State("line detail, decided", "/petitions/la-da/review/lines/{decided_line}/", REVIEW),
    State("review, my decisions", "/petitions/la-da/review/mine/", REVIEW),
    State("scans", "/scans/la-da/", RUN, ready="#flagged"),
    State("scans, none", "/scans/empty/", RUN, ready="#no-scans"),
    State("scan layout", "/scans/la-da/layout", RUN, ready="#scan-boxes .scan-box"),
    State(
        "scan page, needs a person",
        "/scans/la-da/pages/{flagged_page}/",
        RUN,
        ready="#scan-boxes .scan-box",
    ),
    State("forbidden, scans", "/scans/la-da/", (VOLUNTEER, REVIEWER), status=403),
    # Scanned: the line's handwriting above the candidates, zoomed with Z; the keyer's line page.
    State("review, with the scan", "/petitions/scanned/review/", REVIEW, ready="#line-scan img"),
    State("review, scan zoomed", "/petitions/scanned/review/", REVIEW, then=zoom_scan),
    State(
        "line page, with the scan",
        "/petitions/scanned/sections/1/lines/1/",
        ENTRY,
        ready="#line-scan img",
    ),
    State("help", "/help/", EVERYONE),
    State("users", "/users/", (ADMIN,)),
    State("user new", "/users/new/", (ADMIN,)),
    State("user", "/users/{volunteer_id}/", (ADMIN,)),
    State("audit log", "/audit/", (ADMIN,)),
    State("forbidden, users", "/users/", (VOLUNTEER, REVIEWER, ORGANIZER), status=403),
    State("voter rolls", "/voters/rolls/", (ADMIN,)),
    State("voter roll import", "/voters/rolls/import/", (ADMIN,)),
    State("scans upload", "/scans/la-da/upload", RUN),
    State("voter roll", "/voters/rolls/{roll}/", (ADMIN,)),
    State("voter roll, not active", "/voters/rolls/{staged_roll}/", (ADMIN,)),
    State("voter roll, activate", "/voters/rolls/{staged_roll}/activate/confirm/", (ADMIN,)),
    State("password change", "/accounts/password/", EVERYONE),
    State("password changed", "/accounts/password/done/", EVERYONE),
    State("not found", "/no-such-page/", EVERYONE, status=404),
    State("forbidden, dashboard", "/petitions/la-da/dashboard/", (VOLUNTEER, REVIEWER), status=403),
    State("forbidden, sections", "/petitions/la-da/sections/", (REVIEWER,), status=403),
    State("forbidden, voter rolls", "/voters/rolls/", (VOLUNTEER, REVIEWER, ORGANIZER), status=403),
    # What of Django's admin site admins still use.
    State("admin", "/admin/", (ADMIN,), ready="#content"),
    State("admin users", "/admin/auth/user/", (ADMIN,), ready="#content"),
    State("admin user", "/admin/auth/user/{volunteer_id}/change/", (ADMIN,), ready="#content"),
    State("admin audit log", "/admin/recall/auditevent/", (ADMIN,), ready="#content"),
    State("admin lock-outs", "/admin/axes/accessattempt/", (ADMIN,), ready="#content"),
]


def build_data(tmp_path, users: dict[str, object]) -> dict[str, object]:
    """One petition with sections, decided lines, a line waiting for review and enough
    circulators to scroll their table; an empty petition; one keyed twice, with a disagreement;
    an active roll and a smaller one waiting for an admin's confirmation."""
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    call_command("import_voters", str(write_canonical(tmp_path / "small.csv", ROLL[:1])),
                 no_activate=True)  # fmt: skip
    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    petition_create(title="Recall the Sheriff", slug="empty", required=500)
    section = Section.objects.create(petition=petition, serial=3, entered_by=users[VOLUNTEER],
                                     circulator_name="Ana Ruiz")  # fmt: skip
    for number, (name, address, city) in enumerate(LINES, start=1):
        Line.objects.create(petition=petition, section=section, number=number, printed_name=name,
                            residence_address=address, city=city)  # fmt: skip
    for serial in range(10, 30):
        other = Section.objects.create(petition=petition, serial=serial,
                                       entered_by=users[ORGANIZER],
                                       circulator_name=f"Circulator {serial}")  # fmt: skip
        Line.objects.create(petition=petition, section=other, number=1, printed_name="Nobody",
                            residence_address=f"{serial} Main St", city="Pasadena")  # fmt: skip
    while petition_validate_pending(petition_id=petition.pk):
        pass
    decided = Line.objects.get(section=section, number=3, status="needs_review")
    line_decide(line_id=decided.pk, choice="voter:JR1", reviewer=users[REVIEWER])
    # The registrar's line-by-line result: the dashboard's calibrated panel and the curve.
    result = RegistrarResult.objects.create(petition=petition, kind="lines",
                                            as_of=timezone.localdate())  # fmt: skip
    RegistrarLine.objects.bulk_create(
        RegistrarLine(result=result, line=line,
                      category="valid" if line.status == "valid" else "not_registered")
        for line in Line.objects.filter(petition=petition)
    )  # fmt: skip
    double = petition_create(title="Recall the Assessor", slug="double", required=500)
    double.double_entry = True
    double.save(update_fields=["double_entry"])
    # Two transcriptions of a line that disagree: the reviewer settles them.
    keyed = Section.objects.create(petition=double, serial=1, entered_by=users[VOLUNTEER])
    Line.objects.create(petition=double, section=keyed, number=1, printed_name="Bob Smithers",
                        residence_address="12 Oak Ave", city="Glendale")  # fmt: skip
    with transaction.atomic():
        second_entry_start(section=keyed, user=users[ORGANIZER])
    second_line_save(section=keyed, client_token=uuid.uuid4(), entered_by=users[ORGANIZER],
                     data=LineInput(printed_name="Rob Smithers", residence_address="12 Oak Ave",
                                    city="Glendale"))  # fmt: skip
    # Scans of section 3: a page cut with the layout, and one that needs a person.
    sample = store_page(section, 1, render_page(0))
    flagged = store_page(section, 2, render_page(1, ruled=False))
    layout_save(petition=petition, sample_page=sample, first=line_box(0), last=line_box(9),
                lines_per_page=10, by=users[ORGANIZER])  # fmt: skip
    # What the imports queue does once the layout is saved: cut page 1, flag page 2.
    scan_pages_process_waiting(petition_id=petition.pk)
    # A scanned section handed to the volunteer: entry from its line images (made after the
    # layout, whose saving cuts every page of the petition again).
    scanned = Section.objects.create(petition=petition, serial=40, assigned_to=users[VOLUNTEER])
    add_line_images(scanned, {1: "Line 1   Maria Lopez, 12 Oak Ave", 2: "Line 2   Ana Ruiz"})
    # A scanned section: its line waits for a reviewer, with its image.
    scanned = petition_create(title="Recall the Treasurer", slug="scanned", required=500)
    scanned_section = Section.objects.create(petition=scanned, serial=1,
                                             entered_by=users[VOLUNTEER])  # fmt: skip
    Line.objects.create(petition=scanned, section=scanned_section, number=1,
                        printed_name="Jose Martinez", residence_address="500 Elm St",
                        city="Pasadena")  # fmt: skip
    while petition_validate_pending(petition_id=scanned.pk):
        pass
    store_line(store_scan_page(scanned_section), 1, "Jose Martinez   500 Elm St, Pasadena")
    statewide = Petition.objects.create(
        title="Recall the Governor", slug="state", required_signatures=3,
        electorate_counties=["19", "30", "37"], sampling_rule=Petition.SamplingRule.STATEWIDE,
        county_votes={"19": 100, "30": 100}, approved_on=timezone.localdate(),
    )  # fmt: skip
    for serial, (county, statuses) in enumerate(
        (("19", ["valid", "valid", "not_registered"]), ("30", ["valid"]), ("37", ["pending"])),
        start=1,
    ):
        county_section = Section.objects.create(petition=statewide, serial=serial,
                                                county_code=county)  # fmt: skip
        for number, status in enumerate(statuses, start=1):
            Line.objects.create(petition=statewide, section=county_section, number=number,
                                printed_name="Nobody", residence_address="1 Main St",
                                status=status)  # fmt: skip
    return {
        "flagged_page": flagged.pk,
        "line": Line.objects.get(section=section, number=1, status="needs_review").pk,
        "decided_line": decided.pk,
        "roll": VoterRoll.objects.get(state="active").pk,
        "staged_roll": VoterRoll.objects.exclude(state="active").get().pk,
        "volunteer_id": users[VOLUNTEER].pk,
        "double": double,
    }


def second_entry_for(double, keyer, other) -> int:
    """A section of the double-entry petition that `other` keyed and `keyer` keys again."""
    serial = 100 + keyer.pk
    section = Section.objects.create(petition=double, serial=serial, entered_by=other)
    with transaction.atomic():
        second_entry_start(section=section, user=keyer)
    return serial


AXE_RUN = """async ([tags, extra]) => {
  const rules = Object.fromEntries(extra.map(id => [id, {enabled: true}]));
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, rules,
                                         resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.map(n => n.target.join(' '))}));
}"""


def axe_violations(page, base: str) -> list[dict]:
    page.add_script_tag(url=base + AXE_SCRIPT)
    return page.evaluate(AXE_RUN, [AXE_TAGS, AXE_EXTRA_RULES])


@pytest.fixture
def scan_files():
    yield
    for petition_id in Petition.objects.values_list("pk", flat=True):
        remove_scan_files(petition_id)


@pytest.fixture(autouse=True)
def _scans_cleaned():
    yield
    clean_storage()


def test_no_serious_accessibility_violation_on_any_page_of_any_role(
    browser, live_server, tmp_path, screenshot_dir, scan_files, settings, monkeypatch
):
    use_scans_dir(settings, monkeypatch, tmp_path)
    users = {role: _persona(f"axe_{role.lower()}", role) for role in EVERYONE}
    data = build_data(tmp_path, users)
    base = live_server.url
    found: list[str] = []
    refused: list[str] = []
    checked = 0
    for role in (ANONYMOUS, *EVERYONE):
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        context.set_default_timeout(20_000)
        page = context.new_page()
        refused_here = csp_violations(page)
        if role != ANONYMOUS:
            log_in_page(page, base, users[role])
            other = users[ORGANIZER if role == VOLUNTEER else VOLUNTEER]
            values = {**data, "second": second_entry_for(data["double"], users[role], other)}
        else:
            values = data
        for state in PAGES:
            if role not in state.roles:
                continue
            url = base + state.path.format(**values)
            response = page.goto(url)
            assert response is not None
            assert response.status == state.status, f"{state.name} as {role}: {response.status}"
            page.wait_for_selector(state.ready)
            if state.then:
                state.then(page)
            if (role, state.name) == (ORGANIZER, "dashboard"):
                keyboard_checks(page, screenshot_dir)
            checked += 1
            for violation in axe_violations(page, base):
                if violation["impact"] in FAILING_IMPACTS or violation["id"] in AXE_EXTRA_RULES:
                    found.append(
                        f"{state.name} as {role} ({state.path}): {violation['id']} "
                        f"[{violation['impact']}] {violation['help']}: "
                        + ", ".join(violation["targets"][:5])
                    )
            if (role, state.name) in SCREENSHOTS:
                page.screenshot(path=str(screenshot_dir / f"a11y-{role}-{state.name}.png"))
        context.close()
        # axe sets a style attribute in some checks; the policy refuses it (and axe copes).
        refused += [report for report in refused_here if AXE_SCRIPT not in report]
    print(f"axe checked {checked} page states")
    assert not found, "accessibility violations:\n" + "\n".join(found)
    assert not refused, "content security policy violations:\n" + "\n".join(refused)
