"""Settings of the workers on the test hosts (tests/faults/test_hosts.py): the test settings,
with a message a worker took and never acknowledged handed to another worker after 10 s, not an
hour (Redis's visibility timeout), checked for every second."""

from recall.settings_test import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": 10,
    # kombu looks for such messages every unacked_restore_interval x unacked_restore_throttle s.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
