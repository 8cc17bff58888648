"""What management commands share: a service's ValidationError as one line naming the flags."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError


def error_line(exc: ValidationError, flags: Mapping[str, str]) -> str:
    """The error's messages on one line, each field's named by its flag (`flags`: field -> flag)."""
    if not hasattr(exc, "error_dict"):
        return "; ".join(exc.messages)
    return "; ".join(
        f"{message} ({flags.get(name, name)})"
        for name, messages in exc.message_dict.items()
        for message in messages
    )
