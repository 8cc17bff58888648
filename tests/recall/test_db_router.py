"""Which reads go to the database replica (recall/db_router.py): the dashboard's and the live
hint's, never a validation worker's, and the primary's when the replica does not answer.

The "replica" here is a second connection to the test database, so what is checked is where each
query goes; tests/faults/test_replica.py runs the same against a real streaming standby."""

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from petitions.models import Petition, Section
from recall import db_router
from recall.db_router import PRIMARY, REPLICA, on_replica, read_connection, read_source
from tests.petitions.helpers import ROLL, add, validate
from tests.voters.factories import write_canonical

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:Overriding setting DATABASES"),
]


def _add_replica(settings, **changes):
    """A 'replica' alias: a second connection to the test database (or where `changes` say).

    Made by hand rather than added to connections.settings: Django's test case refuses an alias
    it was not told of at its start, except a connection made on the fly like this one."""
    config = {**connections["default"].settings_dict, **changes}
    replica = DatabaseWrapper(config, alias=REPLICA)
    setattr(connections._connections, REPLICA, replica)
    settings.DATABASES = {**django_settings.DATABASES, REPLICA: config}
    settings.DATABASE_ROUTERS = ["recall.db_router.ReplicaRouter"]
    db_router._checked = None  # measured afresh, not the last test's
    return replica


def _remove_replica() -> None:
    connections[REPLICA].close()
    delattr(connections._connections, REPLICA)
    db_router._checked = None


@pytest.fixture
def replica(settings):
    yield _add_replica(settings)
    _remove_replica()


@pytest.fixture
def dead_replica(settings):
    """A 'replica' alias where nothing listens."""
    yield _add_replica(settings, HOST="127.0.0.1", PORT=1)
    _remove_replica()


@pytest.fixture
def petition(tmp_path, volunteer):
    from django.core.management import call_command

    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    Section.objects.create(petition=petition, serial=1, entered_by=volunteer)
    add(petition, "Robert Smithers", "12 Oak Ave", "Glendale")
    return petition


def _tables(queries) -> str:
    return " ".join(q["sql"] for q in queries.captured_queries)


def test_without_a_replica_every_read_is_on_the_primary(petition):
    assert REPLICA not in django_settings.DATABASES
    assert django_settings.DATABASE_ROUTERS == []
    assert read_source() == PRIMARY
    assert on_replica(lambda: read_connection().alias) == ("default", PRIMARY)


def test_the_dashboard_reads_on_the_replica(login, organizer, petition, replica):
    validate(petition)
    client = login(organizer)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(replica) as on_replica_,
    ):
        page = client.get(reverse("petitions:dashboard", args=["test"]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="h-valid">1<' in body
    # The same database, so not a standby: its figures are current.
    assert "Figures read from a database replica 0.0 s behind the primary." in body
    assert "petitions_linetally" in _tables(on_replica_)  # the headline's tallies
    assert "petitions_section" in _tables(on_replica_)  # the breakdowns' raw SQL
    assert "petitions_linetally" not in _tables(primary)
    assert "pg_current_wal_lsn" in _tables(primary)  # the lag is measured against the primary

    json = client.get(reverse("petitions:progress", args=["test"])).json()
    assert json["valid"] == 1


def test_the_hint_searches_the_roll_on_the_replica(login, volunteer, petition, replica):
    client = login(volunteer)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(replica) as on_replica_,
    ):
        response = client.get(reverse("petitions:hint", args=["test", 1]), {
            "printed_name": "Robert Smithers", "residence_address": "12 Oak Ave",
            "city": "Glendale", "zip": "", "signed": "on",
        })  # fmt: skip
    assert 'data-outcome="counts"' in response.content.decode()
    assert "voters_voter" in _tables(on_replica_)  # the candidate search
    assert "petitions_line" in _tables(on_replica_)  # already signed?
    assert "voters_voter_roll_" not in _tables(primary)


def test_validation_never_reads_the_replica(petition, replica):
    with CaptureQueriesContext(replica) as on_replica_:
        validate(petition)
    assert on_replica_.captured_queries == []
    assert petition.lines.get().status == "valid"


def test_an_unreachable_replica_leaves_the_dashboard_to_the_primary(
    login, organizer, petition, dead_replica, caplog
):
    validate(petition)
    client = login(organizer)
    page = client.get(reverse("petitions:dashboard", args=["test"]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="h-valid">1<' in body
    assert "The database replica is unreachable: figures read from the primary database." in body
    assert "the database replica is unreachable" in caplog.text
    # The next few seconds' reads go to the primary without trying the replica again.
    assert read_source().replica_down
    hint = client.get(reverse("petitions:hint", args=["test", 1]), {
        "printed_name": "Robert Smithers", "residence_address": "12 Oak Ave",
        "city": "Glendale", "zip": "", "signed": "on",
    })  # fmt: skip
    assert 'data-outcome="already_signed"' in hint.content.decode()


def test_a_replica_failing_mid_read_is_read_again_on_the_primary(replica, petition):
    """Measured as up, then gone by the time of the read: the primary answers."""
    assert read_source().on_replica
    connections[REPLICA].settings_dict["PORT"] = 1
    connections[REPLICA].close()

    def count() -> int:
        with read_connection().cursor() as cursor:
            cursor.execute("SELECT count(*) FROM petitions_line")
            return cursor.fetchone()[0]

    assert on_replica(count) == (1, db_router.ReadSource("default", replica_down=True))


def test_an_error_of_the_primary_is_not_blamed_on_the_replica(replica, petition):
    from django.db import DatabaseError

    def fails_on_the_primary() -> None:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM petitions_line")

    with pytest.raises(DatabaseError):
        on_replica(fails_on_the_primary)
    assert read_source().on_replica


def test_healthz_shows_the_replica_but_is_not_degraded_by_it(dead_replica):
    from recall.health import health_report

    ok, report = health_report()
    assert report["replica"] == {"up": False, "lag_seconds": None}
    assert ok == all(report[part]["up"] for part in ("database", "redis", "workers"))
    db_router._checked = None
    connections[REPLICA].settings_dict.update(connections["default"].settings_dict)
    assert health_report()[1]["replica"] == {"up": True, "lag_seconds": 0.0}
