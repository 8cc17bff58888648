from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development tooling: the synthetic county and the commands that write and load it.

    Installed always, not only under DEBUG: it has no models, URLs or middleware, only management
    commands, and the tests (run with DEBUG off), the benchmarks (production settings) and a
    staging rehearsal all call them. Production code never imports it
    (tests/devtools/test_independence.py).
    """

    name = "devtools"
    verbose_name = "Development tools"
