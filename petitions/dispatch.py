"""The workers' tasks as the services see them, so that no service imports petitions.tasks.

The task module depends on the services and the engine it runs, never the reverse: it registers
its tasks here when it is imported (by PetitionsConfig.ready in every process, through
petitions.receivers; by Celery's autodiscovery in a worker), and a service sends one through the
stand-in below, which looks the task up when it is sent.
"""

from typing import Any

_tasks: dict[str, Any] = {}


def task_register(name: str, task: Any) -> None:
    """Called by petitions.tasks for each task services send."""
    _tasks[name] = task


class _Registered:
    """A registered task, by name: sent as the task itself would be."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _task(self) -> Any:
        try:
            return _tasks[self.name]
        except KeyError:
            raise LookupError(
                f"task {self.name!r} is not registered: petitions.tasks was never imported"
            ) from None

    def apply_async(self, *args: Any, **kwargs: Any) -> Any:
        return self._task().apply_async(*args, **kwargs)

    def delay(self, *args: Any, **kwargs: Any) -> Any:
        return self._task().delay(*args, **kwargs)


validate_pending = _Registered("validate_pending")
