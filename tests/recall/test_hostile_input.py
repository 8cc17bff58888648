"""Random and hostile values at every form, the CSV importers and the JSON endpoints.

The property, for every request: never a server error; and when the answer is an error (a 4xx
status, or a page showing a form error), the stored data is exactly as it was. Values that
happen to be valid may be stored: that is a success, and it must say so.
"""

import json
import os
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from petitions.entry import LineInput, line_update
from petitions.models import Circulator, Line, LineEvent, Petition, SecondEntry, Section
from petitions.services import SignatureImportError, signatures_import
from recall.roles import VOLUNTEER
from tests.conftest import PASSWORD, _persona
from tests.petitions.helpers import ROLL
from tests.voters.factories import write_canonical
from voters.models import VoterRoll
from voters.services import voter_roll_create, voter_roll_import
from voters.voterfile import CANONICAL_COLUMNS, FileError

pytestmark = pytest.mark.django_db(transaction=True)

# HOSTILE_EXAMPLES=500 make test (or pytest) explores further than the suite's default.
EXAMPLES = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text a browser can send (no lone surrogates), with the classics mixed in.
HOSTILE = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=120),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "=1+1",
            "@SUM(A1)",
            "' OR 1=1 --",
            "'; DROP TABLE petitions_line; --",
            "<script>alert(1)</script>",
            "{{ 7*7 }}",
            "../../etc/passwd",
            "9" * 400,
            "-1",
            "0",
            "2147483648",
            "99999999999999999999",
            "1e309",
            "NaN",
            "null",
            "\u202egnp.exe",
            "\U0001d518\U0001d52b\U0001d526 \u2713",
            "%00",
            "\r\n\r\n",
            "2026-02-30",
            "0000-00-00",
            "voter:",
            "voter:BOB",
        ]
    ),
    st.integers().map(str),
)
# Tables whose rows a refused request must leave alone (the audit log may grow: failed logins).
TABLES = ("petitions_petition", "petitions_section", "petitions_line", "petitions_lineevent",
          "petitions_secondentry", "voters_voterroll", "auth_user", "auth_user_groups",
          "petitions_circulator", "petitions_circulatorshift", "petitions_payentry",
          "petitions_payentryline")  # fmt: skip


def fingerprint() -> dict[str, str]:
    """Each table's row count and a hash of all its rows."""
    found = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            rows = "coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
            cursor.execute(f"SELECT count(*), {rows} FROM {table} t")  # noqa: S608 (constants)
            found[table] = cursor.fetchone()
    return found


def shows_an_error(response) -> bool:
    if response.status_code >= 400:
        return True
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    body = response.content.decode(errors="replace")
    return any(mark in body for mark in ("errorlist", "invalid-feedback", "alert-danger"))


def check(request):
    """Send one request; assert no server error, and no change behind an error."""
    before = fingerprint()
    response = request()
    assert response.status_code < 500, response.content[:500]
    if shows_an_error(response):
        assert fingerprint() == before, (response.status_code, response.content[:500])
    return response


@pytest.fixture
def second_keyer(db):
    return _persona("sam_second", VOLUNTEER)


@pytest.fixture
def world(tmp_path, volunteer, second_keyer):
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    section = Section.objects.create(petition=petition, serial=1, entered_by=volunteer,
                                     second_entered_by=second_keyer)  # fmt: skip
    line = Line.objects.create(petition=petition, section=section, number=1,
                               printed_name="Robert Smithers", residence_address="12 Oak Ave",
                               city="Glendale")  # fmt: skip
    line_update(line_id=line.pk, edited_by=volunteer,
                data=LineInput(printed_name="Robert Smithers", residence_address="12 Oak Avenue",
                               city="Glendale"))  # fmt: skip
    Line.objects.filter(pk=line.pk).update(
        status="needs_review", reason={"candidates": [{"voter_id": "BOB"}]}
    )
    SecondEntry.objects.create(section=section, number=1, printed_name="Bob Smithers",
                               residence_address="12 Oak Ave", agrees=False)  # fmt: skip
    event = LineEvent.objects.get(line=line)
    return {"petition": petition, "section": section, "line": line, "event": event}


line_fields = st.fixed_dictionaries(
    {
        "number": HOSTILE, "printed_name": HOSTILE, "residence_address": HOSTILE,
        "city": HOSTILE, "zip": HOSTILE, "signed": HOSTILE,
    },
    optional={"blank": HOSTILE},
)  # fmt: skip


