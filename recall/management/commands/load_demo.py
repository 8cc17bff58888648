"""The demo set-up `make run` performs: demo users for each role (passwords printed once)."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from recall.roles import ADMIN, ORGANIZER, REVIEWER, VOLUNTEER
from recall.services import user_create_with_role

DEMO_USERS = (
    ("volunteer", VOLUNTEER),
    ("reviewer", REVIEWER),
    ("organizer", ORGANIZER),
    ("admin", ADMIN),
)


class Command(BaseCommand):
    help = "Create the demo users (and, once present, the demo data set). Harmless to run twice."

    def handle(self, *args, **options) -> None:
        self._users()

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
