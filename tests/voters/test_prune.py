"""prune_rolls: voter data no longer needed is erased (2 CCR 19012), never what is in use."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from petitions.models import Line, Petition, Section
from recall.models import AuditEvent
from tests.voters.factories import many, write_canonical
from voters.models import Voter, VoterPlace, VoterRoll, VoterSurname

pytestmark = pytest.mark.django_db(transaction=True)


def import_file(path, *args) -> VoterRoll:
    call_command("import_voters", str(path), *args)
    return VoterRoll.objects.latest("created_at")


def prune(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("prune_rolls", *args, stdout=out)
    return out.getvalue()


def tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname ~ '^voters_voter_roll_\\d+$'")
        return {name for (name,) in cursor.fetchall()}


def age(roll: VoterRoll, days: int) -> None:
    when = timezone.now() - dt.timedelta(days=days)
    VoterRoll.objects.filter(pk=roll.pk).update(superseded_at=when, finished_at=when)


@pytest.fixture
def rolls(tmp_path, settings):
    """An old superseded roll imported from an upload, and the active one (old too)."""
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.UPLOAD_DIR.mkdir()
    old = import_file(write_canonical(settings.UPLOAD_DIR / "upload.csv", many(10)))
    active = import_file(write_canonical(tmp_path / "county.csv", many(12)))
    old.refresh_from_db()
    assert (old.state, active.state) == ("superseded", "active")
    assert old.superseded_at is not None
    age(old, 40)
    VoterRoll.objects.filter(pk=active.pk).update(finished_at=timezone.now() - dt.timedelta(400))
    return old, active


def test_an_old_superseded_roll_is_erased_with_its_voters_and_upload(rolls, settings):
    old, active = rolls
    out = prune()
    assert f"roll {old.pk} (upload.csv, superseded): erased: 10 voters, upload upload.csv" in out
    assert "1 roll(s) erased, 0 kept; superseded or failed for more than 30 days" in out
    assert not VoterRoll.objects.filter(pk=old.pk).exists()
    assert tables() == {active.partition_name}
    assert not Voter.objects.filter(roll_id=old.pk).exists()
    assert not VoterSurname.objects.filter(roll_id=old.pk).exists()
    assert not VoterPlace.objects.filter(roll_id=old.pk).exists()
    assert list(settings.UPLOAD_DIR.iterdir()) == []
    event = AuditEvent.objects.get(action="roll_pruned")
    assert event.target == f"voter roll {old.pk}: upload.csv"
    assert event.username.endswith("(manage.py prune_rolls)")
    assert Voter.objects.filter(roll=active).count() == 12  # the active roll, however old


def test_a_dry_run_erases_nothing(rolls):
    old, active = rolls
    out = prune("--dry-run")
    assert f"roll {old.pk} (upload.csv, superseded): would erase: 10 voters" in out
    assert VoterRoll.objects.filter(pk=old.pk).exists()
    assert tables() == {old.partition_name, active.partition_name}
    assert not AuditEvent.objects.filter(action="roll_pruned").exists()


def test_a_roll_superseded_recently_is_kept_until_older_than(rolls):
    old, _ = rolls
    age(old, 10)
    assert "0 roll(s) erased, 0 kept" in prune()
    assert "1 roll(s) erased" in prune("--older-than", "7")
    assert not VoterRoll.objects.filter(pk=old.pk).exists()


def test_a_roll_that_decisions_still_cite_is_kept(rolls):
    old, _ = rolls
    petition = Petition.objects.create(title="Recall", slug="recall", required_signatures=10)
    section = Section.objects.create(petition=petition, serial=1)
    Line.objects.create(petition=petition, section=section, number=1, printed_name="A B",
                        residence_address="1 A St", status="valid", voter_registrant_id="1",
                        validated_roll=old, reason={"rule": "manual"})  # fmt: skip
    out = prune()
    assert f"roll {old.pk} (upload.csv, superseded): kept: 1 lines decided against it" in out
    assert "0 roll(s) erased, 1 kept" in out
    assert old.partition_name in tables()
    Line.objects.update(validated_roll=None, status="pending")  # re-validated meanwhile
    assert "1 roll(s) erased" in prune()


def test_an_old_failed_import_and_its_upload_are_erased(tmp_path, settings):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.UPLOAD_DIR.mkdir()
    bad = write_canonical(settings.UPLOAD_DIR / "bad.csv", [{**many(1)[0], "voter_id": ""}])
    with pytest.raises(Exception, match="rejected"):
        import_file(bad)
    failed = VoterRoll.objects.get()
    age(failed, 31)
    assert "1 roll(s) erased" in prune()
    assert not VoterRoll.objects.exists()
    assert not bad.exists()