# Forms ---------------------------------------------------------------------------------------


@EXAMPLES
@given(data=line_fields, token=st.one_of(HOSTILE, st.uuids().map(str)), htmx=st.booleans())
def test_the_entry_row_refuses_hostile_lines_cleanly(client, world, volunteer, data, token, htmx):
    client.force_login(volunteer)
    url = reverse("petitions:line_add", args=["test", 1])
    headers = {"HX-Request": "true"} if htmx else {}
    check(lambda: client.post(url, {**data, "client_token": token}, headers=headers))


@EXAMPLES
@given(data=line_fields)
def test_fixing_a_line_refuses_hostile_values_cleanly(client, world, volunteer, data):
    client.force_login(volunteer)
    check(lambda: client.post(reverse("petitions:line_edit", args=["test", 1, 1]), data))


@EXAMPLES
@given(
    data=st.fixed_dictionaries(
        {
            "serial": HOSTILE,
            "circulator_name": HOSTILE,
            "circulator_address": HOSTILE,
            "circulated_from": HOSTILE,
            "circulated_to": HOSTILE,
            "received_on": HOSTILE,
            "declaration_signed": HOSTILE,
        }
    )
)
@example(data={"serial": "2147483648", "circulator_name": "", "circulator_address": "",
               "circulated_from": "", "circulated_to": "", "received_on": "",
               "declaration_signed": ""})  # fmt: skip
def test_starting_a_section_refuses_hostile_values_cleanly(client, world, volunteer, data):
    client.force_login(volunteer)
    check(lambda: client.post(reverse("petitions:section_new", args=["test"]), data))


@EXAMPLES
@given(choice=HOSTILE, nxt=HOSTILE, transcription=HOSTILE)
def test_review_decisions_refuse_hostile_values_cleanly(
    client, world, reviewer, choice, nxt, transcription
):
    client.force_login(reviewer)
    line, second = world["line"], SecondEntry.objects.get()
    check(lambda: client.post(reverse("petitions:review_line", args=["test", line.pk]),
                              {"choice": choice, "next": nxt}))  # fmt: skip
    check(lambda: client.post(reverse("petitions:transcription", args=["test", second.pk]),
                              {"choice": transcription}))  # fmt: skip
    check(lambda: client.post(reverse("petitions:undo", args=["test", world["event"].pk]),
                              {"next": nxt}))  # fmt: skip


@EXAMPLES
@given(data=line_fields)
def test_the_second_entry_refuses_hostile_lines_cleanly(client, world, second_keyer, data):
    client.force_login(second_keyer)
    check(lambda: client.post(reverse("petitions:second_line_add", args=["test", 1]), data))


@EXAMPLES
@given(
    data=st.fixed_dictionaries(
        {
            "title": HOSTILE,
            "slug": HOSTILE,
            "officer": HOSTILE,
            "jurisdiction": HOSTILE,
            "registration_base": HOSTILE,
            "required_signatures": HOSTILE,
            "approved_on": HOSTILE,
            "deadline": HOSTILE,
            "double_entry": HOSTILE,
        }
    )
)
@example(data={"title": "T", "slug": "t", "officer": "", "jurisdiction": "LA",
               "registration_base": "", "required_signatures": "99999999999", "approved_on": "",
               "deadline": "", "double_entry": ""})  # fmt: skip
def test_a_new_petition_refuses_hostile_values_cleanly(client, world, organizer, data):
    client.force_login(organizer)
    check(lambda: client.post(reverse("petitions:new"), data))


@EXAMPLES
@given(username=HOSTILE, password=HOSTILE)
def test_the_login_form_refuses_hostile_values_cleanly(client, world, username, password):
    response = check(
        lambda: client.post(reverse("login"), {"username": username, "password": password})
    )
    assert response.status_code in (200, 429)  # the form again, or the lock-out page
    assert "_auth_user_id" not in client.session


@EXAMPLES
@given(old=HOSTILE, new1=HOSTILE, new2=HOSTILE)
def test_the_password_form_refuses_hostile_values_cleanly(client, world, volunteer, old, new1,
                                                          new2):  # fmt: skip
    client.force_login(volunteer)
    data = {"old_password": old, "new_password1": new1, "new_password2": new2}
    check(lambda: client.post(reverse("password_change"), data))
    volunteer.refresh_from_db()
    assert volunteer.check_password(PASSWORD)  # the old password is never hostile-valid


