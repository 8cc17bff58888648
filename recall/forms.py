from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from recall.models import AuditAction
from recall.roles import ROLES, VOLUNTEER
from recall.validators import USERNAME_RULE, PlainUsernameValidator


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


class UserCreateForm(forms.Form):
    """A new account: it gets a set-password link, never a password chosen by the admin."""

    username = forms.CharField(max_length=150, validators=[PlainUsernameValidator()],
                               label=_("Username"), help_text=USERNAME_RULE)  # fmt: skip
    first_name = forms.CharField(max_length=150, required=False, label=_("First name"))
    last_name = forms.CharField(max_length=150, required=False, label=_("Last name"))
    email = forms.EmailField(required=False, label=_("Email"),
                             help_text=_("Optional: the link is e-mailed too when the server "
                                         "can send e-mail."))  # fmt: skip
    # Stored in English (the groups' names), shown translated (recall.roles.ROLE_NAMES).
    role = forms.ChoiceField(choices=[(r, _(r)) for r in ROLES], initial=VOLUNTEER,
                             label=_("Role"))  # fmt: skip

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(
                _("There is already a user %(username)s.") % {"username": username}
            )
        return username


class UserRoleForm(forms.Form):
    role = forms.ChoiceField(choices=[(r, _(r)) for r in ROLES], label=_("Role"))


class AuditFilterForm(forms.Form):
    """The audit log's filters; every one optional. Days are the campaign's (TIME_ZONE)."""

    user = forms.CharField(max_length=150, required=False, label=_("User"),
                           help_text=_("Who acted, or whose account it was."))  # fmt: skip
    action = forms.ChoiceField(required=False, label=_("Action"),
                               choices=[("", _("Any action")), *AuditAction.choices])  # fmt: skip
    since = forms.DateField(required=False, label=_("From"),
                            widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    until = forms.DateField(required=False, label=_("To"),
                            widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise ValidationError(_("“From” is after “To”."))
        return data
