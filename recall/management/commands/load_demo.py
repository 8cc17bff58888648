"""The demo set-up `make run` performs: demo users (passwords printed once) and a voter roll."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from recall.roles import ADMIN, ORGANIZER, REVIEWER, VOLUNTEER
from recall.services import user_create_with_role
from voters.models import VoterRoll
from voters.selectors import active_roll
from voters.services import voter_roll_create, voter_roll_import
from voters.synthetic import write_roll

DEMO_VOTERS = 200_000
DEMO_SEED = 2022

DEMO_USERS = (
    ("volunteer", VOLUNTEER),
    ("reviewer", REVIEWER),
    ("organizer", ORGANIZER),
    ("admin", ADMIN),
)


class Command(BaseCommand):
    help = "Create the demo users (and, once present, the demo data set). Harmless to run twice."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--voters", type=int, default=DEMO_VOTERS, help="demo roll size")

    def handle(self, *args, **options) -> None:
        self._users()
        self._roll(options["voters"])

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
                "demo: users volunteer, reviewer, organizer, admin exist (their passwords were "
                "printed when they were created; `manage.py changepassword NAME` sets a new one)"
            )
            return
        self.stdout.write(self.style.SUCCESS("demo: created these users (shown only this once):"))
        for username, role, password in created:
            self.stdout.write(f"    {role:<10} login: {username:<10} password: {password}")
