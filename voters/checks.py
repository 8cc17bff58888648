"""System checks of the voters app, run by `manage.py check` (and so by runserver, migrate and
scripts/serve-production.sh before the server starts)."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, register

from matching.places import PLACE_FILES, DataFileError, county_places


@register()
def matching_places_check(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[Error]:
    """The county's place files (MATCHING_PLACES) are read and checked here rather than at a
    line's first validation, where a bad file would stop the workers instead."""
    try:
        county_places(str(settings.MATCHING_PLACES))
    except DataFileError as exc:
        return [
            Error(
                f"MATCHING_PLACES: {exc}",
                hint=f"MATCHING_PLACES names a folder holding {', '.join(PLACE_FILES)} "
                "(see matching/README.md for their columns).",
                id="voters.E001",
            )
        ]
    return []
