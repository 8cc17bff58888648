"""Data migrations over reasons already stored, run on lines and history written the old way."""

import importlib

import pytest
from django.db import connection

from petitions.decisions import SETTLED, stored_parts
from petitions.models import Line, LineEvent, Petition, Section

ALSO_ON = "signed more than once: also on section 1 line 2"


@pytest.fixture
def petition(db):
    petition = Petition.objects.create(title="T", slug="t", required_signatures=10)
    Section.objects.create(petition=petition, serial=1)
    return petition


def test_reasons_stored_without_their_parts_get_them_from_their_wording(petition):
    section = petition.sections.get()
    old = {  # summary as stored -> (notes, base, settled) it says
        f"{ALSO_ON}; surname exact" + SETTLED: ((ALSO_ON,), "surname exact", True),
        f"{ALSO_ON}; surname exact": ((ALSO_ON,), "surname exact", False),
        "signed more than once: also on another line; x": (
            ("signed more than once: also on another line",), "x", False),
        "surname exact" + SETTLED: ((), "surname exact", True),
        # A note of another step stays in the base, as the counting then read it.
        "registered after filing (2026-08-15); surname exact": (
            (), "registered after filing (2026-08-15); surname exact", False),
    }  # fmt: skip
    lines = [
        Line.objects.create(petition=petition, section=section, number=n, printed_name="X",
                            residence_address="1 A St", reason={"rule": "r", "summary": summary})
        for n, summary in enumerate(old, start=1)
    ]  # fmt: skip
    new = {"rule": "duplicate", "summary": "x", "notes": ["kept as it is"]}
    stored_new = Line.objects.create(petition=petition, section=section, number=9,
                                     printed_name="X", reason=new)  # fmt: skip
    event = LineEvent.objects.create(
        line=lines[0], petition=petition, kind=LineEvent.Kind.REVIEWED,
        before={"status": "duplicate", "reason": {"summary": f"{ALSO_ON}; surname exact"}},
        after={"status": "valid", "reason": {"summary": "surname exact" + SETTLED}},
    )  # fmt: skip

    migration = importlib.import_module("petitions.migrations.0010_reason_parts_stored")
    with connection.cursor() as cursor:
        for sql in migration.FORWARDS:
            cursor.execute(sql)

    for line, (summary, parts) in zip(lines, old.items(), strict=True):
        line.refresh_from_db()
        assert line.reason["summary"] == summary  # the wording is kept as it was
        assert stored_parts(line.reason) == parts
    stored_new.refresh_from_db()
    assert stored_new.reason == new
    event.refresh_from_db()
    assert stored_parts(event.before["reason"]) == ((ALSO_ON,), "surname exact", False)
    assert stored_parts(event.after["reason"]) == ((), "surname exact", True)
    assert (event.before["status"], event.after["status"]) == ("duplicate", "valid")
