#!/usr/bin/env python
import os
import sys
from pathlib import Path

# A command typed by hand in a checkout (README: `manage.py changepassword admin`) with neither
# DEBUG nor SECRET_KEY set signs with this checkout's generated key (recall/lib/env.py).
LOCAL_SECRET_KEY_FILE = Path(__file__).resolve().parent / "var" / "local-secret-key"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recall.settings")
    from recall.lib.env import use_local_secret_key

    use_local_secret_key(os.environ, LOCAL_SECRET_KEY_FILE)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
