"""Rules for usernames and passwords beyond Django's."""

from typing import TYPE_CHECKING

from django.contrib.auth.validators import ASCIIUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

if TYPE_CHECKING:  # a model: not importable before the apps are loaded
    from django.contrib.auth.base_user import AbstractBaseUser

USERNAME_RULE = (
    "Use only unaccented letters a-z and A-Z, digits and @ . + - _ in a username: letters of "
    "other alphabets can look like these (a Cyrillic \u201c\u0430\u201d in \u201cadmin\u201d)."
)


@deconstructible
class PlainUsernameValidator(ASCIIUsernameValidator):
    """Usernames in ASCII only, so that none can pass for another one (a Cyrillic "\u0430" looks
    like a Latin "a"). Added to the User model's username field in RecallConfig.ready, so every
    form and createsuperuser refuse it; user_create_with_role checks it too."""

    message = USERNAME_RULE


def username_validate(username: str) -> None:
    """Raise ValidationError (on the username field) for a username the app does not allow."""
    try:
        PlainUsernameValidator()(username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.messages}) from None


class UsernameInPasswordValidator:
    """A password must not contain its username, in any case: "vera_volunteervera_volunteer"
    is the username twice, and Django's similarity check passes it (it compares whole strings:
    two copies are only 67% alike)."""

    min_length = 3  # a two-letter username is inside too many good passwords

    def validate(self, password: str, user: "AbstractBaseUser | None" = None) -> None:
        username = str(getattr(user, "username", "") or "")
        if len(username) >= self.min_length and username.casefold() in password.casefold():
            raise ValidationError(
                "This password contains the username.", code="password_contains_username"
            )

    def get_help_text(self) -> str:
        return "Your password can't contain your username."