@EXAMPLES
@given(username=HOSTILE, password1=HOSTILE, password2=HOSTILE, usable=HOSTILE)
def test_the_admin_new_user_form_refuses_hostile_values_cleanly(
    client, world, admin_user, username, password1, password2, usable
):
    client.force_login(admin_user)
    data = {"username": username, "password1": password1, "password2": password2,
            "usable_password": usable}  # fmt: skip
    check(lambda: client.post(reverse("admin:auth_user_add"), data))


@EXAMPLES
@given(
    data=st.fixed_dictionaries(
        {
            "username": HOSTILE, "first_name": HOSTILE, "email": HOSTILE, "is_active": HOSTILE,
            "is_superuser": HOSTILE, "groups": st.lists(HOSTILE, max_size=3),
            "user_permissions": st.lists(HOSTILE, max_size=3),
            "date_joined_0": HOSTILE, "date_joined_1": HOSTILE, "last_login_0": HOSTILE,
        }
    )
)  # fmt: skip
def test_the_admin_user_form_refuses_hostile_values_cleanly(
    client, world, admin_user, volunteer, data
):
    client.force_login(admin_user)
    check(lambda: client.post(reverse("admin:auth_user_change", args=[volunteer.pk]), data))
    volunteer.refresh_from_db()
    assert not volunteer.is_superuser  # never from an admin's form, hostile or not


def _upload_name(name: str) -> str:
    """A browser's file name from a hostile one: what the test client can send at all (a name
    of only slashes or NULs derives no file name, which Django's test upload refuses itself)."""
    return (name or "x")[:100].replace("\x00", "").strip("/") or "x"


