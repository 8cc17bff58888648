"""`make run`'s last word: once web, worker and scheduler answer, what runs where and how to log
in (the Procfile's `ready` process). It then waits, silent, until `make run` stops."""

import socket
import threading
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from devtools.demo_passwords import demo_passwords
from recall.health import check_workers, redis_client

WAIT_SECONDS = 90  # the first start migrates and loads the demo before; this is only the three


def web_listens(port: int) -> bool:
    """The development server accepts connections (it binds once its checks pass). A bare
    connection, not a request: a page would add a line to the log, /healthz a warning while the
    worker is still starting."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def beats_since(started: float) -> tuple[bool, bool]:
    """Whether a worker, and the scheduler (through a worker), have beaten since `started`."""
    report = check_workers(redis_client(), time.time())
    worker = any(
        w["up"] and w["age_seconds"] <= time.time() - started for w in report.get("workers", [])
    )
    scheduler = report.get("scheduler", {})
    return worker, bool(scheduler.get("up")) and scheduler["age_seconds"] <= time.time() - started


class Command(BaseCommand):
    help = "Wait for `make run`'s web server, worker and scheduler, then say where they are."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="the web server's port")
        parser.add_argument("--wait", type=float, default=WAIT_SECONDS, help="seconds at most")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(self.summary(options["port"], options["wait"]))
            self.stdout.flush()
            threading.Event().wait()  # honcho stops every process when one ends: stay
        except KeyboardInterrupt:  # Ctrl-C reaches every process of `make run`: no traceback
            pass

    def summary(self, port: int, wait: float) -> str:
        url = f"http://127.0.0.1:{port}/"
        started = time.time()
        web = worker = scheduler = False
        while time.time() - started < wait:
            web = web or web_listens(port)
            if not (worker and scheduler):
                worker, scheduler = beats_since(started - 1)
            if web and worker and scheduler:
                break
            time.sleep(1)
        state = {True: "up", False: f"not answering after {wait:.0f} s: see its lines above"}
        lines = [
            f"Ready. Open {url} (times here are {settings.TIME_ZONE}, the campaign's).",
            f"  web        {url}  {state[web]} (Django's development server, reloads on edits)",
            f"  worker     {state[worker]}: checks lines against the roll, imports voter files",
            f"  scheduler  {state[scheduler]}: sweeps, tallies and heartbeats on a timer",
            *self.logins(),
            "  Ctrl-C stops them all.",
        ]
        return "\n".join(lines)

    def logins(self) -> list[str]:
        passwords = demo_passwords()
        if not passwords:
            return [
                "  log in as  volunteer, reviewer, organizer or admin: their passwords were shown "
                "when load_demo created them",
                "             (`.venv/bin/python manage.py changepassword NAME` sets a new one)",
            ]
        users = get_user_model().objects.in_bulk(list(passwords), field_name="username")
        lines = []
        for index, (username, password) in enumerate(passwords.items()):
            user = users.get(username)
            if user is None:
                continue
            shown = password if user.check_password(password) else "(changed since: your own)"
            label = "log in as" if index == 0 else ""
            lines.append(f"  {label:<10} {username:<10} {shown}")
        return lines
