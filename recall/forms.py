from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password form, where a wrong current password counts as a failed login for the
    user (django-axes, and the audit log): after LOGIN_FAILURE_LIMIT of them the form refuses
    every current password, the right one too, for LOGIN_LOCKOUT_MINUTES. Without it, anyone
    at a signed-in screen could guess the password without limit."""

    def __init__(
        self, user: AbstractBaseUser, *args: Any, request: HttpRequest, **kwargs: Any
    ) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        credentials = {"username": self.user.get_username()}
        if AxesProxyHandler.is_locked(self.request, credentials):
            raise self._locked()
        try:
            return super().clean_old_password()
        except ValidationError:
            user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
            if getattr(self.request, "axes_locked_out", False):
                # The form says so itself: the lock-out page speaks of the login page.
                # django-axes' flag on the request (axes has no type information).
                self.request.axes_locked_out = False  # type: ignore[attr-defined]
                raise self._locked() from None
            raise

    def _locked(self) -> ValidationError:
        minutes = settings.LOGIN_LOCKOUT_MINUTES
        return ValidationError(
            _(
                "Too many wrong passwords: changing the password (and logging in as "
                "%(username)s) is paused for %(minutes)s minutes, or until an admin unlocks it."
            )
            % {"username": self.user.get_username(), "minutes": minutes},
            code="locked",
        )