@EXAMPLES
@given(
    data=st.fixed_dictionaries(
        {
            "server_file": HOSTILE,
            "format": HOSTILE,
            "max_reject_rate": HOSTILE,
            "activate": HOSTILE,
        }
    ),
    name=HOSTILE,
    content=st.binary(max_size=2000),
)
def test_the_import_form_refuses_hostile_uploads_cleanly(
    client, world, admin_user, settings, tmp_path, data, name, content
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.UPLOAD_DIR = tmp_path / "uploads"
    client.force_login(admin_user)
    upload = SimpleUploadedFile(_upload_name(name), content)
    response = check(lambda: client.post(reverse("voters:roll-import"), {**data, "upload": upload}))
    assert response.status_code == 400  # random bytes are never a voter file
    assert not settings.UPLOAD_DIR.exists() or not list(settings.UPLOAD_DIR.iterdir())


# JSON endpoints and downloads ---------------------------------------------------------------


@EXAMPLES
@given(params=st.dictionaries(HOSTILE, HOSTILE, max_size=4))
def test_json_endpoints_answer_json_whatever_the_query(client, world, organizer, params):
    client.force_login(organizer)
    response = check(lambda: client.get(reverse("petitions:progress", args=["test"]), params))
    assert response.status_code == 200
    assert json.loads(response.content)["petition"] == "test"
    health = client.get(reverse("healthz"), params)
    assert health.status_code in (200, 503)
    assert json.loads(health.content)["status"] in ("ok", "degraded")


@EXAMPLES
@given(params=line_fields, line=HOSTILE)
def test_the_hint_answers_cleanly_whatever_the_query(client, world, volunteer, params, line):
    client.force_login(volunteer)
    check(lambda: client.get(reverse("petitions:hint", args=["test", 1]), {**params, "line": line}))


@EXAMPLES
@given(status=st.from_regex(r"[-a-zA-Z0-9_]{1,30}", fullmatch=True))
def test_signer_lists_of_any_name_are_a_list_or_a_404(client, world, organizer, status):
    client.force_login(organizer)
    response = check(lambda: client.get(reverse("petitions:signer_list", args=["test", status])))
    assert response.status_code in (200, 404)


@EXAMPLES
@given(data=st.fixed_dictionaries({
    "address": HOSTILE, "phone": HOSTILE, "email": HOSTILE, "kind": HOSTILE,
    "pay_basis": HOSTILE, "rate": HOSTILE,
}))  # fmt: skip
@example(data={"address": "", "phone": "", "email": "", "kind": "paid",
               "pay_basis": "per_valid_line", "rate": "-0.01"})  # fmt: skip
def test_a_circulators_pay_terms_refuse_hostile_values_cleanly(client, world, organizer, data):
    client.force_login(organizer)
    circulator = Circulator.objects.get_or_create(name="Ann", name_key="ANN")[0]
    check(lambda: client.post(reverse("circulators:edit", args=[circulator.pk]), data))
    assert Circulator.objects.get(pk=circulator.pk).rate >= 0


@EXAMPLES
@given(day=HOSTILE, hours=HOSTILE, period=HOSTILE, keep=HOSTILE, drop=HOSTILE)
@example(day="", hours="", period="", keep="0", drop="\u00b2")  # isdigit() but not int()
def test_shifts_merges_and_pay_closes_refuse_hostile_values_cleanly(
    client, world, organizer, day, hours, period, keep, drop
):
    client.force_login(organizer)
    circulator = Circulator.objects.get_or_create(name="Ann", name_key="ANN")[0]
    check(lambda: client.post(reverse("circulators:shift", args=[circulator.pk]),
                              {"day": day, "hours": hours}))  # fmt: skip
    check(lambda: client.post(reverse("circulators:pay_close"), {"period": period}))
    check(lambda: client.post(reverse("circulators:merge_do"), {"keep": keep, "drop": drop}))
    check(lambda: client.post(reverse("circulators:merge_dismiss"),
                              {"first": keep, "second": drop}))  # fmt: skip


@EXAMPLES
@given(period=st.from_regex(r"[-a-zA-Z0-9_.]{1,30}", fullmatch=True))
def test_payroll_of_any_period_is_a_csv_or_a_404(client, world, organizer, period):
    client.force_login(organizer)
    response = check(lambda: client.get(reverse("circulators:pay_csv", args=[period])))
    assert response.status_code == 404  # no period is closed


# CSV importers -------------------------------------------------------------------------------


SIGNATURE_COLUMNS = ("section", "line", "printed_name", "residence_address", "city", "zip",
                     "signed", "circulator", "date_signed")  # fmt: skip


def csv_text(header, rows) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@EXAMPLES
@given(
    header=st.one_of(st.just(SIGNATURE_COLUMNS), st.lists(HOSTILE, max_size=10)),
    rows=st.lists(st.lists(HOSTILE, min_size=0, max_size=11), max_size=8),
    raw=st.one_of(st.none(), st.binary(max_size=500)),
)
def test_the_signature_importer_refuses_hostile_files_cleanly(world, tmp_path, header, rows, raw):
    path = tmp_path / "lines.csv"
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text(csv_text(header, rows), encoding="utf-8")
    petition = world["petition"]
    before = fingerprint()
    try:
        report = signatures_import(petition=petition, path=path)
    except SignatureImportError as exc:
        assert str(exc).strip()  # noqa: PT017
        assert "\n" not in str(exc)  # noqa: PT017 (one clear line)
        assert fingerprint() == before
        return
    if report.rows_rejected:
        assert not report.written
        assert all(reject["reason"] and reject["line"] for reject in report.rejects)
        assert fingerprint() == before
    else:
        assert Line.objects.filter(petition=petition).count() == 1 + report.lines_created


@settings(EXAMPLES, max_examples=max(15, EXAMPLES.max_examples // 3))
@given(
    header=st.one_of(st.just(CANONICAL_COLUMNS), st.lists(HOSTILE, max_size=8)),
    rows=st.lists(st.lists(HOSTILE, max_size=len(CANONICAL_COLUMNS) + 2), max_size=6),
    raw=st.one_of(st.none(), st.binary(max_size=500)),
)
@example(header=[], rows=[], raw=b"\r\x00")
def test_the_voter_importer_refuses_hostile_files_cleanly(world, tmp_path, header, rows, raw):
    """A bad voter file fails with a clear message; the active roll stays the active one."""
    path = tmp_path / f"{uuid.uuid4().hex}.csv"
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text(csv_text(header, rows), encoding="utf-8")
    active = VoterRoll.objects.get(state="active")
    try:
        roll = voter_roll_create(path=path, enqueue=False, max_reject_rate=0.0, activate=False)
    except FileError as exc:
        assert str(exc).strip()  # noqa: PT017
        return
    voter_roll_import(roll_id=roll.pk)
    roll.refresh_from_db()
    assert roll.state in ("ready", "failed")
    if roll.state == "failed":
        assert roll.error.strip()
    assert VoterRoll.objects.get(state="active") == active
