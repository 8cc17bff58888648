"""System checks of our own, run by `manage.py check` (with `--deploy`: the production ones)."""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, Tags, register
from django.core.files.storage import storages


@register(Tags.staticfiles, deploy=True)
def static_manifest_check(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[Error]:
    """With DEBUG off, pages name static files through collectstatic's manifest: without it,
    every page that links a stylesheet answers 500, the login page too."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin) or storage.exists(storage.manifest_name):
        return []
    return [
        Error(
            f"The static files' manifest {Path(settings.STATIC_ROOT) / storage.manifest_name} "
            "is missing: with DEBUG off every page would answer 500.",
            hint="Run `python manage.py collectstatic --no-input` before starting the server "
            "(scripts/serve-production.sh does: see the README's production section).",
            id="recall.E001",
        )
    ]
