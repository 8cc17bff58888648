"""The demo set-up `make run` performs: demo users (passwords printed once) and a voter roll."""

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Count

from devtools.demo_passwords import demo_passwords_save, passwords_path
from devtools.synthetic import write_roll, write_signatures
from petitions.models import Petition
from petitions.services import petition_create, signatures_import
from petitions.validation import petition_validate_pending
from recall.models import command_actor
from recall.roles import ADMIN, ORGANIZER, REVIEWER, VOLUNTEER
from recall.services import user_create_with_role
from voters.models import VoterRoll
from voters.selectors import active_roll
from voters.services import voter_roll_create, voter_roll_import

DEMO_VOTERS = 200_000
DEMO_LINES = 3_000
DEMO_PETITION = "demo-recall"
DEMO_SEED = 2022

DEMO_USERS = (
    ("volunteer", VOLUNTEER),
    ("reviewer", REVIEWER),
    ("organizer", ORGANIZER),
    ("admin", ADMIN),
)


class Command(BaseCommand):
    help = "Create the demo users (and, once present, the demo data set). Harmless to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--voters", type=int, default=DEMO_VOTERS, help="demo roll size")
        parser.add_argument("--lines", type=int, default=DEMO_LINES, help="demo petition lines")

    @command_actor("load_demo")  # the audit log names who loaded the demo
    def handle(self, *args: Any, **options: Any) -> None:
        self._users()
        self._roll(options["voters"])
        self._petition(options["lines"])

    def _petition(self, lines: int) -> None:
        """A petition with lines of realistic quality drawn from the demo roll, validated."""
        petition = Petition.objects.filter(slug=DEMO_PETITION).first()
        if petition is not None:
            self.stdout.write(f"demo: petition {petition.slug} exists")
            return
        folder = Path(settings.BASE_DIR) / "var" / "demo"
        roll = active_roll()
        if roll is None:  # _roll made one active
            raise CommandError("no active voter roll for the demo petition")
        lines_path = folder / f"demo-lines-{lines}.csv"
        write_signatures(Path(roll.source_path), lines_path, lines, DEMO_SEED)
        with transaction.atomic():
            petition = petition_create(
                title="Recall of the District Attorney (demo)", slug=DEMO_PETITION,
                officer="District Attorney", registration_base=5_668_570,
                approved_on=dt.date(2026, 9, 1),
            )  # fmt: skip
            report = signatures_import(petition=petition, path=lines_path)
        self.stdout.write(f"demo: petition {petition.slug} with {report.lines_created:,} lines; "
                          "validating them")  # fmt: skip
        while petition_validate_pending(petition_id=petition.pk):
            pass
        counts = dict(petition.lines.values_list("status").annotate(n=Count("id")).order_by())
        self.stdout.write("demo: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))

    def _roll(self, voters: int) -> None:
        roll = active_roll()
        if roll is not None:
            self.stdout.write(
                f"demo: voter roll {roll.source_name} is active ({roll.rows_imported:,} voters)"
            )
            return
        path = Path(settings.BASE_DIR) / "var" / "demo" / f"demo-roll-{voters}.csv"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            self.stdout.write(f"demo: generating a synthetic county roll of {voters:,} voters")
            write_roll(path, voters, DEMO_SEED)
        self.stdout.write(f"demo: importing {path.name}")
        roll = voter_roll_create(path=path, source_name=path.name, enqueue=False)
        roll = voter_roll_import(roll_id=roll.pk)
        if roll.state != VoterRoll.State.ACTIVE:
            raise CommandError(f"demo roll import failed: {roll.error}")
        self.stdout.write(f"demo: voter roll active with {roll.rows_imported:,} voters")

    def _users(self) -> None:
        users = get_user_model().objects
        created = []
        for username, role in DEMO_USERS:
            if users.filter(username=username).exists():
                continue
            password = f"{username}-{secrets.token_urlsafe(6)}"
            user_create_with_role(username=username, password=password, role=role)
            created.append((username, role, password))
        if not created:
            self.stdout.write(
                "demo: users volunteer, reviewer, organizer, admin exist (`make run` shows their "
                "passwords once it is up; `manage.py changepassword NAME` sets a new one)"
            )
            return
        demo_passwords_save([(username, password) for username, _, password in created])
        self.stdout.write(self.style.SUCCESS(
            f"demo: created these users (passwords kept in {passwords_path()}):"
        ))  # fmt: skip
        for username, role, password in created:
            self.stdout.write(f"    {role:<10} login: {username:<10} password: {password}")
