"""The demo users' passwords, kept beside the demo data (var/demo, never committed) so that every
`make run` can say how to log in, not only the first. Demo users on a development machine only:
load_demo makes them, and production never runs it."""

import os
from pathlib import Path

from django.conf import settings


def passwords_path() -> Path:
    return Path(settings.BASE_DIR) / "var" / "demo" / "passwords.txt"


def demo_passwords_save(created: list[tuple[str, str]]) -> None:
    """Add (username, password) pairs; readable by the file's owner alone."""
    path = passwords_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = {**demo_passwords(), **dict(created)}
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.writelines(f"{username} {password}\n" for username, password in kept.items())


def demo_passwords() -> dict[str, str]:
    """Username -> password as load_demo made them, in the order it made them ({}: none kept)."""
    try:
        text = passwords_path().read_text()
    except FileNotFoundError:
        return {}
    return dict(line.split(" ", 1) for line in text.splitlines() if " " in line)
