"""Request types for annotations."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind @login_required: its user is signed in, never anonymous
    (the django-stubs pattern; only for annotations, Django never builds one)."""

    user: User
