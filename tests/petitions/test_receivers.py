"""What petitions do when the voters app tells them something (signals connected in ready)."""

import pytest
from django.core.management import call_command
from django.db import transaction

from petitions.models import Line, Petition, Section
from petitions.tasks import revalidate_after_roll_change
from tests.petitions.helpers import ROLL, add, decided, validate
from tests.voters.factories import write_canonical
from voters.models import VoterRoll
from voters.services import voter_roll_activate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def petition(tmp_path):
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    Section.objects.create(petition=petition, serial=1)
    return petition


def test_activating_a_roll_revalidates_petitions_after_commit(petition, tmp_path, monkeypatch):
    line = add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    validate(petition)
    assert decided(line).status == "valid"
    cancelled = [dict(v, status="C") if v["voter_id"] == "BOB" else v for v in ROLL]
    path = write_canonical(tmp_path / "new.csv", cancelled)
    call_command("import_voters", str(path), "--no-activate")
    new = VoterRoll.objects.get(source_name="new.csv")
    sent = []
    # The worker's part, run here: the task body as the broker would hand it over.
    monkeypatch.setattr(
        revalidate_after_roll_change, "delay", lambda: sent.append(revalidate_after_roll_change())
    )
    with transaction.atomic():  # a caller's transaction: the activation commits with it
        voter_roll_activate(roll=new)
        assert sent == []  # not before the activation commits
    assert len(sent) == 1
    assert Line.objects.get(pk=line.pk).status == "pending"
    validate(petition)
    line = decided(line)
    assert line.status == "canceled"
    assert line.validated_roll == new
