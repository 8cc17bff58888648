"""The task module imports the services and the engine, never the reverse (not even lazily)."""

import ast
from pathlib import Path

import petitions
from tests.voters.test_layering import imported_modules

PETITIONS = Path(petitions.__file__).resolve().parent
# The task module itself, and the receivers that petitions' AppConfig.ready connects (wiring).
ALLOWED = {"tasks.py", "receivers.py"}


def test_no_petitions_module_but_the_wiring_imports_the_tasks():
    modules = [p for p in sorted(PETITIONS.rglob("*.py")) if "migrations" not in p.parts]
    assert len(modules) > 10
    offenders = [
        f"{path.relative_to(PETITIONS.parent)}:{line}: {module}"
        for path in modules
        if str(path.relative_to(PETITIONS)) not in ALLOWED
        for line, module in imported_modules(ast.parse(path.read_text(), str(path)))
        if module == "petitions.tasks" or module.startswith("petitions.tasks.")
    ]
    assert offenders == []


def test_a_service_sends_the_task_by_name(monkeypatch, settings):
    """The name the services send resolves to the task itself wherever the task is loaded."""
    from petitions import tasks
    from petitions.validation.queue import (
        VALIDATE_PENDING,
        validation_request,
        validation_started,
    )

    assert tasks.validate_pending.name == VALIDATE_PENDING
    sent = []
    monkeypatch.setattr(tasks.validate_pending, "apply_async",
                        lambda args, kwargs, **options: sent.append((args, options)))  # fmt: skip
    settings.VALIDATION_GATHER_MS = 500
    validation_started(petition_id=7)  # no task of petition 7 queued
    assert validation_request(petition_id=7) is True
    assert sent == [((7,), {"countdown": 0.5})]
